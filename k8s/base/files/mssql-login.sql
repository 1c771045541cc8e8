-- A least-privilege SQL Server login with a read-only user in one database.
-- Dialect: T-SQL, SQL Server 2022, run with sqlcmd (scripting variables). Safe to re-run: creates the
-- login and user if missing, otherwise resets the password (rotation) and the role membership.
-- Run (the bootstrap Job does, once per login, after db-init created the database):
--   sqlcmd -C -I -S promptads-mssql -U sa -b -i mssql-login.sql -v DatabaseName=PromptAds LoginName=promptads_etl
-- with the password in the environment variable LoginPassword (sqlcmd reads scripting variables from
-- the environment, so it never appears on a command line).
--   promptads_etl / promptcrm_etl  the n8n ETL reads deltas: db_datareader
--   crm_reader                 PromptCrm's linked server to PromptAds (CR5): db_datareader
-- CREATE LOGIN and ALTER LOGIN run through EXEC (N'...'): sqlfluff's T-SQL grammar lacks them, and the
-- tests check that text against the documented syntax instead (tests/sqlserver).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF NOT EXISTS (SELECT 1 FROM sys.server_principals WHERE name = N'$(LoginName)')
BEGIN
    -- CHECK_POLICY is ON by default: the password must meet the server's complexity policy.
    EXEC (N'CREATE LOGIN [$(LoginName)] WITH PASSWORD = N''$(LoginPassword)'', DEFAULT_DATABASE = [$(DatabaseName)];');
END
ELSE
BEGIN
    EXEC (N'ALTER LOGIN [$(LoginName)] WITH PASSWORD = N''$(LoginPassword)'';');
END;
GO
USE [$(DatabaseName)];
GO
IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'$(LoginName)')
BEGIN
    CREATE USER [$(LoginName)] FOR LOGIN [$(LoginName)];
END;
ALTER ROLE db_datareader ADD MEMBER [$(LoginName)];
GO
