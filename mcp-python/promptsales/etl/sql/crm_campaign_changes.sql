-- PromptCrm: the counts of every (campaign, day) cell that changed (valid leads and the converted ones,
-- client links, valid sales and their amount), from the change log the Leads, Sales and ClientCampaigns
-- triggers keep (crm.CampaignChanges: signed, per campaign and day, updates and deletes included).
-- $1 = 0: the log entries in ($2, $3], summed per cell (a change).
-- $1 = 1: read in full, every cell's counts now less the log entries after $3: the state as of $3
--         (one statement, one snapshot; see ads_result_changes.sql).
-- One row per (campaign, month), its days packed in `days` as
-- 'YYYY-MM-DD:leads:convertedleads:clients:salescount:salesamount' joined by ',' (see
-- ads_result_changes.sql: fewer n8n items; at most 31 entries of at most ~120 characters, below 8,000 bytes).
-- The live rows are summed once, together with the log entries (one GROUP BY per cell).
SELECT
    d.CampaignId AS campaignid,
    SUBSTRING(d.ActivityDay, 1, 7) AS month,
    STRING_AGG(CONCAT(d.ActivityDay, ':', d.Leads, ':', d.ConvertedLeads, ':', d.Clients, ':', d.SalesCount, ':',
                      d.SalesAmount), ',') AS days
FROM (
    SELECT x.CampaignId, CAST(x.ActivityDate AS VARCHAR(10)) AS ActivityDay, SUM(x.Leads) AS Leads,
           SUM(x.ConvertedLeads) AS ConvertedLeads, SUM(x.Clients) AS Clients, SUM(x.SalesCount) AS SalesCount,
           SUM(x.SalesAmount) AS SalesAmount
    FROM (
        SELECT l.CampaignId, CAST(l.CreatedAt AS DATE) AS ActivityDate, CAST(1 AS BIGINT) AS Leads,
               CAST(CASE WHEN l.Status = 'converted' THEN 1 ELSE 0 END AS BIGINT) AS ConvertedLeads,
               CAST(0 AS BIGINT) AS Clients, CAST(0 AS BIGINT) AS SalesCount,
               CAST(0 AS DECIMAL(18, 2)) AS SalesAmount
        FROM crm.Leads l
        WHERE CAST($1 AS INT) = 1 AND l.CreatedAt IS NOT NULL
        UNION ALL
        SELECT cc.CampaignId, cc.LinkedAt, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(1 AS BIGINT),
               CAST(0 AS BIGINT), CAST(0 AS DECIMAL(18, 2))
        FROM crm.ClientCampaigns cc
        WHERE CAST($1 AS INT) = 1 AND cc.LinkedAt IS NOT NULL
        UNION ALL
        SELECT s.CampaignId, s.SaleDate, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
               CAST(1 AS BIGINT), CAST(s.Amount AS DECIMAL(18, 2))
        FROM crm.Sales s
        WHERE CAST($1 AS INT) = 1 AND s.SaleDate IS NOT NULL AND s.Amount >= 0
        UNION ALL
        SELECT c.CampaignId, c.ActivityDate, CAST(-c.Leads AS BIGINT), CAST(-c.ConvertedLeads AS BIGINT),
               CAST(-c.Clients AS BIGINT), CAST(-c.SalesCount AS BIGINT), -c.SalesAmount
        FROM crm.CampaignChanges c
        WHERE CAST($1 AS INT) = 1 AND c.RowVer > CAST($3 AS BIGINT)
        UNION ALL
        SELECT c.CampaignId, c.ActivityDate, CAST(c.Leads AS BIGINT), CAST(c.ConvertedLeads AS BIGINT),
               CAST(c.Clients AS BIGINT), CAST(c.SalesCount AS BIGINT), c.SalesAmount
        FROM crm.CampaignChanges c
        WHERE CAST($1 AS INT) = 0 AND c.RowVer > CAST($2 AS BIGINT) AND c.RowVer <= CAST($3 AS BIGINT)
    ) x
    GROUP BY x.CampaignId, x.ActivityDate
    HAVING SUM(x.Leads) <> 0 OR SUM(x.ConvertedLeads) <> 0 OR SUM(x.Clients) <> 0 OR SUM(x.SalesCount) <> 0
        OR SUM(x.SalesAmount) <> 0
) d
GROUP BY d.CampaignId, SUBSTRING(d.ActivityDay, 1, 7)
