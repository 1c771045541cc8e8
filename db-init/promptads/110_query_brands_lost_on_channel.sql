-- PromptAds (PA5): EXCEPT.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/110_query_brands_lost_on_channel.sql
-- Stand-in: query
--
-- Business question: which brands advertised on a channel during the 2024 holiday season
-- (November-December) but did not come back to it for the 2025 season? The account managers call
-- these brands first. EXCEPT keeps the rows of the first set that are not in the second (and removes
-- duplicates), which reads exactly like the question.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

DECLARE @ChannelName NVARCHAR(60) = N'TikTok';

SELECT b.Name AS BrandName
FROM ads.Brands AS b
INNER JOIN ads.Campaigns AS c ON b.BrandId = c.BrandId
INNER JOIN ads.CampaignChannels AS cc ON c.CampaignId = cc.CampaignId
INNER JOIN ads.Channels AS ch ON cc.ChannelId = ch.ChannelId
WHERE ch.Name = @ChannelName AND c.StartDate >= '2024-11-01' AND c.StartDate < '2025-01-01'
EXCEPT
SELECT b.Name AS BrandName
FROM ads.Brands AS b
INNER JOIN ads.Campaigns AS c ON b.BrandId = c.BrandId
INNER JOIN ads.CampaignChannels AS cc ON c.CampaignId = cc.CampaignId
INNER JOIN ads.Channels AS ch ON cc.ChannelId = ch.ChannelId
WHERE ch.Name = @ChannelName AND c.StartDate >= '2025-11-01' AND c.StartDate < '2026-01-01'
ORDER BY BrandName;
