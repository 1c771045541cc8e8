-- CR11: crm.PRCRMSP_WriteLog, the one way rows get into crm.Logs (name template XXXXXSP_VerboEntidad).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 020_create_procedure_log.sql
--   then the checks: sqlcmd -I -S <crm-server> -d PromptCrm -b -i 025_test_procedure_log.sql
-- Stand-in: sqlserver-only — a T-SQL procedure (TRY/CATCH, THROW); the stand-in keeps the crm.Logs table only.
--
-- Every parameter is validated before anything is written, each failure with its own error number, so
-- a caller (or 025_test_procedure_log.sql) can tell them apart; XACT_ABORT plus the CATCH rollback
-- guarantees no partial write. Callers that are rolling back their own transaction should log after the
-- rollback: a log row written inside a transaction that is rolled back disappears with it.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER PROCEDURE crm.PRCRMSP_WriteLog
    @Severity VARCHAR(10),
    @Source NVARCHAR(128),
    @Message NVARCHAR(2000),
    @Details NVARCHAR(MAX) = NULL,
    @LogId BIGINT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        IF @Severity IS NULL OR UPPER(@Severity) NOT IN ('DEBUG', 'INFO', 'WARNING', 'ERROR')
            THROW 51001, N'PRCRMSP_WriteLog: @Severity must be DEBUG, INFO, WARNING or ERROR.', 1;
        IF @Source IS NULL OR LEN(LTRIM(RTRIM(@Source))) = 0
            THROW 51002, N'PRCRMSP_WriteLog: @Source is required (the procedure or job that logs).', 1;
        IF @Message IS NULL OR LEN(LTRIM(RTRIM(@Message))) = 0
            THROW 51003, N'PRCRMSP_WriteLog: @Message is required and cannot be blank.', 1;
        IF @Details IS NOT NULL AND ISJSON(@Details) = 0
            THROW 51004, N'PRCRMSP_WriteLog: @Details must be a JSON document when given.', 1;

        BEGIN TRANSACTION;
        INSERT INTO crm.Logs (Severity, Source, Message, Details, LoggedBy)
        VALUES (UPPER(@Severity), LTRIM(RTRIM(@Source)), @Message, @Details, ORIGINAL_LOGIN());
        SET @LogId = SCOPE_IDENTITY();
        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO
