-- PromptCrm: the counts of every campaign that changed (valid leads, client links, valid sales and their
-- amount), from the change log the Leads, Sales and ClientCampaigns triggers keep (crm.CampaignChanges:
-- signed, per campaign, updates and deletes included).
-- $1 = 0: the log entries in ($2, $3], summed per campaign (a change).
-- $1 = 1: read in full, every campaign's counts now less the log entries after $3: the state as of $3
--         (one statement, one snapshot; see ads_result_changes.sql).
SELECT
    x.CampaignId AS campaignid,
    SUM(x.Leads) AS leads,
    SUM(x.Clients) AS clients,
    SUM(x.SalesCount) AS salescount,
    CAST(SUM(x.SalesAmount) AS VARCHAR(40)) AS salesamount
FROM (
    SELECT l.CampaignId, CAST(COUNT(*) AS BIGINT) AS Leads, CAST(0 AS BIGINT) AS Clients,
           CAST(0 AS BIGINT) AS SalesCount, CAST(0 AS DECIMAL(18, 2)) AS SalesAmount
    FROM crm.Leads l
    WHERE CAST($1 AS INT) = 1 AND l.CreatedAt IS NOT NULL
    GROUP BY l.CampaignId
    UNION ALL
    SELECT cc.CampaignId, CAST(0 AS BIGINT), CAST(COUNT(*) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS DECIMAL(18, 2))
    FROM crm.ClientCampaigns cc
    WHERE CAST($1 AS INT) = 1
    GROUP BY cc.CampaignId
    UNION ALL
    SELECT s.CampaignId, CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(COUNT(*) AS BIGINT),
           SUM(CAST(s.Amount AS DECIMAL(18, 2)))
    FROM crm.Sales s
    WHERE CAST($1 AS INT) = 1 AND s.SaleDate IS NOT NULL AND s.Amount >= 0
    GROUP BY s.CampaignId
    UNION ALL
    SELECT c.CampaignId, CAST(-c.Leads AS BIGINT), CAST(-c.Clients AS BIGINT), CAST(-c.SalesCount AS BIGINT),
           -c.SalesAmount
    FROM crm.CampaignChanges c
    WHERE CAST($1 AS INT) = 1 AND c.RowVer > CAST($3 AS BIGINT)
    UNION ALL
    SELECT c.CampaignId, CAST(c.Leads AS BIGINT), CAST(c.Clients AS BIGINT), CAST(c.SalesCount AS BIGINT),
           c.SalesAmount
    FROM crm.CampaignChanges c
    WHERE CAST($1 AS INT) = 0 AND c.RowVer > CAST($2 AS BIGINT) AND c.RowVer <= CAST($3 AS BIGINT)
) x
GROUP BY x.CampaignId
HAVING SUM(x.Leads) <> 0 OR SUM(x.Clients) <> 0 OR SUM(x.SalesCount) <> 0 OR SUM(x.SalesAmount) <> 0
