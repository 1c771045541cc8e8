-- PromptCrm: per campaign touched since the watermarks, the totals of the entities that changed for it,
-- re-counted from all the campaign's valid rows (exact under updates, see ads_changed_results.sql):
-- leads only when one of its leads changed, clients only when one of its client links changed, sales
-- only when one of its sales changed; a total not recounted is NULL and the stored one stays.
-- $1..$3 = low marks of Leads, Sales, ClientCampaigns; $4..$6 = the high marks read at the start.
WITH changed_leads AS (
    SELECT DISTINCT CampaignId FROM crm.Leads
    WHERE RowVer > CAST($1 AS BIGINT) AND RowVer <= CAST($4 AS BIGINT)
), changed_sales AS (
    SELECT DISTINCT CampaignId FROM crm.Sales
    WHERE RowVer > CAST($2 AS BIGINT) AND RowVer <= CAST($5 AS BIGINT)
), changed_links AS (
    SELECT DISTINCT CampaignId FROM crm.ClientCampaigns
    WHERE RowVer > CAST($3 AS BIGINT) AND RowVer <= CAST($6 AS BIGINT)
), changed AS (
    SELECT CampaignId FROM changed_leads
    UNION
    SELECT CampaignId FROM changed_sales
    UNION
    SELECT CampaignId FROM changed_links
)
SELECT
    x.CampaignId AS campaignid,
    CASE WHEN x.CampaignId IN (SELECT CampaignId FROM changed_leads) THEN
        (SELECT COUNT(*) FROM crm.Leads l WHERE l.CampaignId = x.CampaignId AND l.CreatedAt IS NOT NULL)
    END AS leads,
    CASE WHEN x.CampaignId IN (SELECT CampaignId FROM changed_links) THEN
        (SELECT COUNT(DISTINCT cc.ClientId) FROM crm.ClientCampaigns cc WHERE cc.CampaignId = x.CampaignId)
    END AS clients,
    CASE WHEN x.CampaignId IN (SELECT CampaignId FROM changed_sales) THEN
        (SELECT COUNT(*) FROM crm.Sales s WHERE s.CampaignId = x.CampaignId AND s.SaleDate IS NOT NULL AND s.Amount >= 0)
    END AS salescount,
    CASE WHEN x.CampaignId IN (SELECT CampaignId FROM changed_sales) THEN
        (SELECT CAST(COALESCE(SUM(s.Amount), 0) AS VARCHAR(40)) FROM crm.Sales s
         WHERE s.CampaignId = x.CampaignId AND s.SaleDate IS NOT NULL AND s.Amount >= 0)
    END AS salesamount
FROM changed x
