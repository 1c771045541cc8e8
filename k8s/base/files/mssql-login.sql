-- A least-privilege SQL Server login with a read-only user in one database.
-- Dialect: T-SQL, SQL Server 2022, run with sqlcmd (scripting variables). Safe to re-run: creates the
-- login and user if missing, otherwise resets the password (rotation) and the role membership.
-- Run (the bootstrap Job does, once per login, after db-init created the database):
--   sqlcmd -C -S promptads-mssql -U sa -b -i mssql-login.sql -v DatabaseName=PromptAds LoginName=promptads_etl
-- with the password in the environment variable LoginPassword (sqlcmd reads scripting variables from
-- the environment, so it never appears on a command line).
--   promptads_etl / promptcrm_etl  the n8n ETL reads deltas: db_datareader
--   crm_reader                 PromptCrm's linked server to PromptAds (CR5): db_datareader
-- (Not in the sqlfluff parse check of db-init/: sqlfluff 3's T-SQL grammar has no ALTER LOGIN.)
IF NOT EXISTS (SELECT 1 FROM sys.server_principals WHERE name = N'$(LoginName)')
BEGIN
    -- CHECK_POLICY is ON by default: the password must meet the server's complexity policy.
    CREATE LOGIN [$(LoginName)] WITH PASSWORD = N'$(LoginPassword)', DEFAULT_DATABASE = [$(DatabaseName)];
END
ELSE
BEGIN
    ALTER LOGIN [$(LoginName)] WITH PASSWORD = N'$(LoginPassword)';
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
