-- PromptAds (PA5): FLOOR and CEILING.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -S <server> -d PromptAds -i db-init/promptads/115_query_campaign_weeks.sql
-- Stand-in: query
--
-- Business question: for finished campaigns, how many full weeks did each one run (FLOOR: the weekly
-- report only counts complete weeks) and how many weekly invoices does the agency send (CEILING: a
-- started week is billed as a whole week)?

SELECT
    c.CampaignId,
    DATEDIFF(DAY, c.StartDate, c.EndDate) + 1 AS DaysRun,
    FLOOR((DATEDIFF(DAY, c.StartDate, c.EndDate) + 1) / 7.0) AS FullWeeks,
    CEILING((DATEDIFF(DAY, c.StartDate, c.EndDate) + 1) / 7.0) AS BilledWeeks
FROM ads.Campaigns AS c
WHERE c.Status = 'finished'
ORDER BY c.CampaignId;
