-- CR12 deadlock between two clients on two computers, computer A: moves 10 points from client 1 to client 2.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (transfers conserve points; run computer A first, it resets clients 1 and 2).
-- How to run: from two different computers that both reach the PromptCrm server, within 10 s of each other:
--   computer A: sqlcmd -I -S <crm-server> -d PromptCrm -U <user> -i 150_demo_two_computer_deadlock_computer_a.sql -v Mode=broken
--   computer B: sqlcmd -I -S <crm-server> -d PromptCrm -U <user> -i 150_demo_two_computer_deadlock_computer_b.sql -v Mode=broken
--   then both with -v Mode=fixed. The same demo as a small Python client with a role argument:
--   python -m promptsales.crm_demos.deadlock_client --role a|b --mode broken|fixed --backend sqlserver
--   Expected output, broken: a few seconds after both have waited their 10 s, one computer prints "computer X: error 1205: Transaction
--   (Process ID ..) was deadlocked ... chosen as the deadlock victim. Rerun the transaction." and the
--   other "computer X: transfer committed"; fixed: B waits for A, both print "transfer committed".
--   ClientId 1 and 2 with their points last: 90 and 110 or 110 and 90 (broken), 100 and 100 (fixed).
-- Stand-in: sqlserver-only — the Python client runs the same pair on the PostgreSQL stand-in (--backend standin).

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
UPDATE crm.Clients SET LoyaltyPoints = 100 WHERE ClientId IN (1, 2);
BEGIN TRY
    IF @Mode = 'broken'
        EXEC crm.PRCRMSP_TransferLoyaltyPointsUnsafe
            @FromClientId = 1, @ToClientId = 2, @Points = 10, @DelaySeconds = 10;
    ELSE IF @Mode = 'fixed'
        EXEC crm.PRCRMSP_TransferLoyaltyPoints
            @FromClientId = 1, @ToClientId = 2, @Points = 10, @DelaySeconds = 10;
    ELSE
        THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;
    PRINT N'computer A: transfer committed';
END TRY
BEGIN CATCH
    PRINT CONCAT(N'computer A: error ', ERROR_NUMBER(), N': ', ERROR_MESSAGE());
END CATCH;
SELECT ClientId, LoyaltyPoints FROM crm.Clients WHERE ClientId IN (1, 2);
GO
