-- CR5 cross-server query: are the CRM's sales per campaign the ones PromptAds reports (CR4), and what did
-- each campaign cost per CRM client? Reads PromptAds through the linked server PROMPTADS.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (read only).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 065_query_linked_server.sql (after 060_create_linked_server.sql)
-- Expected output: one row per campaign, Cr4Check 'consistent' for all of them after `promptsales seed`
--   (AdsSales = CrmSales, AdsRevenue = CrmRevenue, 400-1,000 clients within reach); a MISMATCH sorts first.
-- Stand-in: sqlserver-only — needs the linked server; tests/crm/test_data.py makes the same comparison on the stand-in.
--
-- The PromptAds side is aggregated remotely with OPENQUERY, so only one row per campaign crosses the
-- network instead of every daily result row; the campaign names come through a four-part name, which is
-- fine for a table of about a thousand rows.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

WITH AdsTotals AS (
    SELECT r.CampaignId, r.AdsSales, r.AdsRevenue, r.AdsCost, r.Reach
    FROM OPENQUERY(
        PROMPTADS,
        'SELECT a.CampaignId, SUM(CAST(ar.Sales AS BIGINT)) AS AdsSales, SUM(ar.Revenue) AS AdsRevenue,
                SUM(ar.Cost) AS AdsCost, SUM(CAST(ar.AudienceReached AS BIGINT)) AS Reach
         FROM PromptAds.ads.AdResults AS ar
         INNER JOIN PromptAds.ads.Ads AS a ON a.AdId = ar.AdId
         GROUP BY a.CampaignId'
    ) AS r
),
CrmTotals AS (
    SELECT
        s.CampaignId,
        COUNT_BIG(*) AS CrmSales,
        SUM(s.Amount) AS CrmRevenue
    FROM crm.Sales AS s
    GROUP BY s.CampaignId
),
CrmClients AS (
    SELECT l.CampaignId, COUNT_BIG(*) AS Clients
    FROM crm.ClientCampaigns AS l
    GROUP BY l.CampaignId
)
SELECT
    c.CampaignId,
    c.Name AS CampaignName,
    a.AdsSales,
    t.CrmSales,
    a.AdsRevenue,
    t.CrmRevenue,
    k.Clients,
    a.Reach,
    CAST(a.AdsCost / NULLIF(k.Clients, 0) AS DECIMAL(12, 2)) AS CostPerCrmClient,
    CASE
        WHEN a.AdsSales = COALESCE(t.CrmSales, 0) AND a.AdsRevenue = COALESCE(t.CrmRevenue, 0)
            AND k.Clients BETWEEN 400 AND 1000 AND k.Clients <= a.Reach THEN 'consistent'
        ELSE 'MISMATCH'
    END AS Cr4Check
FROM PROMPTADS.PromptAds.ads.Campaigns AS c
INNER JOIN AdsTotals AS a ON a.CampaignId = c.CampaignId
LEFT JOIN CrmTotals AS t ON t.CampaignId = c.CampaignId
LEFT JOIN CrmClients AS k ON k.CampaignId = c.CampaignId
ORDER BY CASE WHEN a.AdsSales = COALESCE(t.CrmSales, 0) THEN 1 ELSE 0 END, c.CampaignId;
GO
