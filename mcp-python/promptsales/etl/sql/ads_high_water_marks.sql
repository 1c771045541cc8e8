-- PromptAds: the high mark of each entity and of the change log now; this run reads up to these and no
-- further. A mark never passes a change not yet committed: it is the highest row version, but at most the
-- last one below MIN_ACTIVE_ROWVERSION() (every version below that is committed), so a transaction that
-- took a lower version and commits after a later one is read by the next run, not skipped.
-- heldback = 1 when committed changes wait behind such an open transaction (the run log says so).
-- Runs unchanged on SQL Server (ROWVERSION cast to BIGINT; LEAST and GREATEST are SQL Server 2022) and on
-- the PostgreSQL stand-in (BIGINT, with a min_active_rowversion() function of its own).
SELECT
    LEAST(m.Campaigns, m.Committed) AS campaigns,
    LEAST(m.Ads, m.Committed) AS ads,
    LEAST(m.AdResults, m.Committed) AS adresults,
    LEAST(m.Brands, m.Committed) AS brands,
    LEAST(m.CampaignChannels, m.Committed) AS campaignchannels,
    LEAST(m.CampaignMarkets, m.Committed) AS campaignmarkets,
    LEAST(m.Channels, m.Committed) AS channels,
    LEAST(m.Markets, m.Committed) AS markets,
    LEAST(m.ResultChanges, m.Committed) AS resultchanges,
    CASE WHEN GREATEST(m.Campaigns, m.Ads, m.AdResults, m.Brands, m.CampaignChannels, m.CampaignMarkets,
                       m.Channels, m.Markets, m.ResultChanges) > m.Committed THEN 1 ELSE 0 END AS heldback
FROM (
    SELECT
        -- A deleted campaign's tombstone counts as a change of Campaigns (ads_changed_campaigns.sql).
        COALESCE(GREATEST((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Campaigns),
                          (SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.DeletedCampaigns)), 0) AS Campaigns,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Ads), 0) AS Ads,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.AdResults), 0) AS AdResults,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Brands), 0) AS Brands,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignChannels), 0) AS CampaignChannels,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignMarkets), 0) AS CampaignMarkets,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Channels), 0) AS Channels,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Markets), 0) AS Markets,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.ResultChanges), 0) AS ResultChanges,
        CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT) - 1 AS Committed
) m
