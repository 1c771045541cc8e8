-- PromptAds: ads.ResultChanges, the change log (outbox) the ETL reads results from, and
-- ads.DeletedCampaigns, the campaigns deleted since (their tombstones).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; the table is created only when it is not there yet.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/050_create_result_change_log.sql
--   (also applied by `promptsales db init`); the triggers that fill both tables are in 055_.
-- Stand-in: transpile
--
-- Why a log and not RowVer: a RowVer delta shows rows that exist now, so it cannot tell the ETL what a
-- deleted result, a result that became invalid or an ad moved to another campaign took away from a
-- summary. Each row here is a signed contribution to one cell (campaign, channel, market, day), the grain
-- of PromptAds results (an ad belongs to one market, a result row carries its channel and date): the SUM
-- of a cell over the log since it was created equals that cell's aggregate of the valid live results, so
-- the ETL applies "RowVer > watermark" by adding, and never has to recount a campaign.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- Upgrade: a log kept per month (ResultMonth, before the day grain) is dropped and created again below.
-- Nothing is lost: PromptSales keeps its figures per day from this version on, so its own upgrade
-- (db-init/promptsales/030_) resets the change-log watermark and its next ETL run reads PromptAds in full,
-- which needs no log entry from before.
IF COL_LENGTH(N'ads.ResultChanges', N'ResultMonth') IS NOT NULL
DROP TABLE ads.ResultChanges;
GO

IF OBJECT_ID(N'ads.ResultChanges', N'U') IS NULL
CREATE TABLE ads.ResultChanges (
    ChangeId BIGINT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_ResultChanges PRIMARY KEY,
    CampaignId INT NOT NULL,
    ChannelId INT NOT NULL,
    MarketId INT NOT NULL,
    -- AdResults.ResultDate: the grain of the PromptSales facts (analytics.ad_facts_daily).
    ResultDate DATE NOT NULL,
    -- Signed: +1 per valid result row added to the group, -1 per row taken out of it.
    Results INT NOT NULL,
    AudienceReached BIGINT NOT NULL,
    Views BIGINT NOT NULL,
    Likes BIGINT NOT NULL,
    Interactions BIGINT NOT NULL,
    Sales BIGINT NOT NULL,
    ExposureHours DECIMAL(18, 2) NOT NULL,
    Cost DECIMAL(18, 2) NOT NULL,
    Revenue DECIMAL(18, 2) NOT NULL,
    ChangedAt DATETIME2 NOT NULL CONSTRAINT DF_ResultChanges_ChangedAt DEFAULT (SYSUTCDATETIME()),
    -- The ETL's marks: not ChangeId, because an IDENTITY value taken by a transaction still open can be
    -- passed by a later one that commits first; RowVer below MIN_ACTIVE_ROWVERSION() is all committed.
    RowVer ROWVERSION NOT NULL
);
GO
-- Upgrade: a log created before it carried RowVer gets the column (every row filled).
IF COL_LENGTH(N'ads.ResultChanges', N'RowVer') IS NULL
ALTER TABLE ads.ResultChanges ADD RowVer ROWVERSION NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ResultChanges_RowVer')
CREATE NONCLUSTERED INDEX IX_ResultChanges_RowVer ON ads.ResultChanges (RowVer);
GO

-- A deleted campaign leaves no row whose RowVer could show the ETL it went, so TR_Campaigns_LogDeletes (055_)
-- writes its id here. The ETL reads these rows under the Campaigns watermark (the Campaigns high mark is
-- the highest RowVer of both tables) and drops the campaign's summary; an id that lives again (re-inserted)
-- is not dropped. One row per deletion, hence its own key: an id deleted twice has two rows.
IF OBJECT_ID(N'ads.DeletedCampaigns', N'U') IS NULL
CREATE TABLE ads.DeletedCampaigns (
    DeletionId BIGINT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_DeletedCampaigns PRIMARY KEY,
    CampaignId INT NOT NULL,
    DeletedAt DATETIME2 NOT NULL CONSTRAINT DF_DeletedCampaigns_DeletedAt DEFAULT (SYSUTCDATETIME()),
    RowVer ROWVERSION NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_DeletedCampaigns_RowVer')
CREATE NONCLUSTERED INDEX IX_DeletedCampaigns_RowVer ON ads.DeletedCampaigns (RowVer);
GO
