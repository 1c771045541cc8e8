-- PromptAds (PA5): INTERSECT.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/111_query_campaigns_influencers_and_email.sql
-- Stand-in: query
--
-- Business question: which campaigns combined influencers with an e-mail newsletter in the same
-- campaign? The CRM team believes this mix converts best and wants the list to compare.
-- INTERSECT keeps the campaign ids present in both sets.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

SELECT cc.CampaignId
FROM ads.CampaignChannels AS cc
INNER JOIN ads.Channels AS ch ON cc.ChannelId = ch.ChannelId
WHERE ch.Kind = 'influencer'
INTERSECT
SELECT cc.CampaignId
FROM ads.CampaignChannels AS cc
INNER JOIN ads.Channels AS ch ON cc.ChannelId = ch.ChannelId
WHERE ch.Kind = 'email'
ORDER BY CampaignId;
