-- CR12 lost update, session 1 of 2: adds 10 points to client 1 with a 10-second window between read and write.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it resets client 1 to 100 points first).
-- How to run: two sqlcmd windows against the PromptCrm server, after 100_create_procedures_concurrency.sql.
--   Window 1 (first):  sqlcmd -I -S <crm-server> -d PromptCrm -i 110_demo_lost_update_session1.sql -v Mode=broken
--   Window 2 (within 10 s): sqlcmd -I -S <crm-server> -d PromptCrm -i 110_demo_lost_update_session2.sql -v Mode=broken
--   Then the same with -v Mode=fixed in both windows.
--   Expected output, broken: this window returns LoyaltyPoints 110 after 10 s, then 110 'LOST UPDATE'
--   (window 2's +20, written meanwhile, was overwritten); fixed: 110 after 10 s, then 130 'correct'
--   (window 2 waited for this commit, then added its 20).
-- Stand-in: sqlserver-only — a two-session demo; tests/crm/test_concurrency.py runs the same pair on PostgreSQL.

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
UPDATE crm.Clients SET LoyaltyPoints = 100 WHERE ClientId = 1;

IF @Mode = 'broken'
    EXEC crm.PRCRMSP_AddLoyaltyPointsUnsafe @ClientId = 1, @Points = 10, @DelaySeconds = 10;
ELSE IF @Mode = 'fixed'
    EXEC crm.PRCRMSP_AddLoyaltyPoints @ClientId = 1, @Points = 10, @DelaySeconds = 10;
ELSE
    THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;

-- 100 + 10 + 20 = 130 is the right answer. In fixed mode window 2 only starts its write when this
-- window commits, so give it a moment to finish.
WAITFOR DELAY '00:00:03';
SELECT
    LoyaltyPoints,
    CASE WHEN LoyaltyPoints = 130 THEN 'correct' ELSE 'LOST UPDATE' END AS Verdict
FROM crm.Clients
WHERE ClientId = 1;
GO
