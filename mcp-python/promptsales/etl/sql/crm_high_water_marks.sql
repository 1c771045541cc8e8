-- PromptCrm: the high mark of each entity and of the change log now; this run reads up to these and no
-- further, never past a change not yet committed; heldback as in ads_high_water_marks.sql.
SELECT
    LEAST(m.Leads, m.Committed) AS leads,
    LEAST(m.Sales, m.Committed) AS sales,
    LEAST(m.ClientCampaigns, m.Committed) AS clientcampaigns,
    LEAST(m.CampaignChanges, m.Committed) AS campaignchanges,
    CASE WHEN GREATEST(m.Leads, m.Sales, m.ClientCampaigns, m.CampaignChanges) > m.Committed
         THEN 1 ELSE 0 END AS heldback
FROM (
    SELECT
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Leads), 0) AS Leads,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Sales), 0) AS Sales,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.ClientCampaigns), 0) AS ClientCampaigns,
        COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.CampaignChanges), 0) AS CampaignChanges,
        CAST(MIN_ACTIVE_ROWVERSION() AS BIGINT) - 1 AS Committed
) m
