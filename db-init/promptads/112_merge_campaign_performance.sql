-- PromptAds (PA5): MERGE.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; it brings ads.CampaignPerformance in line with the results each time.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/112_merge_campaign_performance.sql
-- Stand-in: query
--
-- Business question: what are each campaign's reach, sales, revenue and cost right now? The account
-- managers read ads.CampaignPerformance; MERGE refreshes it in one statement: campaigns with new
-- totals are updated, new campaigns inserted, and campaigns whose results were deleted removed.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

MERGE ads.CampaignPerformance AS target
USING (
    SELECT
        a.CampaignId,
        SUM(CAST(r.AudienceReached AS BIGINT)) AS Reach,
        SUM(CAST(r.Sales AS BIGINT)) AS Sales,
        SUM(r.Revenue) AS Revenue,
        SUM(r.Cost) AS Cost
    FROM ads.Ads AS a
    INNER JOIN ads.AdResults AS r ON a.AdId = r.AdId
    GROUP BY a.CampaignId
) AS source
    ON target.CampaignId = source.CampaignId
WHEN MATCHED THEN
    UPDATE SET
        Reach = source.Reach,
        Sales = source.Sales,
        Revenue = source.Revenue,
        Cost = source.Cost,
        RefreshedAt = SYSUTCDATETIME()
WHEN NOT MATCHED BY TARGET THEN
    INSERT (CampaignId, Reach, Sales, Revenue, Cost)
    VALUES (source.CampaignId, source.Reach, source.Sales, source.Revenue, source.Cost)
WHEN NOT MATCHED BY SOURCE THEN
    DELETE;
