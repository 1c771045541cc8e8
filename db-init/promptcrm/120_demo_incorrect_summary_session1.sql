-- CR12 incorrect summary, session 1 of 2: totals all loyalty points in two halves with a 10-second gap.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (transfers conserve the total; it only tops client 1 up to 50 points when needed).
-- How to run: two sqlcmd windows against the PromptCrm server (ALLOW_SNAPSHOT_ISOLATION ON, 000_create_database.sql).
--   Window 1 (first):  sqlcmd -I -S <crm-server> -d PromptCrm -i 120_demo_incorrect_summary_session1.sql -v Mode=broken
--   Window 2 (within 10 s): sqlcmd -I -S <crm-server> -d PromptCrm -i 120_demo_incorrect_summary_session2.sql
--   Then again with -v Mode=fixed in window 1.
--   Expected output after 10 s, broken: Reported, RealTotal and Difference 50 (the 50 points moved from
--   client 1, already counted, to the last client, not yet counted); fixed: Difference 0.
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
DECLARE @Split INT = (SELECT MAX(ClientId) / 2 FROM crm.Clients);
DECLARE @Reported BIGINT;
-- Before the window opens, not inside it: a top-up during the window would itself skew the report.
UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + 50 WHERE ClientId = 1 AND LoyaltyPoints < 50;

IF @Mode = 'broken'
    EXEC crm.PRCRMSP_ReportLoyaltyTotalUnsafe @SplitClientId = @Split, @DelaySeconds = 10, @Total = @Reported OUTPUT;
ELSE IF @Mode = 'fixed'
    EXEC crm.PRCRMSP_ReportLoyaltyTotal @SplitClientId = @Split, @DelaySeconds = 10, @Total = @Reported OUTPUT;
ELSE
    THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;

-- One statement, after the transfer committed: the real total (a transfer never changes it).
SELECT
    @Reported AS Reported,
    t.RealTotal,
    @Reported - t.RealTotal AS Difference
FROM (SELECT SUM(CAST(LoyaltyPoints AS BIGINT)) AS RealTotal FROM crm.Clients) AS t;
GO
