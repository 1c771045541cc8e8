-- CR12 cascading deadlock of three transactions, session 1 of 3: transfers 10 points from client 1 to client 2.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (session 1 resets clients 1-3 to 100 points first).
-- How to run: three sqlcmd windows against the PromptCrm server, each started within 10 s of the first:
--   Window 1: sqlcmd -I -S <crm-server> -d PromptCrm -i 140_demo_cascading_deadlock_session1.sql -v Mode=broken
--   Window 2: sqlcmd -I -S <crm-server> -d PromptCrm -i 140_demo_cascading_deadlock_session2.sql -v Mode=broken
--   Window 3: sqlcmd -I -S <crm-server> -d PromptCrm -i 140_demo_cascading_deadlock_session3.sql -v Mode=broken
--   Then all three again with -v Mode=fixed.
--   broken: 1 waits for 2, 2 waits for 3, 3 waits for 1; SQL Server's deadlock monitor ends one of them
--   with error 1205 and the other two commit. fixed: every transfer locks the lower ClientId first, the
--   transfers queue behind each other and all three commit; clients 1-3 still hold 300 points in total.
-- Stand-in: sqlserver-only — a three-session demo; tests/crm/test_concurrency.py runs the same trio on PostgreSQL.

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
DECLARE @Mode VARCHAR(10) = '$(Mode)';
UPDATE crm.Clients SET LoyaltyPoints = 100 WHERE ClientId IN (1, 2, 3);
BEGIN TRY
    IF @Mode = 'broken'
        EXEC crm.PRCRMSP_TransferLoyaltyPointsUnsafe
            @FromClientId = 1, @ToClientId = 2, @Points = 10, @DelaySeconds = 10;
    ELSE IF @Mode = 'fixed'
        EXEC crm.PRCRMSP_TransferLoyaltyPoints
            @FromClientId = 1, @ToClientId = 2, @Points = 10, @DelaySeconds = 10;
    ELSE
        THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;
    PRINT N'session 1: transfer committed';
END TRY
BEGIN CATCH
    PRINT CONCAT(N'session 1: error ', ERROR_NUMBER(), N': ', ERROR_MESSAGE());
END CATCH;
SELECT SUM(LoyaltyPoints) AS PointsOfClients1To3 FROM crm.Clients WHERE ClientId IN (1, 2, 3);
GO
