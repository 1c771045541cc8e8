-- SQL Server Audit (N4): who logged in or failed to, who changed permissions, logins, users or roles, who
-- changed a schema, and who read or changed PromptCrm's personal data (clients, leads, sales). SQL Server
-- on Linux writes audit events to files only; the pod's audit-shipper container reads them with
-- sys.fn_get_audit_file and prints one JSON line per event, which the cluster's log pipeline keeps 90 days.
-- The files here are only a buffer: 10 files of 64 MB, the oldest replaced first.
-- Dialect: T-SQL for SQL Server 2022, sqlcmd variables. Safe to re-run: yes (each object is created only
-- when missing and then switched on; an existing audit is left as it is).
-- Run (the bootstrap Job does, on each server, as sa):
--   sqlcmd -I -b -S <server> -U sa -i mssql-audit.sql -v DatabaseName=PromptAds AuditDir=/var/opt/mssql/audit
-- Expected output: none; afterwards SELECT name, is_state_enabled FROM sys.server_audits shows
-- PromptSalesAudit 1, and sys.fn_get_audit_file('/var/opt/mssql/audit/*.sqlaudit', DEFAULT, DEFAULT) has rows.
-- The audit statements run through EXEC (N'...'): sqlfluff's T-SQL grammar lacks
-- them; SQL Server runs them the same.

SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

USE master;
GO

-- ON_FAILURE = CONTINUE: a full audit disk must not stop the database; the shipper's gap alarm reports it.
IF NOT EXISTS (SELECT 1 FROM sys.server_audits WHERE name = N'PromptSalesAudit')
BEGIN
    EXEC (N'CREATE SERVER AUDIT PromptSalesAudit
        TO FILE (FILEPATH = N''$(AuditDir)'', MAXSIZE = 64 MB, MAX_ROLLOVER_FILES = 10, RESERVE_DISK_SPACE = OFF)
        WITH (QUEUE_DELAY = 1000, ON_FAILURE = CONTINUE);');
END;
GO

IF NOT EXISTS (SELECT 1 FROM sys.server_audit_specifications WHERE name = N'PromptSalesServerAudit')
BEGIN
    EXEC (N'CREATE SERVER AUDIT SPECIFICATION PromptSalesServerAudit FOR SERVER AUDIT PromptSalesAudit
        ADD (SUCCESSFUL_LOGIN_GROUP),
        ADD (FAILED_LOGIN_GROUP),
        ADD (SERVER_PRINCIPAL_CHANGE_GROUP),
        ADD (SERVER_ROLE_MEMBER_CHANGE_GROUP),
        ADD (SERVER_PERMISSION_CHANGE_GROUP),
        ADD (DATABASE_PRINCIPAL_CHANGE_GROUP),
        ADD (DATABASE_ROLE_MEMBER_CHANGE_GROUP),
        ADD (DATABASE_PERMISSION_CHANGE_GROUP),
        ADD (SCHEMA_OBJECT_CHANGE_GROUP),
        ADD (BACKUP_RESTORE_GROUP),
        ADD (AUDIT_CHANGE_GROUP)
        WITH (STATE = ON);');
END;
GO

EXEC (N'ALTER SERVER AUDIT PromptSalesAudit WITH (STATE = ON);');
GO

USE [$(DatabaseName)];
GO

-- Personal data (GDPR/CCPA): every read and change of the CRM's people and money, by anyone.
IF DB_NAME() = N'PromptCrm'
    AND NOT EXISTS (SELECT 1 FROM sys.database_audit_specifications WHERE name = N'PromptCrmPersonalData')
BEGIN
    EXEC (N'CREATE DATABASE AUDIT SPECIFICATION PromptCrmPersonalData FOR SERVER AUDIT PromptSalesAudit
        ADD (SELECT, INSERT, UPDATE, DELETE ON crm.Clients BY public),
        ADD (SELECT, INSERT, UPDATE, DELETE ON crm.Leads BY public),
        ADD (SELECT, INSERT, UPDATE, DELETE ON crm.Sales BY public)
        WITH (STATE = ON);');
END;
GO
