-- PromptAds (PA2): ads.PRADSSP_CreateCampaign creates a campaign with its channels, markets and ads
-- from table-valued parameters, all or nothing. Name template XXXXXSP_VerboEntidad: PRADS (PromptAds)
-- + SP_ + Create + Campaign.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/040_create_procedure_create_campaign.sql
-- (after 030_create_table_types.sql); 100_call_create_campaign.sql shows a call and every rejection.
-- Stand-in: sqlserver-only — it takes table-valued parameters, which PostgreSQL does not have.
--
-- Every input is checked before anything is written, each failure with its own error number and
-- message (50001-50014). XACT_ABORT makes any runtime error roll the whole transaction back, and the
-- CATCH block re-throws the original error to the caller after rolling back.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER PROCEDURE ads.PRADSSP_CreateCampaign
    @BrandName NVARCHAR(100),
    @CampaignName NVARCHAR(200),
    @StartDate DATE,
    @EndDate DATE,
    @Budget DECIMAL(14, 2),
    @Channels ads.ChannelList READONLY,
    @Markets ads.MarketList READONLY,
    @Ads ads.AdList READONLY,
    @CampaignId INT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @BrandId INT;
    DECLARE @Message NVARCHAR(400);

    BEGIN TRY
        SELECT @BrandId = b.BrandId
        FROM ads.Brands AS b
        WHERE b.Name = @BrandName;
        IF @BrandId IS NULL
            BEGIN
                SET @Message = CONCAT(N'PRADSSP_CreateCampaign: unknown brand "', @BrandName, N'".');
                THROW 50001, @Message, 1;
            END;

        IF @CampaignName IS NULL OR LTRIM(RTRIM(@CampaignName)) = N''
            THROW 50002, N'PRADSSP_CreateCampaign: the campaign name is empty.', 1;

        IF @StartDate IS NULL OR @EndDate IS NULL
            THROW 50003, N'PRADSSP_CreateCampaign: start and end dates are both required.', 1;

        IF @EndDate < @StartDate
            BEGIN
                SET @Message = CONCAT(N'PRADSSP_CreateCampaign: end date ', CONVERT(NVARCHAR(10), @EndDate, 23),
                    N' is before start date ', CONVERT(NVARCHAR(10), @StartDate, 23), N'.');
                THROW 50004, @Message, 1;
            END;

        IF @Budget IS NULL OR @Budget < 0
            THROW 50005, N'PRADSSP_CreateCampaign: the budget must be zero or more.', 1;

        IF NOT EXISTS (SELECT 1 FROM @Channels)
            THROW 50006, N'PRADSSP_CreateCampaign: the channel list is empty; give at least one channel.', 1;

        IF EXISTS (SELECT l.ChannelId FROM @Channels AS l GROUP BY l.ChannelId HAVING COUNT(*) > 1)
            THROW 50007, N'PRADSSP_CreateCampaign: the channel list repeats a channel.', 1;

        IF EXISTS (
            SELECT 1 FROM @Channels AS l
            WHERE NOT EXISTS (SELECT 1 FROM ads.Channels AS c WHERE c.ChannelId = l.ChannelId)
        )
            THROW 50008, N'PRADSSP_CreateCampaign: the channel list names a channel that does not exist.', 1;

        IF NOT EXISTS (SELECT 1 FROM @Markets)
            THROW 50009, N'PRADSSP_CreateCampaign: the market list is empty; give at least one market.', 1;

        IF EXISTS (SELECT l.MarketId FROM @Markets AS l GROUP BY l.MarketId HAVING COUNT(*) > 1)
            THROW 50010, N'PRADSSP_CreateCampaign: the market list repeats a market (duplicate markets).', 1;

        IF EXISTS (
            SELECT 1 FROM @Markets AS l
            WHERE NOT EXISTS (SELECT 1 FROM ads.Markets AS m WHERE m.MarketId = l.MarketId)
        )
            THROW 50011, N'PRADSSP_CreateCampaign: the market list names a market that does not exist.', 1;

        IF NOT EXISTS (SELECT 1 FROM @Ads)
            THROW 50012, N'PRADSSP_CreateCampaign: the ad list is empty; give at least one ad.', 1;

        IF EXISTS (
            SELECT 1 FROM @Ads AS a
            WHERE
                NOT EXISTS (SELECT 1 FROM @Channels AS l WHERE l.ChannelId = a.ChannelId)
                OR NOT EXISTS (SELECT 1 FROM @Markets AS l WHERE l.MarketId = a.MarketId)
        )
            THROW 50013, N'PRADSSP_CreateCampaign: an ad uses a channel or market that is not in the campaign''s lists.', 1;

        IF EXISTS (SELECT 1 FROM @Ads AS a WHERE a.UnitPrice <= 0 OR LTRIM(RTRIM(a.Title)) = N'')
            THROW 50014, N'PRADSSP_CreateCampaign: every ad needs a title and a unit price above zero.', 1;

        BEGIN TRANSACTION;

        INSERT INTO ads.Campaigns (BrandId, Name, Status, StartDate, EndDate, Budget)
        VALUES (
            @BrandId, LTRIM(RTRIM(@CampaignName)),
            CASE WHEN @EndDate < CAST(SYSUTCDATETIME() AS DATE) THEN 'finished' ELSE 'active' END,
            @StartDate, @EndDate, @Budget
        );
        SET @CampaignId = CAST(SCOPE_IDENTITY() AS INT);

        INSERT INTO ads.CampaignChannels (CampaignId, ChannelId)
        SELECT @CampaignId, l.ChannelId FROM @Channels AS l;

        INSERT INTO ads.CampaignMarkets (CampaignId, MarketId)
        SELECT @CampaignId, l.MarketId FROM @Markets AS l;

        INSERT INTO ads.Ads (CampaignId, ChannelId, MarketId, Title, ImageCode, UtmSource, UnitPrice)
        SELECT @CampaignId, a.ChannelId, a.MarketId, a.Title, a.ImageCode, a.UtmSource, a.UnitPrice
        FROM @Ads AS a;

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
