-- PromptAds: the highest row version of each entity and the newest change-log entry now; this run reads
-- up to these and no further.
-- Runs unchanged on SQL Server (ROWVERSION cast to BIGINT) and on the PostgreSQL stand-in (BIGINT).
SELECT
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Campaigns), 0) AS campaigns,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Ads), 0) AS ads,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.AdResults), 0) AS adresults,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.Brands), 0) AS brands,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignChannels), 0) AS campaignchannels,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM ads.CampaignMarkets), 0) AS campaignmarkets,
    COALESCE((SELECT MAX(ChangeId) FROM ads.ResultChanges), 0) AS resultchanges
