-- CR12 dirty read, session 2 of 2: reads client 1's points while session 1's transfer is still open.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it only reads).
-- How to run: window 2, within 10 s of window 1:
--   sqlcmd -I -S <crm-server> -d PromptCrm -i 130_demo_dirty_read_session2.sql -v Mode=broken   (or Mode=fixed)
--   Expected output, broken: ClientId 1, LoyaltyPoints 40 at once, a balance that never existed (window
--   1's debit is rolled back); fixed: nothing until window 1 rolls back (up to 10 s), then 100.
-- Stand-in: sqlserver-only — PostgreSQL never returns uncommitted data, so this cannot be reproduced there.

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
    EXEC crm.PRCRMSP_GetLoyaltyPointsUnsafe @ClientId = 1;
ELSE IF @Mode = 'fixed'
    EXEC crm.PRCRMSP_GetLoyaltyPoints @ClientId = 1;
ELSE
    THROW 51299, N'Run with -v Mode=broken or -v Mode=fixed.', 1;
GO
