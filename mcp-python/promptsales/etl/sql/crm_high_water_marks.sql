-- PromptCrm: the high mark of each entity and of the change log now; this run reads up to these and no
-- further, never past a change not yet committed (see ads_high_water_marks.sql).
SELECT
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Leads), 0), v.Committed) AS leads,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Sales), 0), v.Committed) AS sales,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.ClientCampaigns), 0), v.Committed)
        AS clientcampaigns,
    LEAST(COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.CampaignChanges), 0), v.Committed)
        AS campaignchanges
FROM (SELECT CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT) - 1 AS Committed) v
