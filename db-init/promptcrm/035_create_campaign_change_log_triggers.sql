-- PromptCrm: the triggers that keep crm.CampaignChanges (030_) in step with leads, client links and sales.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER TRIGGER).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 035_create_campaign_change_log_triggers.sql
--   (also applied by `promptsales db init`).
-- Stand-in: postgres-file standin/035_create_campaign_change_log_triggers.sql — T-SQL triggers read the
--   inserted/deleted pseudo-tables; PostgreSQL needs PL/pgSQL functions and transition tables instead.
--
-- The invariant, per (CampaignId, ActivityDate): SUM(Leads) over the log = leads with a CreatedAt on that
-- day, SUM(ConvertedLeads) = those of them with Status 'converted'; SUM(Clients) = client links with that
-- LinkedAt; SUM(SalesCount) = sales with that SaleDate and Amount >= 0, SUM(SalesAmount) = their Amount.
-- * One INSERT per statement, netted per cell: a bulk load writes one log row per campaign and day, and
--   an UPDATE that changes nothing counted (HAVING) writes nothing.
-- * A row whose CampaignId or date changes counts -1 under the old cell (deleted) and +1 under the new
--   (inserted); a row that stops or starts being counted (a NULL date, a negative amount, a lead that
--   becomes converted) likewise.
-- * Status is compared under the column's collation, as every other query of PromptCrm compares it; the
--   CHECK constraint CK_Leads_Status admits only the documented values.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER TRIGGER crm.TR_Leads_LogChanges
ON crm.Leads
AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO crm.CampaignChanges (CampaignId, ActivityDate, Leads, ConvertedLeads, Clients, SalesCount,
        SalesAmount)
    SELECT c.CampaignId, c.ActivityDate, SUM(c.Sign), SUM(c.Sign * c.Converted), 0, 0, 0
    FROM (
        SELECT 1 AS Sign, CampaignId, CAST(CreatedAt AS DATE) AS ActivityDate,
            CASE WHEN Status = 'converted' THEN 1 ELSE 0 END AS Converted
        FROM inserted WHERE CreatedAt IS NOT NULL
        UNION ALL
        SELECT -1 AS Sign, CampaignId, CAST(CreatedAt AS DATE) AS ActivityDate,
            CASE WHEN Status = 'converted' THEN 1 ELSE 0 END AS Converted
        FROM deleted WHERE CreatedAt IS NOT NULL
    ) AS c
    GROUP BY c.CampaignId, c.ActivityDate
    HAVING SUM(c.Sign) <> 0 OR SUM(c.Sign * c.Converted) <> 0;
END;
GO

CREATE OR ALTER TRIGGER crm.TR_ClientCampaigns_LogChanges
ON crm.ClientCampaigns
AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO crm.CampaignChanges (CampaignId, ActivityDate, Leads, ConvertedLeads, Clients, SalesCount,
        SalesAmount)
    SELECT c.CampaignId, c.ActivityDate, 0, 0, SUM(c.Sign), 0, 0
    FROM (
        SELECT 1 AS Sign, CampaignId, LinkedAt AS ActivityDate FROM inserted WHERE LinkedAt IS NOT NULL
        UNION ALL
        SELECT -1 AS Sign, CampaignId, LinkedAt AS ActivityDate FROM deleted WHERE LinkedAt IS NOT NULL
    ) AS c
    GROUP BY c.CampaignId, c.ActivityDate
    HAVING SUM(c.Sign) <> 0;
END;
GO

CREATE OR ALTER TRIGGER crm.TR_Sales_LogChanges
ON crm.Sales
AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO crm.CampaignChanges (CampaignId, ActivityDate, Leads, ConvertedLeads, Clients, SalesCount,
        SalesAmount)
    SELECT c.CampaignId, c.ActivityDate, 0, 0, 0, SUM(c.Sign), SUM(c.Sign * c.Amount)
    FROM (
        SELECT 1 AS Sign, CampaignId, SaleDate AS ActivityDate, Amount
        FROM inserted WHERE SaleDate IS NOT NULL AND Amount >= 0
        UNION ALL
        SELECT -1 AS Sign, CampaignId, SaleDate AS ActivityDate, Amount
        FROM deleted WHERE SaleDate IS NOT NULL AND Amount >= 0
    ) AS c
    GROUP BY c.CampaignId, c.ActivityDate
    HAVING SUM(c.Sign) <> 0 OR SUM(c.Sign * c.Amount) <> 0;
END;
GO
