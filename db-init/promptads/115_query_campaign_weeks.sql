-- PromptAds (PA5): FLOOR and CEILING.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/115_query_campaign_weeks.sql
-- Stand-in: query
--
-- Business question: for finished campaigns, how many full weeks did each one run (FLOOR: the weekly
-- report only counts complete weeks) and how many weekly invoices does the agency send (CEILING: a
-- started week is billed as a whole week)?

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

SELECT
    c.CampaignId,
    DATEDIFF(DAY, c.StartDate, c.EndDate) + 1 AS DaysRun,
    FLOOR((DATEDIFF(DAY, c.StartDate, c.EndDate) + 1) / 7.0) AS FullWeeks,
    CEILING((DATEDIFF(DAY, c.StartDate, c.EndDate) + 1) / 7.0) AS BilledWeeks
FROM ads.Campaigns AS c
WHERE c.Status = 'finished'
ORDER BY c.CampaignId;
