-- CR12 dirty read, session 1 of 2: a transfer debits client 1, waits 10 seconds, then fails and rolls back.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it resets client 1 to 100 points; the transfer always rolls back).
-- How to run: two sqlcmd windows against the PromptCrm server (READ_COMMITTED_SNAPSHOT OFF, 000_create_database.sql).
--   Window 1 (first, same for both modes):
--     sqlcmd -I -S <crm-server> -d PromptCrm -i 130_demo_dirty_read_session1.sql
--   Window 2 (within 10 s): sqlcmd -I -S <crm-server> -d PromptCrm -i 130_demo_dirty_read_session2.sql -v Mode=broken
--   Then run window 1 again and window 2 with -v Mode=fixed.
--   Expected output after 10 s, both modes: "transfer rolled back as planned: Loyalty demo: the transfer
--   failed at the end and was rolled back." and CommittedPoints 100.
-- Stand-in: sqlserver-only — PostgreSQL never returns uncommitted data, even under READ UNCOMMITTED, so
--   there is no broken version to show there; tests/crm/test_concurrency.py asserts exactly that.

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
UPDATE crm.Clients SET LoyaltyPoints = 100 WHERE ClientId = 1;
BEGIN TRY
    EXEC crm.PRCRMSP_TransferLoyaltyPoints
        @FromClientId = 1, @ToClientId = 2, @Points = 60, @DelaySeconds = 10, @RollBackAtEnd = 1;
END TRY
BEGIN CATCH
    PRINT CONCAT(N'transfer rolled back as planned: ', ERROR_MESSAGE());
END CATCH;
SELECT ClientId, LoyaltyPoints AS CommittedPoints FROM crm.Clients WHERE ClientId = 1;
GO
