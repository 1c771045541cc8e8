-- PromptAds (PA2): the table types PRADSSP_CreateCampaign takes as table-valued parameters (TVPs).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; each type is created only when it is not there yet (a type in use by a
-- procedure cannot be altered: drop ads.PRADSSP_CreateCampaign first to change one).
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/030_create_table_types.sql
-- Stand-in: sqlserver-only — PostgreSQL has no table types or table-valued parameters.
-- No keys on the lists on purpose: duplicates must reach the procedure, which rejects them by name.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF TYPE_ID(N'ads.ChannelList') IS NULL
CREATE TYPE ads.ChannelList AS TABLE (
    ChannelId INT NOT NULL
);
GO

IF TYPE_ID(N'ads.MarketList') IS NULL
CREATE TYPE ads.MarketList AS TABLE (
    MarketId INT NOT NULL
);
GO

IF TYPE_ID(N'ads.AdList') IS NULL
CREATE TYPE ads.AdList AS TABLE (
    ChannelId INT NOT NULL,
    MarketId INT NOT NULL,
    Title NVARCHAR(200) NOT NULL,
    ImageCode NVARCHAR(20) NULL,
    UtmSource NVARCHAR(60) NOT NULL,
    UnitPrice DECIMAL(10, 2) NOT NULL
);
GO
