-- CR11 test: crm.PRCRMSP_WriteLog writes one row for good input and nothing for each kind of bad input.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it deletes only the rows it wrote, identified by its own Source value).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -b -i 025_test_procedure_log.sql
--   -b makes sqlcmd exit non-zero when a check THROWs. Expected output: "ok 1" to "ok 8", one line each,
--   then "PRCRMSP_WriteLog: all checks passed".
-- Stand-in: sqlserver-only — exercises the T-SQL procedure of 020_create_procedure_log.sql.

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
DECLARE @TestSource NVARCHAR(128) = CONCAT(N'test-PRCRMSP_WriteLog-', CONVERT(NVARCHAR(36), NEWID()));
DECLARE @LogId BIGINT;
DECLARE @Before INT;
DECLARE @Caught INT;

-- 1. Good input: exactly one row, with the values given and the severity normalized to upper case.
EXEC crm.PRCRMSP_WriteLog
    @Severity = 'info',
    @Source = @TestSource,
    @Message = N'nightly import finished',
    @Details = N'{"rows": 500000}',
    @LogId = @LogId OUTPUT;
IF NOT EXISTS (
    SELECT 1 FROM crm.Logs
    WHERE LogId = @LogId AND Severity = 'INFO' AND Source = @TestSource AND Message = N'nightly import finished'
)
    THROW 59001, N'FAILED: the good call did not write the expected row.', 1;
PRINT N'ok 1 - good input writes one row';

-- 2-5. Bad input: the expected error number, and no row written.
SELECT @Before = COUNT(*) FROM crm.Logs WHERE Source = @TestSource;

SET @Caught = 0;
BEGIN TRY
    EXEC crm.PRCRMSP_WriteLog @Severity = 'LOUD', @Source = @TestSource, @Message = N'x';
END TRY
BEGIN CATCH
    IF ERROR_NUMBER() = 51001 SET @Caught = 1;
END CATCH;
IF @Caught = 0 THROW 59002, N'FAILED: an unknown severity was not rejected with error 51001.', 1;
PRINT N'ok 2 - unknown severity rejected';

SET @Caught = 0;
BEGIN TRY
    EXEC crm.PRCRMSP_WriteLog @Severity = 'ERROR', @Source = N'   ', @Message = N'x';
END TRY
BEGIN CATCH
    IF ERROR_NUMBER() = 51002 SET @Caught = 1;
END CATCH;
IF @Caught = 0 THROW 59003, N'FAILED: a blank source was not rejected with error 51002.', 1;
PRINT N'ok 3 - blank source rejected';

SET @Caught = 0;
BEGIN TRY
    EXEC crm.PRCRMSP_WriteLog @Severity = 'ERROR', @Source = @TestSource, @Message = NULL;
END TRY
BEGIN CATCH
    IF ERROR_NUMBER() = 51003 SET @Caught = 1;
END CATCH;
IF @Caught = 0 THROW 59004, N'FAILED: a missing message was not rejected with error 51003.', 1;
PRINT N'ok 4 - missing message rejected';

SET @Caught = 0;
BEGIN TRY
    EXEC crm.PRCRMSP_WriteLog @Severity = 'WARNING', @Source = @TestSource, @Message = N'x', @Details = N'not json';
END TRY
BEGIN CATCH
    IF ERROR_NUMBER() = 51004 SET @Caught = 1;
END CATCH;
IF @Caught = 0 THROW 59005, N'FAILED: details that are not JSON were not rejected with error 51004.', 1;
PRINT N'ok 5 - non-JSON details rejected';

IF (SELECT COUNT(*) FROM crm.Logs WHERE Source = @TestSource) <> @Before
    THROW 59006, N'FAILED: a rejected call wrote a row.', 1;
PRINT N'ok 6 - rejected calls wrote nothing';

-- 7. Inside a caller's transaction, a rejected call leaves that transaction open and committable.
BEGIN TRANSACTION;
BEGIN TRY
    EXEC crm.PRCRMSP_WriteLog @Severity = 'LOUD', @Source = @TestSource, @Message = N'x';
END TRY
BEGIN CATCH
    SET @Caught = ERROR_NUMBER();
END CATCH;
IF @Caught <> 51001 OR @@TRANCOUNT <> 1 OR XACT_STATE() <> 1
BEGIN
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    THROW 59007, N'FAILED: a rejected call inside a transaction ended or doomed that transaction.', 1;
END;
PRINT N'ok 7 - a rejected call keeps the caller''s transaction';

-- 8. A good call inside it writes under the caller's transaction: the caller's rollback takes the row too.
EXEC crm.PRCRMSP_WriteLog @Severity = 'INFO', @Source = @TestSource, @Message = N'inside', @LogId = @LogId OUTPUT;
IF @@TRANCOUNT <> 1 OR NOT EXISTS (SELECT 1 FROM crm.Logs WHERE LogId = @LogId)
BEGIN
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    THROW 59008, N'FAILED: a call inside a transaction committed it or wrote nothing.', 1;
END;
ROLLBACK TRANSACTION;
IF EXISTS (SELECT 1 FROM crm.Logs WHERE LogId = @LogId)
    THROW 59008, N'FAILED: the row outlived the caller''s rollback.', 1;
PRINT N'ok 8 - inside a transaction the row belongs to the caller''s transaction';

DELETE FROM crm.Logs WHERE Source = @TestSource;
PRINT N'PRCRMSP_WriteLog: all checks passed';
GO
