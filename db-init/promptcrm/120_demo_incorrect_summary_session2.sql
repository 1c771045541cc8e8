-- CR12 incorrect summary, session 2 of 2: moves 50 points from client 1 to the last client while session 1 sums.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (session 1 makes sure client 1 has the 50 points to move before its window opens).
-- How to run: window 2, within 10 s of window 1 (either Mode of window 1; this side is the same):
--   sqlcmd -I -S <crm-server> -d PromptCrm -i 120_demo_incorrect_summary_session2.sql
--   Expected output: "moved 50 points from client 1 to the last client" at once, in both modes (the
--   SNAPSHOT reader of the fixed version blocks no writer).
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
DECLARE @Last INT = (SELECT MAX(ClientId) FROM crm.Clients);
EXEC crm.PRCRMSP_TransferLoyaltyPoints @FromClientId = 1, @ToClientId = @Last, @Points = 50, @DelaySeconds = 0;
PRINT N'moved 50 points from client 1 to the last client';
GO
