-- CR6 demo: national IDs and context data go in as ciphertext and come back out only through the key.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it overwrites the PII of clients 1 and 2 with the same demo values).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 045_demo_encrypt_decrypt.sql
--   (after 040_create_encryption.sql, 042_create_procedures_pii.sql and the seed).
-- Stand-in: sqlserver-only — needs the certificate and key of 040_create_encryption.sql.
--
-- Expected output:
--   1. clients 1 and 2: NationalIdEncrypted a VARBINARY of 100 bytes (CipherBytes; 22 plaintext bytes,
--      by the formula in 042), KeyGuidInCipher equal to KeyGuid (a ciphertext starts with the GUID of the
--      key that made it); client 1's ContextDataEncrypted 164 bytes, client 2's NULL.
--   2. and 3. the plain values back: 1-0234-0567 with {"segment": "premium", "notes": "prefers SMS"};
--      2-0345-0678 with NULL.
--   4. NationalId NULL for both: without OPEN SYMMETRIC KEY, DECRYPTBYKEY returns NULL.
--   5. SwappedRow NULL: client 1's ciphertext read as if it were client 2's fails its authenticator.
--   6. "rejected as expected: 51104 ..." for 3,901 characters of context data, then CipherUnchanged 1;
--      and OpenKeysLeft 0: the failed call left no key open.

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

EXEC crm.PRCRMSP_SetClientPii
    @ClientId = 1, @NationalId = N'1-0234-0567', @ContextData = N'{"segment": "premium", "notes": "prefers SMS"}';
EXEC crm.PRCRMSP_SetClientPii @ClientId = 2, @NationalId = N'2-0345-0678', @ContextData = NULL;

-- 1. What is stored.
SELECT
    c.ClientId,
    c.NationalIdEncrypted,
    DATALENGTH(c.NationalIdEncrypted) AS CipherBytes,
    CONVERT(UNIQUEIDENTIFIER, SUBSTRING(c.NationalIdEncrypted, 1, 16)) AS KeyGuidInCipher,
    KEY_GUID('PromptCrmPiiKey') AS KeyGuid,
    DATALENGTH(c.ContextDataEncrypted) AS ContextCipherBytes
FROM crm.Clients AS c
WHERE c.ClientId IN (1, 2);

-- 2. and 3. Decrypted through the procedure (it opens and closes the key).
EXEC crm.PRCRMSP_GetClientPii @ClientId = 1;
EXEC crm.PRCRMSP_GetClientPii @ClientId = 2;

-- 4. Without the key open, DECRYPTBYKEY yields NULL.
SELECT
    ClientId,
    CONVERT(NVARCHAR(20), DECRYPTBYKEY(NationalIdEncrypted, 1, CONVERT(VARBINARY(4), ClientId))) AS NationalId
FROM crm.Clients
WHERE ClientId IN (1, 2);

-- 5. With the key open, client 1's ciphertext read as if it belonged to client 2 is rejected.
OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
SELECT CONVERT(NVARCHAR(20), DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), 2))) AS SwappedRow
FROM crm.Clients AS c
WHERE c.ClientId = 1;
EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');

-- 6. Context data longer than ENCRYPTBYKEY can hold is refused whole, and the key is not left open.
DECLARE @Before VARBINARY(8000) = (SELECT NationalIdEncrypted FROM crm.Clients WHERE ClientId = 1);
DECLARE @TooLong NVARCHAR(MAX) = CONCAT(N'{"notes": "', REPLICATE(CONVERT(NVARCHAR(MAX), N'x'), 3888), N'"}');
BEGIN TRY
    EXEC crm.PRCRMSP_SetClientPii @ClientId = 1, @NationalId = N'1-0234-0567', @ContextData = @TooLong;
    PRINT N'UNEXPECTED: 3,901 characters of context data were accepted';
END TRY
BEGIN CATCH
    PRINT CONCAT(N'rejected as expected: ', ERROR_NUMBER(), N' ', ERROR_MESSAGE());
END CATCH;
SELECT
    CASE WHEN c.NationalIdEncrypted = @Before THEN 1 ELSE 0 END AS CipherUnchanged,
    (SELECT COUNT(*) FROM sys.openkeys WHERE key_name = N'PromptCrmPiiKey') AS OpenKeysLeft
FROM crm.Clients AS c
WHERE c.ClientId = 1;
GO
