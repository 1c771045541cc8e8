-- CR5: linked server PROMPTADS, from the PromptCrm server to the PromptAds server (its own pod in Kubernetes).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (the linked server and its login mapping are created only when missing).
-- How to run (sysadmin on the PromptCrm server; the PromptAds login is a read-only SQL login from the vault):
--   sqlcmd -I -S <crm-server> -d master -i 060_create_linked_server.sql
--     -v AdsServer="promptads-mssql.promptsales.svc.cluster.local,1433" AdsUser="crm_reader" AdsPassword="..."
--   then 065_query_linked_server.sql.
-- Stand-in: sqlserver-only — linked servers are a SQL Server feature; on the stand-in both databases live on
--   one PostgreSQL and the tests compare them directly.
--
-- MSOLEDBSQL is the OLE DB driver SQL Server 2022 ships for linked servers. Every CRM login maps to the one
-- read-only PromptAds login (least privilege). "data access" is what OPENQUERY and four-part names need
-- (065 uses both); "rpc out" is for EXEC ... AT and remote procedure calls, which the CRM never makes, so
-- it stays off, and so does promotion of remote calls to distributed transactions (the CRM only reads).
--
-- Expected output: sp_testlinkedserver prints nothing (success), then one row: the PromptAds server's
-- name and its number of campaigns (1,000 after `promptsales seed`).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF NOT EXISTS (SELECT 1 FROM sys.servers WHERE name = N'PROMPTADS')
BEGIN
    EXEC master.dbo.sp_addlinkedserver
        @server = N'PROMPTADS',
        @srvproduct = N'',
        @provider = N'MSOLEDBSQL',
        @datasrc = N'$(AdsServer)',
        @catalog = N'PromptAds';
    EXEC master.dbo.sp_addlinkedsrvlogin
        @rmtsrvname = N'PROMPTADS',
        @useself = N'False',
        @locallogin = NULL,
        @rmtuser = N'$(AdsUser)',
        @rmtpassword = N'$(AdsPassword)';
    EXEC master.dbo.sp_serveroption @server = N'PROMPTADS', @optname = N'data access', @optvalue = N'true';
    EXEC master.dbo.sp_serveroption @server = N'PROMPTADS', @optname = N'rpc out', @optvalue = N'false';
    EXEC master.dbo.sp_serveroption
        @server = N'PROMPTADS', @optname = N'remote proc transaction promotion', @optvalue = N'false';
END;
GO

-- The connection works: the remote server's name and the number of campaigns it holds.
EXEC master.dbo.sp_testlinkedserver @servername = N'PROMPTADS';
SELECT r.ServerName, r.Campaigns
FROM OPENQUERY(
    PROMPTADS,
    'SELECT CAST(SERVERPROPERTY(''ServerName'') AS NVARCHAR(128)) AS ServerName, COUNT(*) AS Campaigns
     FROM PromptAds.ads.Campaigns'
) AS r;
GO
