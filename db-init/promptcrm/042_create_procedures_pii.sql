-- CR6: the two procedures through which national IDs and context data are written and read.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 042_create_procedures_pii.sql (after 040_create_encryption.sql)
-- Stand-in: sqlserver-only — ENCRYPTBYKEY/DECRYPTBYKEY need the certificate of 040_create_encryption.sql.
--
-- The ClientId is passed to ENCRYPTBYKEY as the authenticator, so a ciphertext copied onto another
-- client's row does not decrypt there (DECRYPTBYKEY returns NULL).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER PROCEDURE crm.PRCRMSP_SetClientPii
    @ClientId INT,
    @NationalId NVARCHAR(20),
    @ContextData NVARCHAR(MAX) = NULL
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        IF @ClientId IS NULL OR NOT EXISTS (SELECT 1 FROM crm.Clients WHERE ClientId = @ClientId)
            THROW 51101, N'PRCRMSP_SetClientPii: @ClientId does not name an existing client.', 1;
        IF @NationalId IS NULL OR @NationalId NOT LIKE N'[0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'
            THROW 51102, N'PRCRMSP_SetClientPii: @NationalId must look like 1-2345-6789.', 1;
        IF @ContextData IS NOT NULL AND ISJSON(@ContextData) = 0
            THROW 51103, N'PRCRMSP_SetClientPii: @ContextData must be a JSON document when given.', 1;

        OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
        BEGIN TRANSACTION;
        UPDATE crm.Clients
        SET
            NationalIdEncrypted = ENCRYPTBYKEY(
                KEY_GUID('PromptCrmPiiKey'), @NationalId, 1, CONVERT(VARBINARY(4), @ClientId)
            ),
            ContextDataEncrypted = ENCRYPTBYKEY(
                KEY_GUID('PromptCrmPiiKey'), @ContextData, 1, CONVERT(VARBINARY(4), @ClientId)
            )
        WHERE ClientId = @ClientId;
        COMMIT TRANSACTION;
        EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
    END TRY
    BEGIN CATCH
        IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH;
END;
GO

CREATE OR ALTER PROCEDURE crm.PRCRMSP_GetClientPii
    @ClientId INT
AS
BEGIN
    SET NOCOUNT ON;
    IF @ClientId IS NULL OR NOT EXISTS (SELECT 1 FROM crm.Clients WHERE ClientId = @ClientId)
        THROW 51111, N'PRCRMSP_GetClientPii: @ClientId does not name an existing client.', 1;

    OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
    SELECT
        c.ClientId,
        CONVERT(NVARCHAR(20), DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)))
        AS NationalId,
        CONVERT(NVARCHAR(MAX), DECRYPTBYKEY(c.ContextDataEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)))
        AS ContextData
    FROM crm.Clients AS c
    WHERE c.ClientId = @ClientId;
    EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
END;
GO
