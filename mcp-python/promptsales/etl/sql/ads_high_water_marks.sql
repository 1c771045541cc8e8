-- PromptAds: the high mark of each entity and of the change log now; this run reads up to these and no
-- further. A mark never passes a change not yet committed: it is the highest row version, but at most the
-- last one below MIN_ACTIVE_ROWVERSION() (every version below that is committed), so a transaction that
-- took a lower version and commits after a later one is read by the next run, not skipped.
-- Runs unchanged on SQL Server (ROWVERSION cast to BIGINT; LEAST is SQL Server 2022) and on the PostgreSQL
-- stand-in (BIGINT, with a min_active_rowversion() function of its own).
SELECT
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Campaigns), 0), v.Committed) AS campaigns,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Ads), 0), v.Committed) AS ads,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.AdResults), 0), v.Committed) AS adresults,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Brands), 0), v.Committed) AS brands,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignChannels), 0), v.Committed)
        AS campaignchannels,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignMarkets), 0), v.Committed)
        AS campaignmarkets,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.ResultChanges), 0), v.Committed) AS resultchanges
FROM (SELECT CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT) - 1 AS Committed) v
