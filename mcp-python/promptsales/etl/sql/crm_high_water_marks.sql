-- PromptCrm: the highest row version of each entity now; this run reads up to these and no further.
SELECT
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Leads), 0) AS leads,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.Sales), 0) AS sales,
    COALESCE((SELECT MAX(CAST(RowVer AS BIGINT)) FROM crm.ClientCampaigns), 0) AS clientcampaigns
