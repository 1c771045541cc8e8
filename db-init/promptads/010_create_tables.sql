-- PromptAds (PA1): brands, campaigns, channels, markets, their links, ads, daily results per ad and
-- channel, influencers and their reactions, and social sentiment per ad and channel.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; every object is created only when it is not there yet.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/010_create_tables.sql
-- Stand-in: transpile
-- Change tracking for the ETL: every table the ETL reads carries RowVer ROWVERSION, so it reads
-- "WHERE RowVer > @watermark" (deltas only) without Change Tracking being enabled on the database.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF SCHEMA_ID(N'ads') IS NULL EXEC (N'CREATE SCHEMA ads');
GO

IF OBJECT_ID(N'ads.Brands', N'U') IS NULL
CREATE TABLE ads.Brands (
    BrandId INT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_Brands PRIMARY KEY,
    Name NVARCHAR(100) NOT NULL CONSTRAINT UQ_Brands_Name UNIQUE,
    Industry NVARCHAR(60) NOT NULL,
    CreatedAt DATETIME2(0) NOT NULL CONSTRAINT DF_Brands_CreatedAt DEFAULT (SYSUTCDATETIME()),
    -- A renamed brand changes the brand name in the summaries of its campaigns.
    RowVer ROWVERSION NOT NULL
);
GO
-- Upgrade: a database created before Brands carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.Brands', N'RowVer') IS NULL
ALTER TABLE ads.Brands ADD RowVer ROWVERSION NOT NULL;
GO

IF OBJECT_ID(N'ads.Channels', N'U') IS NULL
CREATE TABLE ads.Channels (
    ChannelId INT NOT NULL CONSTRAINT PK_Channels PRIMARY KEY,
    Name NVARCHAR(60) NOT NULL CONSTRAINT UQ_Channels_Name UNIQUE,
    -- Kind groups channels the way the marketing team reports them.
    Kind VARCHAR(20) NOT NULL CONSTRAINT CK_Channels_Kind
    CHECK (Kind IN ('social', 'email', 'sms', 'professional', 'influencer', 'search', 'video')),
    -- Social sentiment is only measured where people can comment publicly.
    IsSocial BIT NOT NULL CONSTRAINT DF_Channels_IsSocial DEFAULT (0),
    -- A renamed channel changes the names in the summaries of every campaign that uses it.
    RowVer ROWVERSION NOT NULL
);
GO
-- Upgrade: a database created before Channels carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.Channels', N'RowVer') IS NULL
ALTER TABLE ads.Channels ADD RowVer ROWVERSION NOT NULL;
GO

IF OBJECT_ID(N'ads.Markets', N'U') IS NULL
CREATE TABLE ads.Markets (
    MarketId INT NOT NULL CONSTRAINT PK_Markets PRIMARY KEY,
    Name NVARCHAR(80) NOT NULL CONSTRAINT UQ_Markets_Name UNIQUE,
    CountryCode CHAR(2) NOT NULL,
    Region NVARCHAR(40) NOT NULL,
    RowVer ROWVERSION NOT NULL
);
GO
-- Upgrade: a database created before Markets carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.Markets', N'RowVer') IS NULL
ALTER TABLE ads.Markets ADD RowVer ROWVERSION NOT NULL;
GO

IF OBJECT_ID(N'ads.Campaigns', N'U') IS NULL
CREATE TABLE ads.Campaigns (
    CampaignId INT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_Campaigns PRIMARY KEY,
    BrandId INT NOT NULL CONSTRAINT FK_Campaigns_Brands REFERENCES ads.Brands (BrandId),
    Name NVARCHAR(200) NOT NULL,
    Status VARCHAR(10) NOT NULL CONSTRAINT CK_Campaigns_Status CHECK (Status IN ('active', 'finished')),
    StartDate DATE NOT NULL,
    EndDate DATE NOT NULL,
    Budget DECIMAL(14, 2) NOT NULL CONSTRAINT CK_Campaigns_Budget CHECK (Budget >= 0),
    CreatedAt DATETIME2(0) NOT NULL CONSTRAINT DF_Campaigns_CreatedAt DEFAULT (SYSUTCDATETIME()),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT CK_Campaigns_Dates CHECK (EndDate >= StartDate)
);
GO

