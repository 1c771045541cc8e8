-- CR12 lost update, session 2 of 2: adds 20 points to client 1 while session 1 is inside its window.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (run it right after 110_demo_lost_update_session1.sql, which resets the data).
-- How to run: window 2, within 10 s of window 1, same Mode:
--   sqlcmd -I -S <crm-server> -d PromptCrm -i 110_demo_lost_update_session2.sql -v Mode=broken   (or Mode=fixed)
--   Expected output, broken: LoyaltyPoints 120 at once (window 1 then overwrites it with 110); fixed:
--   nothing until window 1 commits (up to 10 s), then 130.
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

IF @Mode = 'broken'
    EXEC crm.PRCRMSP_AddLoyaltyPointsUnsafe @ClientId = 1, @Points = 20, @DelaySeconds = 0;
ELSE IF @Mode = 'fixed'
    EXEC crm.PRCRMSP_AddLoyaltyPoints @ClientId = 1, @Points = 20, @DelaySeconds = 0;
ELSE
    THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;
GO
