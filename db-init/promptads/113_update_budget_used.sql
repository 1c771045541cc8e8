-- PromptAds (PA5): UPDATE from SELECT.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; it recomputes the same percentages.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/113_update_budget_used.sql
-- Stand-in: query
--
-- Business question: how much of its budget has each campaign spent? UPDATE ... FROM joins the
-- performance rows (run 112_merge_campaign_performance.sql first) to a SELECT of the campaigns'
-- budgets and writes the percentage next to the totals.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

UPDATE perf
SET perf.BudgetUsedPct = CAST(100.0 * perf.Cost / budgets.Budget AS DECIMAL(9, 2))
FROM ads.CampaignPerformance AS perf
INNER JOIN (
    SELECT
        c.CampaignId,
        c.Budget
    FROM ads.Campaigns AS c
    WHERE c.Budget > 0
) AS budgets ON perf.CampaignId = budgets.CampaignId;
