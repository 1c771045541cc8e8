-- CR7 step 2 of 2: restore the PromptCrm backup on ANOTHER server. Without the certificate of master it
-- cannot be restored at all (TDE); with the certificate restored from its files it can, and the encrypted
-- columns stay unreadable until PromptCrm's own database master key is opened with its password.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, on the proof server: part 0 drops the scratch database PromptCrmRestored and, only
--   on the server named by RestoreServer, the certificate a previous run restored, so every run starts
--   from a server that has never held the certificate (on any other server that DROP is skipped).
-- How to run, on the OTHER server: pod restore-mssql-0 (`kubectl apply -k k8s/overlays/cr7-restore`), a fresh
-- SQL Server 2022 with its own service master key. First copy the backup (050) and, from the vault, the two
-- certificate files there; on disk they change nothing until part B reads them:
--   kubectl -n promptsales cp ./PromptCrm.bak restore-mssql-0:/var/opt/mssql/backup/PromptCrm.bak
--   kubectl -n promptsales cp ./PromptCrmPiiCert.cer restore-mssql-0:/var/opt/mssql/keys/PromptCrmPiiCert.cer
--   kubectl -n promptsales cp ./PromptCrmPiiCert.pvk restore-mssql-0:/var/opt/mssql/keys/PromptCrmPiiCert.pvk
--   sqlcmd -I -S <restore-server> -d master -i 055_restore_and_prove_server2.sql
--     -v RestoreServer="restore-mssql-0" BackupDir="/var/opt/mssql/backup" CertDir="/var/opt/mssql/keys"
--        CertFilePassword="..." ServerMasterKeyPassword="..." CrmMasterKeyPassword="..."
--   Without -b: part A's error is the expected outcome, and sqlcmd must go on to part B.
-- Stand-in: sqlserver-only — RESTORE, TDE and the SQL Server key hierarchy cannot be reproduced on PostgreSQL.
--
-- Expected output, part by part:
--   0. ServerName restore-mssql-0, HasCertificate 0.
--   A. Msg 33111, Level 16, State 3: Cannot find server certificate with thumbprint '0x...' (the thumbprint
--      040 printed), then Msg 3013: RESTORE DATABASE is terminating abnormally; RestoredDatabase NULL.
--      PromptCrm's database encryption key is encrypted by PromptCrmPiiCert of the ORIGINAL master: no
--      page of the backup can be read here without it.
--   B. HasCertificate 1 with the same thumbprint, "RESTORE DATABASE successfully processed ... pages";
--      the same three ciphertexts 050 printed; "As expected, the column key cannot be opened here: error
--      15581: Please create a master key in the database or open the master key in the session before
--      performing this operation."; EncryptedRows = RowsThatStayUnreadable. The certificate copy inside the
--      database is protected by PromptCrm's database master key, which only the ORIGINAL server's service
--      master key opens by itself.
--   C. With CrmMasterKeyPassword from the vault the master key opens and is re-protected by this server's
--      service master key; then client 1 decrypts to the values 050 printed (1-0234-0567 and its JSON).

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

-- 0. A server that has never held the certificate.
IF DB_ID(N'PromptCrmRestored') IS NOT NULL
    DROP DATABASE PromptCrmRestored;
IF CAST(SERVERPROPERTY('MachineName') AS NVARCHAR(128)) = N'$(RestoreServer)'
    AND EXISTS (SELECT 1 FROM master.sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'DROP CERTIFICATE PromptCrmPiiCert;');
SELECT
    CAST(SERVERPROPERTY('MachineName') AS NVARCHAR(128)) AS ServerName,
    (SELECT COUNT(*) FROM master.sys.certificates WHERE name = N'PromptCrmPiiCert') AS HasCertificate;
GO

-- A. The restore without the certificate: expected to fail with Msg 33111.
EXEC (N'RESTORE DATABASE PromptCrmRestored FROM DISK = N''$(BackupDir)/PromptCrm.bak''
    WITH MOVE N''PromptCrm'' TO N''/var/opt/mssql/data/PromptCrmRestored.mdf'',
         MOVE N''PromptCrm_log'' TO N''/var/opt/mssql/data/PromptCrmRestored_log.ldf'',
         CHECKSUM, RECOVERY;');
GO
SELECT DB_ID(N'PromptCrmRestored') AS RestoredDatabase;
GO

-- B. The certificate from its backup files (this server's own master key protects its private key here),
--    then the same restore.
IF NOT EXISTS (SELECT 1 FROM master.sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(ServerMasterKeyPassword)';
IF NOT EXISTS (SELECT 1 FROM master.sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'CREATE CERTIFICATE PromptCrmPiiCert FROM FILE = N''$(CertDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(CertDir)/PromptCrmPiiCert.pvk'',
                          DECRYPTION BY PASSWORD = ''$(CertFilePassword)'');');
SELECT COUNT(*) AS HasCertificate, MAX(c.thumbprint) AS Thumbprint
FROM master.sys.certificates AS c
WHERE c.name = N'PromptCrmPiiCert';
-- A restore that failed part of the way can leave the database behind in RESTORING state.
IF DB_ID(N'PromptCrmRestored') IS NOT NULL
    DROP DATABASE PromptCrmRestored;
EXEC (N'RESTORE DATABASE PromptCrmRestored FROM DISK = N''$(BackupDir)/PromptCrm.bak''
    WITH MOVE N''PromptCrm'' TO N''/var/opt/mssql/data/PromptCrmRestored.mdf'',
         MOVE N''PromptCrm_log'' TO N''/var/opt/mssql/data/PromptCrmRestored_log.ldf'',
         CHECKSUM, RECOVERY;');
GO

USE PromptCrmRestored;
GO

-- The ciphertext came across, byte for byte.
SELECT TOP (3)
    c.ClientId,
    c.NationalIdEncrypted
FROM crm.Clients AS c
WHERE c.NationalIdEncrypted IS NOT NULL
ORDER BY c.ClientId;

-- The column key cannot be opened: its certificate's private key needs PromptCrm's master key.
BEGIN TRY
    OPEN SYMMETRIC KEY PromptCrmPiiKey DECRYPTION BY CERTIFICATE PromptCrmPiiCert;
    EXEC (N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;');
    PRINT N'UNEXPECTED: the column key opened without the database master key password.';
END TRY
BEGIN CATCH
    PRINT CONCAT(N'As expected, the column key cannot be opened here: error ', ERROR_NUMBER(), N': ', ERROR_MESSAGE());
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

-- C. PromptCrm's master key, opened with its password and re-protected by this server's service master key.
EXEC (N'OPEN MASTER KEY DECRYPTION BY PASSWORD = ''$(CrmMasterKeyPassword)'';
    ALTER MASTER KEY ADD ENCRYPTION BY SERVICE MASTER KEY;
    CLOSE MASTER KEY;');
EXEC crm.PRCRMSP_GetClientPii @ClientId = 1;
GO
