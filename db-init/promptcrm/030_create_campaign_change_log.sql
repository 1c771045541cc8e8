-- PromptCrm: crm.CampaignChanges, the change log (outbox) the ETL reads leads, clients and sales from.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; the table is created only when it is not there yet.
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 030_create_campaign_change_log.sql
--   (also applied by `promptsales db init`); the triggers that fill it are in 035_.
-- Stand-in: transpile
--
-- Why a log and not RowVer: a RowVer delta shows rows that exist now, so it cannot tell the ETL what a
-- deleted lead or sale, or a sale moved to another campaign, took away from a campaign's totals. Each
-- row here is a signed contribution to one cell (CampaignId, ActivityDate), the finest grain PromptCrm has
-- for all three counts (a lead has a date but no channel or market): the SUM of a cell over the log since
-- it was created equals the live counts of that campaign and day, so the ETL applies "RowVer > watermark"
-- by adding, and never recounts a campaign.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- Upgrade: a log kept per campaign only (before ActivityDate) is dropped and created again below. Nothing
-- is lost: PromptSales keeps these counts per day from this version on, so its own upgrade
-- (db-init/promptsales/030_) resets the change-log watermark and its next ETL run reads PromptCrm in full,
-- which needs no log entry from before.
IF COL_LENGTH(N'crm.CampaignChanges', N'ActivityDate') IS NULL
DROP TABLE IF EXISTS crm.CampaignChanges;
GO

IF OBJECT_ID(N'crm.CampaignChanges', N'U') IS NULL
CREATE TABLE crm.CampaignChanges (
    ChangeId BIGINT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_CampaignChanges PRIMARY KEY,
    CampaignId INT NOT NULL,
    -- The day the counted rows belong to: CAST(Leads.CreatedAt AS DATE), ClientCampaigns.LinkedAt,
    -- Sales.SaleDate.
    ActivityDate DATE NOT NULL,
    -- Leads with a CreatedAt, and those of them whose Status is 'converted' (the client bought in the
    -- campaign): converted / leads is the success rate, within [0, 1] by construction.
    Leads INT NOT NULL,
    ConvertedLeads INT NOT NULL,
    -- Client-campaign links with a LinkedAt; their key is (ClientId, CampaignId), so this counts distinct
    -- clients of a campaign.
    Clients INT NOT NULL,
    -- Sales with a SaleDate and Amount >= 0, and the sum of their Amount.
    SalesCount INT NOT NULL,
    SalesAmount DECIMAL(18, 2) NOT NULL,
    ChangedAt DATETIME2 NOT NULL CONSTRAINT DF_CampaignChanges_ChangedAt DEFAULT (SYSUTCDATETIME()),
    -- The ETL's marks: not ChangeId, because an IDENTITY value taken by a transaction still open can be
    -- passed by a later one that commits first; RowVer below MIN_ACTIVE_ROWVERSION() is all committed.
    RowVer ROWVERSION NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CampaignChanges_RowVer')
CREATE NONCLUSTERED INDEX IX_CampaignChanges_RowVer ON crm.CampaignChanges (RowVer);
GO
