-- CR7 step 2 of 2: restore PromptCrm on ANOTHER server and prove the encrypted columns stay unreadable there.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (RESTORE ... WITH REPLACE).
-- How to run, on the OTHER server (a fresh SQL Server 2022 pod, no PromptCrm certificate, its own service
-- master key), after 050_backup_database_server1.sql copied PromptCrm.bak there:
--   sqlcmd -I -S <other-server> -d master -i 055_restore_and_prove_server2.sql -v BackupDir="/var/opt/mssql/backup"
-- Stand-in: sqlserver-only — RESTORE and the SQL Server key hierarchy cannot be reproduced on PostgreSQL.
--
-- Why it fails there: the certificate's private key inside PromptCrm is protected by PromptCrm's database
-- master key, which in turn is protected by the ORIGINAL server's service master key. The other server's
-- service master key cannot open it, so OPEN SYMMETRIC KEY raises error 15581 ("Please create a master
-- key in the database or open the master key in the session ...") and DECRYPTBYKEY returns NULL. Only the
-- CrmMasterKeyPassword (kept in the vault) or the certificate files with their password would unlock it.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- The logical file names inside the backup, needed for MOVE.
EXEC (N'RESTORE FILELISTONLY FROM DISK = N''$(BackupDir)/PromptCrm.bak'';');

EXEC (N'RESTORE DATABASE PromptCrm FROM DISK = N''$(BackupDir)/PromptCrm.bak''
    WITH MOVE N''PromptCrm'' TO N''/var/opt/mssql/data/PromptCrm.mdf'',
         MOVE N''PromptCrm_log'' TO N''/var/opt/mssql/data/PromptCrm_log.ldf'',
         REPLACE, CHECKSUM, RECOVERY;');
GO

USE PromptCrm;
GO

-- 1. The data came across: the ciphertext is the same bytes as on the original server.
SELECT TOP (3) c.ClientId, c.NationalIdEncrypted
FROM crm.Clients AS c
WHERE c.NationalIdEncrypted IS NOT NULL
ORDER BY c.ClientId;

-- 2. The certificate row came across too, but its private key cannot be reached here.
SELECT
    c.name,
    c.thumbprint,
    c.pvt_key_encryption_type_desc,
    k.is_master_key_encrypted_by_server
FROM sys.certificates AS c
CROSS JOIN sys.databases AS k
WHERE c.name = N'PromptCrmPiiCert' AND k.name = N'PromptCrm';

-- 3. Opening the key fails, and decryption yields NULL: the proof of CR7.
BEGIN TRY
    OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
    PRINT N'UNEXPECTED: the key opened on this server; the certificate or master key password leaked here.';
END TRY
BEGIN CATCH
    PRINT CONCAT(N'As expected, the key cannot be opened here: error ', ERROR_NUMBER(), N': ', ERROR_MESSAGE());
END CATCH;

SELECT
    COUNT(*) AS EncryptedRows,
    SUM(
        CASE
            WHEN DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)) IS NULL THEN 1 ELSE 0
        END
    ) AS RowsThatStayUnreadable
FROM crm.Clients AS c
WHERE c.NationalIdEncrypted IS NOT NULL;
GO
