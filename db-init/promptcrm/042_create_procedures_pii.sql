-- CR6: the two procedures through which national IDs and context data are written and read.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER).
-- How to run: sqlcmd -I -b -S <crm-server> -d PromptCrm -i 042_create_procedures_pii.sql (after 040_create_encryption.sql)
--   -I matters here too: a procedure keeps the QUOTED_IDENTIFIER it was created with, and crm.Clients has
--   an indexed view (080), so an UPDATE from a procedure created with it OFF fails with Msg 1934.
-- Stand-in: sqlserver-only — ENCRYPTBYKEY/DECRYPTBYKEY need the certificate of 040_create_encryption.sql.
--
-- The ClientId is passed to ENCRYPTBYKEY as the authenticator, so a ciphertext copied onto another
-- client's row does not decrypt there (DECRYPTBYKEY returns NULL).
-- ENCRYPTBYKEY returns at most 8,000 bytes. Its output for AES is
--   16 (key GUID) + 4 (header) + 16 (IV) + 16 * (FLOOR((8 + plaintext bytes + authenticator hash) / 16) + 1)
-- (Microsoft's published formula; the hash is 20 bytes, SHA-1), so at most 7,911 plaintext bytes fit even if
-- the hash were 32 bytes. Context data is therefore capped at 7,800 bytes (3,900 UTF-16 characters) and
-- rejected above that with error 51104, never truncated; a NULL ciphertext (a key that cannot be used)
-- is error 51105 and writes nothing. The key is open only while the two values are encrypted or read,
-- and closed on every path, errors included (CATCH closes it when sys.openkeys still lists it).

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
    DECLARE @NationalIdCipher VARBINARY(8000);
    DECLARE @ContextDataCipher VARBINARY(8000);
    BEGIN TRY
        IF @ClientId IS NULL OR NOT EXISTS (SELECT 1 FROM crm.Clients WHERE ClientId = @ClientId)
            THROW 51101, N'PRCRMSP_SetClientPii: @ClientId does not name an existing client.', 1;
        IF @NationalId IS NULL OR @NationalId NOT LIKE N'[0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'
            THROW 51102, N'PRCRMSP_SetClientPii: @NationalId must look like 1-2345-6789.', 1;
        IF @ContextData IS NOT NULL AND ISJSON(@ContextData) = 0
            THROW 51103, N'PRCRMSP_SetClientPii: @ContextData must be a JSON document when given.', 1;
        IF DATALENGTH(@ContextData) > 7800
            THROW 51104, N'PRCRMSP_SetClientPii: @ContextData is limited to 7,800 bytes (3,900 characters).', 1;

        OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
        SET @NationalIdCipher = ENCRYPTBYKEY(
            KEY_GUID('PromptCrmPiiKey'), @NationalId, 1, CONVERT(VARBINARY(4), @ClientId)
        );
        SET @ContextDataCipher = ENCRYPTBYKEY(
            KEY_GUID('PromptCrmPiiKey'), CONVERT(NVARCHAR(3900), @ContextData), 1, CONVERT(VARBINARY(4), @ClientId)
        );
        EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
        IF @NationalIdCipher IS NULL OR (@ContextData IS NOT NULL AND @ContextDataCipher IS NULL)
            THROW 51105, N'PRCRMSP_SetClientPii: PromptCrmPiiKey could not encrypt; nothing was written.', 1;

        UPDATE crm.Clients
        SET NationalIdEncrypted = @NationalIdCipher, ContextDataEncrypted = @ContextDataCipher
        WHERE ClientId = @ClientId;
    END TRY
    BEGIN CATCH
        IF EXISTS (SELECT 1 FROM sys.openkeys WHERE key_name = N'PromptCrmPiiKey' AND database_id = DB_ID())
            EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
        THROW;
    END CATCH;
END;
GO

CREATE OR ALTER PROCEDURE crm.PRCRMSP_GetClientPii
    @ClientId INT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    BEGIN TRY
        IF @ClientId IS NULL OR NOT EXISTS (SELECT 1 FROM crm.Clients WHERE ClientId = @ClientId)
            THROW 51111, N'PRCRMSP_GetClientPii: @ClientId does not name an existing client.', 1;

        OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
        SELECT
            c.ClientId,
            CONVERT(NVARCHAR(20), DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)))
            AS NationalId,
            CONVERT(NVARCHAR(3900), DECRYPTBYKEY(c.ContextDataEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)))
            AS ContextData
        FROM crm.Clients AS c
        WHERE c.ClientId = @ClientId;
        EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
    END TRY
    BEGIN CATCH
        IF EXISTS (SELECT 1 FROM sys.openkeys WHERE key_name = N'PromptCrmPiiKey' AND database_id = DB_ID())
            EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
        THROW;
    END CATCH;
END;
GO
