-- PromptCrm: changed rows with impossible values, each with its reason. Unknown campaign ids are
-- found centrally (PromptCrm cannot see PromptAds' campaigns without the linked server).
-- $1..$3 = low marks of Leads, Sales, ClientCampaigns; $4..$6 = the high marks read at the start.
SELECT
    'sales' AS entity,
    CAST(s.SaleId AS VARCHAR(20)) AS rowkey,
    CAST(s.RowVer AS BIGINT) AS rowver,
    s.CampaignId AS campaignid,
    CASE WHEN s.SaleDate IS NULL THEN 'null sale date'
         WHEN s.Amount < 0 THEN 'negative revenue'
         ELSE 'missing amount' END AS reason
FROM crm.Sales s
WHERE s.RowVer > CAST($2 AS BIGINT) AND s.RowVer <= CAST($5 AS BIGINT)
  AND CASE WHEN s.SaleDate IS NOT NULL AND s.Amount >= 0 THEN 0 ELSE 1 END = 1
UNION ALL
SELECT
    'leads' AS entity,
    CAST(l.LeadId AS VARCHAR(20)) AS rowkey,
    CAST(l.RowVer AS BIGINT) AS rowver,
    l.CampaignId AS campaignid,
    'null lead date' AS reason
FROM crm.Leads l
WHERE l.RowVer > CAST($1 AS BIGINT) AND l.RowVer <= CAST($4 AS BIGINT)
  AND l.CreatedAt IS NULL
