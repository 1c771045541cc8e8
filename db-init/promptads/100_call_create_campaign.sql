-- PromptAds (PA2): calls ads.PRADSSP_CreateCampaign once with good input, then once per kind of bad
-- input, printing each rejection and proving nothing was written.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: the good call adds one more campaign per run; the bad calls write nothing.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/100_call_create_campaign.sql
-- (after db init and `promptsales seed`, so brands, channels and markets exist).
-- Stand-in: sqlserver-only — it passes table-valued parameters, which PostgreSQL does not have.
--
-- Expected output: "created campaign <id>" and its row (Status active, Channels 2, Markets 2, Ads 2); then one
-- line per rejection: "unknown brand -> 50001 ...", "empty channel list -> 50006 ...", "end before start ->
-- 50004 ...", "negative budget -> 50005 ...", "duplicate markets -> 50010 ..."; then CampaignsBeforeBadCalls
-- equal to CampaignsAfterBadCalls.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

SET NOCOUNT ON;

DECLARE @Brand NVARCHAR(100) = (SELECT TOP (1) b.Name FROM ads.Brands AS b ORDER BY b.BrandId);
DECLARE @Channels ads.ChannelList;
DECLARE @Markets ads.MarketList;
DECLARE @Ads ads.AdList;
DECLARE @NoChannels ads.ChannelList;
DECLARE @TwiceCostaRica ads.MarketList;
DECLARE @NewCampaignId INT;
DECLARE @CampaignsBefore INT;

INSERT INTO @Channels (ChannelId) VALUES (2), (10);
INSERT INTO @Markets (MarketId) VALUES (1), (4);
INSERT INTO @TwiceCostaRica (MarketId) VALUES (1), (1);
INSERT INTO @Ads (ChannelId, MarketId, Title, ImageCode, UtmSource, UnitPrice)
VALUES
(2, 1, N'Holiday Magic reel', N'img-0007', N'instagram', 49.90),
(10, 4, N'Holiday Magic influencer story', N'img-0012', N'instagram', 49.90);

-- 1. Good input: one campaign, two channels, two markets, two ads, in one transaction.
EXEC ads.PRADSSP_CreateCampaign
    @BrandName = @Brand,
    @CampaignName = N'Holiday Magic 2025 (PA2 demo)',
    @StartDate = '2025-12-01',
    @EndDate = '2026-01-15',
    @Budget = 25000.00,
    @Channels = @Channels,
    @Markets = @Markets,
    @Ads = @Ads,
    @CampaignId = @NewCampaignId OUTPUT;
PRINT CONCAT(N'created campaign ', @NewCampaignId);
SELECT
    c.CampaignId,
    c.Name,
    c.Status,
    (SELECT COUNT(*) FROM ads.CampaignChannels AS cc WHERE cc.CampaignId = c.CampaignId) AS Channels,
    (SELECT COUNT(*) FROM ads.CampaignMarkets AS cm WHERE cm.CampaignId = c.CampaignId) AS Markets,
    (SELECT COUNT(*) FROM ads.Ads AS a WHERE a.CampaignId = c.CampaignId) AS Ads
FROM ads.Campaigns AS c
WHERE c.CampaignId = @NewCampaignId;

-- 2. Bad input: each call fails with its own message, and the campaign count does not move.
SET @CampaignsBefore = (SELECT COUNT(*) FROM ads.Campaigns);

BEGIN TRY
    EXEC ads.PRADSSP_CreateCampaign
        @BrandName = N'No Such Brand', @CampaignName = N'x', @StartDate = '2025-12-01',
        @EndDate = '2025-12-31', @Budget = 1000, @Channels = @Channels, @Markets = @Markets,
        @Ads = @Ads, @CampaignId = @NewCampaignId OUTPUT;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'unknown brand -> ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;

BEGIN TRY
    EXEC ads.PRADSSP_CreateCampaign
        @BrandName = @Brand, @CampaignName = N'x', @StartDate = '2025-12-01',
        @EndDate = '2025-12-31', @Budget = 1000, @Channels = @NoChannels, @Markets = @Markets,
        @Ads = @Ads, @CampaignId = @NewCampaignId OUTPUT;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'empty channel list -> ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;

BEGIN TRY
    EXEC ads.PRADSSP_CreateCampaign
        @BrandName = @Brand, @CampaignName = N'x', @StartDate = '2025-12-31',
        @EndDate = '2025-12-01', @Budget = 1000, @Channels = @Channels, @Markets = @Markets,
        @Ads = @Ads, @CampaignId = @NewCampaignId OUTPUT;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'end before start -> ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;

BEGIN TRY
    EXEC ads.PRADSSP_CreateCampaign
        @BrandName = @Brand, @CampaignName = N'x', @StartDate = '2025-12-01',
        @EndDate = '2025-12-31', @Budget = -5, @Channels = @Channels, @Markets = @Markets,
        @Ads = @Ads, @CampaignId = @NewCampaignId OUTPUT;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'negative budget -> ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;

BEGIN TRY
    EXEC ads.PRADSSP_CreateCampaign
        @BrandName = @Brand, @CampaignName = N'x', @StartDate = '2025-12-01',
        @EndDate = '2025-12-31', @Budget = 1000, @Channels = @Channels, @Markets = @TwiceCostaRica,
        @Ads = @Ads, @CampaignId = @NewCampaignId OUTPUT;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'duplicate markets -> ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;

SELECT
    @CampaignsBefore AS CampaignsBeforeBadCalls,
    (SELECT COUNT(*) FROM ads.Campaigns) AS CampaignsAfterBadCalls;
