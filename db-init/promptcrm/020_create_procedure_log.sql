-- CR11: crm.PRCRMSP_WriteLog, the one way rows get into crm.Logs (name template XXXXXSP_VerboEntidad).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 020_create_procedure_log.sql
--   then the checks: sqlcmd -I -S <crm-server> -d PromptCrm -b -i 025_test_procedure_log.sql
-- Stand-in: sqlserver-only — a T-SQL procedure (TRY/CATCH, THROW); the stand-in keeps the crm.Logs table only.
--
-- Every parameter is validated before anything is written, each failure with its own error number, so
-- a caller (or 025_test_procedure_log.sql) can tell them apart. A logger must never undo its caller's
-- work: called inside a transaction it writes under a savepoint and, on failure, rolls back to that
-- savepoint only, leaving the caller's transaction as it was; called outside one it uses its own.
-- XACT_ABORT is OFF inside (a procedure's SET lasts until it returns) because ON would doom the caller's
-- transaction on any error, even a rejected argument. A caller whose transaction is already doomed gets
-- error 51005 (log after the rollback: a row written inside a transaction that is rolled back goes with it).

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
    SET XACT_ABORT OFF;
    DECLARE @CallerTransaction BIT = IIF(@@TRANCOUNT > 0, 1, 0);
    DECLARE @Saved BIT = 0;
    BEGIN TRY
        IF XACT_STATE() = -1
            THROW 51005, N'PRCRMSP_WriteLog: the caller''s transaction is doomed; roll it back, then log.', 1;
        IF @Severity IS NULL OR UPPER(@Severity) NOT IN ('DEBUG', 'INFO', 'WARNING', 'ERROR')
            THROW 51001, N'PRCRMSP_WriteLog: @Severity must be DEBUG, INFO, WARNING or ERROR.', 1;
        IF @Source IS NULL OR LEN(LTRIM(RTRIM(@Source))) = 0
            THROW 51002, N'PRCRMSP_WriteLog: @Source is required (the procedure or job that logs).', 1;
        IF @Message IS NULL OR LEN(LTRIM(RTRIM(@Message))) = 0
            THROW 51003, N'PRCRMSP_WriteLog: @Message is required and cannot be blank.', 1;
        IF @Details IS NOT NULL AND ISJSON(@Details) = 0
            THROW 51004, N'PRCRMSP_WriteLog: @Details must be a JSON document when given.', 1;

        IF @CallerTransaction = 1
        BEGIN
            SAVE TRANSACTION PRCRMSP_WriteLog;
            SET @Saved = 1;
        END
        ELSE
            BEGIN TRANSACTION;
        INSERT INTO crm.Logs (Severity, Source, Message, Details, LoggedBy)
        VALUES (UPPER(@Severity), LTRIM(RTRIM(@Source)), @Message, @Details, ORIGINAL_LOGIN());
        SET @LogId = SCOPE_IDENTITY();
        IF @CallerTransaction = 0
            COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        -- Undo this procedure's own write only; a doomed transaction (XACT_STATE -1) is the caller's to end.
        IF @CallerTransaction = 0 AND XACT_STATE() <> 0
            ROLLBACK TRANSACTION;
        ELSE IF @Saved = 1 AND XACT_STATE() = 1
            ROLLBACK TRANSACTION PRCRMSP_WriteLog;
        THROW;
    END CATCH;
END;
GO
