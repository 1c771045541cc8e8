-- CR6 demo: national IDs and context data go in as ciphertext and come back out only through the key.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (it overwrites the PII of clients 1 and 2 with the same demo values).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 045_demo_encrypt_decrypt.sql
--   (after 040_create_encryption.sql, 042_create_procedures_pii.sql and the seed).
-- Stand-in: sqlserver-only — needs the certificate and key of 040_create_encryption.sql.
--
-- What to look at: result 1 shows VARBINARY values starting 0x00 followed by the key GUID bytes (the
-- ciphertext), result 2 the plain values again, result 3 NULLs: without OPEN SYMMETRIC KEY nothing decrypts,
-- and result 4 NULL: a ciphertext moved onto another client fails its authenticator.

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
SELECT ClientId, NationalIdEncrypted, DATALENGTH(NationalIdEncrypted) AS CipherBytes, ContextDataEncrypted
FROM crm.Clients
WHERE ClientId IN (1, 2);

-- 2. Decrypted through the procedure (it opens and closes the key).
EXEC crm.PRCRMSP_GetClientPii @ClientId = 1;
EXEC crm.PRCRMSP_GetClientPii @ClientId = 2;

-- 3. Without the key open, DECRYPTBYKEY yields NULL.
SELECT
    ClientId,
    CONVERT(NVARCHAR(20), DECRYPTBYKEY(NationalIdEncrypted, 1, CONVERT(VARBINARY(4), ClientId))) AS NationalId
FROM crm.Clients
WHERE ClientId IN (1, 2);

-- 4. With the key open, client 1's ciphertext read as if it belonged to client 2 is rejected.
OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
SELECT CONVERT(NVARCHAR(20), DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), 2))) AS SwappedRow
FROM crm.Clients AS c
WHERE c.ClientId = 1;
EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
GO