IF OBJECT_ID(N'ads.CampaignChannels', N'U') IS NULL
CREATE TABLE ads.CampaignChannels (
    CampaignId INT NOT NULL CONSTRAINT FK_CampaignChannels_Campaigns REFERENCES ads.Campaigns (CampaignId),
    ChannelId INT NOT NULL CONSTRAINT FK_CampaignChannels_Channels REFERENCES ads.Channels (ChannelId),
    -- A channel added to a campaign changes the channels in its summary.
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_CampaignChannels PRIMARY KEY (CampaignId, ChannelId)
);
GO
-- Upgrade: a database created before CampaignChannels carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.CampaignChannels', N'RowVer') IS NULL
ALTER TABLE ads.CampaignChannels ADD RowVer ROWVERSION NOT NULL;
GO

IF OBJECT_ID(N'ads.CampaignMarkets', N'U') IS NULL
CREATE TABLE ads.CampaignMarkets (
    CampaignId INT NOT NULL CONSTRAINT FK_CampaignMarkets_Campaigns REFERENCES ads.Campaigns (CampaignId),
    MarketId INT NOT NULL CONSTRAINT FK_CampaignMarkets_Markets REFERENCES ads.Markets (MarketId),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_CampaignMarkets PRIMARY KEY (CampaignId, MarketId)
);
GO
-- Upgrade: a database created before CampaignMarkets carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.CampaignMarkets', N'RowVer') IS NULL
ALTER TABLE ads.CampaignMarkets ADD RowVer ROWVERSION NOT NULL;
GO

IF OBJECT_ID(N'ads.Ads', N'U') IS NULL
CREATE TABLE ads.Ads (
    AdId INT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_Ads PRIMARY KEY,
    CampaignId INT NOT NULL,
    ChannelId INT NOT NULL,
    MarketId INT NOT NULL,
    Title NVARCHAR(200) NOT NULL,
    -- PromptContent image code (img-0001, ...); NULL for text-only ads such as SMS.
    ImageCode NVARCHAR(20) NULL,
    -- The utm_source as the agency typed it: free text, so reports normalise it (see the PA5 script).
    UtmSource NVARCHAR(60) NOT NULL,
    UnitPrice DECIMAL(10, 2) NOT NULL CONSTRAINT CK_Ads_UnitPrice CHECK (UnitPrice > 0),
    RowVer ROWVERSION NOT NULL,
    -- An ad may only use channels and markets its campaign signed up for.
    CONSTRAINT FK_Ads_CampaignChannels FOREIGN KEY (CampaignId, ChannelId)
    REFERENCES ads.CampaignChannels (CampaignId, ChannelId),
    CONSTRAINT FK_Ads_CampaignMarkets FOREIGN KEY (CampaignId, MarketId)
    REFERENCES ads.CampaignMarkets (CampaignId, MarketId)
);
GO

IF OBJECT_ID(N'ads.AdResults', N'U') IS NULL
CREATE TABLE ads.AdResults (
    AdId INT NOT NULL CONSTRAINT FK_AdResults_Ads REFERENCES ads.Ads (AdId),
    ChannelId INT NOT NULL CONSTRAINT FK_AdResults_Channels REFERENCES ads.Channels (ChannelId),
    ResultDate DATE NOT NULL,
    Likes INT NOT NULL CONSTRAINT CK_AdResults_Likes CHECK (Likes >= 0),
    Views INT NOT NULL,
    Interactions INT NOT NULL,
    Sales INT NOT NULL CONSTRAINT CK_AdResults_Sales CHECK (Sales >= 0),
    ExposureHours DECIMAL(10, 2) NOT NULL CONSTRAINT CK_AdResults_Exposure CHECK (ExposureHours >= 0),
    AudienceReached INT NOT NULL CONSTRAINT CK_AdResults_Reach CHECK (AudienceReached >= 0),
    Cost DECIMAL(12, 2) NOT NULL CONSTRAINT CK_AdResults_Cost CHECK (Cost > 0),
    Revenue DECIMAL(14, 2) NOT NULL CONSTRAINT CK_AdResults_Revenue CHECK (Revenue >= 0),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_AdResults PRIMARY KEY (AdId, ChannelId, ResultDate),
    -- The funnel: nobody is reached without a view, nobody buys without interacting.
    CONSTRAINT CK_AdResults_Funnel CHECK (AudienceReached <= Views AND Sales <= Interactions)
);
GO

