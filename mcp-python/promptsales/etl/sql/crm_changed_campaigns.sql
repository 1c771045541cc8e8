-- PromptCrm: per campaign touched since the watermarks (a lead, a sale or a client link changed), its
-- totals re-counted from all its valid rows (exact under updates, see ads_changed_results.sql).
-- $1..$3 = low marks of Leads, Sales, ClientCampaigns; $4..$6 = the high marks read at the start.
WITH changed AS (
    SELECT CampaignId FROM crm.Leads
    WHERE RowVer > CAST($1 AS BIGINT) AND RowVer <= CAST($4 AS BIGINT)
    UNION
    SELECT CampaignId FROM crm.Sales
    WHERE RowVer > CAST($2 AS BIGINT) AND RowVer <= CAST($5 AS BIGINT)
    UNION
    SELECT CampaignId FROM crm.ClientCampaigns
    WHERE RowVer > CAST($3 AS BIGINT) AND RowVer <= CAST($6 AS BIGINT)
)
SELECT
    x.CampaignId AS campaignid,
    (SELECT COUNT(*) FROM crm.Leads l WHERE l.CampaignId = x.CampaignId AND l.CreatedAt IS NOT NULL) AS leads,
    (SELECT COUNT(DISTINCT cc.ClientId) FROM crm.ClientCampaigns cc WHERE cc.CampaignId = x.CampaignId) AS clients,
    (SELECT COUNT(*) FROM crm.Sales s WHERE s.CampaignId = x.CampaignId AND s.SaleDate IS NOT NULL AND s.Amount >= 0) AS salescount,
    (SELECT CAST(COALESCE(SUM(s.Amount), 0) AS VARCHAR(40)) FROM crm.Sales s
        WHERE s.CampaignId = x.CampaignId AND s.SaleDate IS NOT NULL AND s.Amount >= 0) AS salesamount
FROM changed x
