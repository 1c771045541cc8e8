-- PromptAds (PA1): indexes for the ETL delta reads (RowVer), the PA5/PA6 queries and the foreign keys.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; each index is created only when it is not there yet.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/020_create_indexes.sql
-- Stand-in: transpile

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- The 11-minute ETL asks "what changed since the watermark" on each of these.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Campaigns_RowVer')
CREATE NONCLUSTERED INDEX IX_Campaigns_RowVer ON ads.Campaigns (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Ads_RowVer')
CREATE NONCLUSTERED INDEX IX_Ads_RowVer ON ads.Ads (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_AdResults_RowVer')
CREATE NONCLUSTERED INDEX IX_AdResults_RowVer ON ads.AdResults (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Brands_RowVer')
CREATE NONCLUSTERED INDEX IX_Brands_RowVer ON ads.Brands (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CampaignChannels_RowVer')
CREATE NONCLUSTERED INDEX IX_CampaignChannels_RowVer ON ads.CampaignChannels (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CampaignMarkets_RowVer')
CREATE NONCLUSTERED INDEX IX_CampaignMarkets_RowVer ON ads.CampaignMarkets (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Channels_RowVer')
CREATE NONCLUSTERED INDEX IX_Channels_RowVer ON ads.Channels (RowVer);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Markets_RowVer')
CREATE NONCLUSTERED INDEX IX_Markets_RowVer ON ads.Markets (RowVer);
GO

-- Campaign lists by brand and period (PA6 starts from a brand; reports filter by dates).
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Campaigns_Brand_Start')
CREATE NONCLUSTERED INDEX IX_Campaigns_Brand_Start ON ads.Campaigns (BrandId, StartDate)
INCLUDE (EndDate, Status);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Ads_Campaign')
CREATE NONCLUSTERED INDEX IX_Ads_Campaign ON ads.Ads (CampaignId) INCLUDE (ChannelId, MarketId);
GO

-- Results by day across ads (monthly summaries, the PA6 period comparison).
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_AdResults_Date')
CREATE NONCLUSTERED INDEX IX_AdResults_Date ON ads.AdResults (ResultDate)
INCLUDE (Likes, Interactions, Sales, Revenue);
GO

-- PA6 reads only the negative sentiment rows of one period.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_AdSentiment_Date_Kind')
CREATE NONCLUSTERED INDEX IX_AdSentiment_Date_Kind ON ads.AdSentiment (SentimentDate, SentimentKindId)
INCLUDE (Mentions);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_InfluencerReactions_Influencer_Date')
CREATE NONCLUSTERED INDEX IX_InfluencerReactions_Influencer_Date
ON ads.InfluencerReactions (InfluencerId, ReactionDate) INCLUDE (Reactions);
GO
