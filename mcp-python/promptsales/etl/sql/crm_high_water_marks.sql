-- PromptCrm: the highest row version of each entity and the newest change-log entry now; this run reads
-- up to these and no further.
SELECT
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Leads), 0) AS leads,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Sales), 0) AS sales,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.ClientCampaigns), 0) AS clientcampaigns,
    COALESCE((SELECT MAX(ChangeId) FROM crm.CampaignChanges), 0) AS campaignchanges