IF OBJECT_ID(N'ads.Influencers', N'U') IS NULL
CREATE TABLE ads.Influencers (
    InfluencerId INT NOT NULL CONSTRAINT PK_Influencers PRIMARY KEY,
    Handle NVARCHAR(60) NOT NULL CONSTRAINT UQ_Influencers_Handle UNIQUE,
    ChannelId INT NOT NULL CONSTRAINT FK_Influencers_Channels REFERENCES ads.Channels (ChannelId),
    Followers INT NOT NULL CONSTRAINT CK_Influencers_Followers CHECK (Followers > 0),
    Niche NVARCHAR(40) NOT NULL
);
GO

IF OBJECT_ID(N'ads.InfluencerReactions', N'U') IS NULL
CREATE TABLE ads.InfluencerReactions (
    AdId INT NOT NULL CONSTRAINT FK_InfluencerReactions_Ads REFERENCES ads.Ads (AdId),
    InfluencerId INT NOT NULL CONSTRAINT FK_InfluencerReactions_Influencers
    REFERENCES ads.Influencers (InfluencerId),
    ReactionDate DATE NOT NULL,
    -- Likes, shares and comments the influencer's audience gave the ad that day.
    Reactions INT NOT NULL CONSTRAINT CK_InfluencerReactions_Reactions CHECK (Reactions >= 0),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_InfluencerReactions PRIMARY KEY (AdId, InfluencerId, ReactionDate)
);
GO

IF OBJECT_ID(N'ads.SentimentKinds', N'U') IS NULL
CREATE TABLE ads.SentimentKinds (
    SentimentKindId SMALLINT NOT NULL CONSTRAINT PK_SentimentKinds PRIMARY KEY,
    Name VARCHAR(30) NOT NULL CONSTRAINT UQ_SentimentKinds_Name UNIQUE,
    Polarity VARCHAR(10) NOT NULL CONSTRAINT CK_SentimentKinds_Polarity
    CHECK (Polarity IN ('positive', 'neutral', 'negative'))
);
GO

IF OBJECT_ID(N'ads.AdSentiment', N'U') IS NULL
CREATE TABLE ads.AdSentiment (
    AdId INT NOT NULL CONSTRAINT FK_AdSentiment_Ads REFERENCES ads.Ads (AdId),
    ChannelId INT NOT NULL CONSTRAINT FK_AdSentiment_Channels REFERENCES ads.Channels (ChannelId),
    SentimentDate DATE NOT NULL,
    SentimentKindId SMALLINT NOT NULL CONSTRAINT FK_AdSentiment_Kinds
    REFERENCES ads.SentimentKinds (SentimentKindId),
    -- Public posts and comments about the ad classified with this sentiment that day.
    Mentions INT NOT NULL CONSTRAINT CK_AdSentiment_Mentions CHECK (Mentions > 0),
    RowVer ROWVERSION NOT NULL,
    CONSTRAINT PK_AdSentiment PRIMARY KEY (AdId, ChannelId, SentimentDate, SentimentKindId)
);
GO

-- Written by the PA5 MERGE: the latest totals per campaign, kept for the account managers' report.
IF OBJECT_ID(N'ads.CampaignPerformance', N'U') IS NULL
CREATE TABLE ads.CampaignPerformance (
    CampaignId INT NOT NULL CONSTRAINT PK_CampaignPerformance PRIMARY KEY
    CONSTRAINT FK_CampaignPerformance_Campaigns REFERENCES ads.Campaigns (CampaignId),
    Reach BIGINT NOT NULL,
    Sales BIGINT NOT NULL,
    Revenue DECIMAL(16, 2) NOT NULL,
    Cost DECIMAL(16, 2) NOT NULL,
    BudgetUsedPct DECIMAL(9, 2) NULL,
    RefreshedAt DATETIME2(0) NOT NULL CONSTRAINT DF_CampaignPerformance_RefreshedAt DEFAULT (SYSUTCDATETIME())
);
GO
