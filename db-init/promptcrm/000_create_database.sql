-- Creates the PromptCrm database and the isolation settings the CR12 fixed demos rely on.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (creates only what is missing; the ALTERs are idempotent).
-- How to run: sqlcmd -I -S <crm-server> -d master -i 000_create_database.sql
-- Expected output: nothing (the ALTERs print no rows); sys.databases then shows PromptCrm with
--   snapshot_isolation_state 1 and is_read_committed_snapshot_on 0.
-- Stand-in: sqlserver-only — CREATE DATABASE and snapshot settings are server administration; `promptsales
--   stack up` creates the stand-in database and PostgreSQL always reads committed row versions.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF DB_ID(N'PromptCrm') IS NULL
    CREATE DATABASE PromptCrm;
GO

-- The fixed "incorrect summary" procedure reads under SNAPSHOT isolation (120_demo_incorrect_summary_*.sql).
ALTER DATABASE PromptCrm SET ALLOW_SNAPSHOT_ISOLATION ON;
-- Left OFF on purpose: with READ_COMMITTED_SNAPSHOT ON the locking demos (dirty read, lost update) would
-- read row versions instead of blocking, and the broken/fixed contrast would be invisible.
ALTER DATABASE PromptCrm SET READ_COMMITTED_SNAPSHOT OFF WITH ROLLBACK IMMEDIATE;
GO
