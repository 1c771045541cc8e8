-- CR6 (and CR7): one X.509 certificate, created in master, protects PromptCrm twice: Transparent Data
-- Encryption of the whole database (the database encryption key is encrypted by the certificate, so every
-- data page, log record and backup is), and column encryption of national IDs and context data (the
-- AES-256 key PromptCrmPiiKey is encrypted by the same certificate, imported into PromptCrm from its
-- backup files). The certificate and its private key are backed up to files before they protect anything.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (every object is created only when missing; the files are written on the first run).
-- How to run (sysadmin, on the PromptCrm server, after 000 and 010; passwords from the vault, never from git):
--   sqlcmd -I -b -S <crm-server> -d master -i 040_create_encryption.sql
--     -v MasterKeyPassword="..." CrmMasterKeyPassword="..." CertFilePassword="..." CertDir="/var/opt/mssql/keys"
--   CertDir must exist and be writable by SQL Server: the promptcrm-mssql pod's init container creates
--   /var/opt/mssql/keys on its data volume. Then put the two files and CertFilePassword in the vault:
--   kubectl -n promptsales cp promptcrm-mssql-0:/var/opt/mssql/keys/PromptCrmPiiCert.cer ./PromptCrmPiiCert.cer
--   kubectl -n promptsales cp promptcrm-mssql-0:/var/opt/mssql/keys/PromptCrmPiiCert.pvk ./PromptCrmPiiCert.pvk
-- Stand-in: sqlserver-only — certificates, TDE and symmetric keys do not exist in PostgreSQL; the stand-in
--   leaves NationalIdEncrypted and ContextDataEncrypted NULL rather than pretend.
--
-- Key hierarchy on this server:
--   service master key -> master's database master key -> certificate PromptCrmPiiCert (master)
--     -> PromptCrm's database encryption key (TDE, AES_256)
--   PromptCrm's database master key (its password, and this server's service master key)
--     -> PromptCrmPiiCert's copy in PromptCrm (same thumbprint) -> PromptCrmPiiKey (AES_256) -> the columns
-- SQL Server lets a symmetric key be encrypted only by a certificate of its own database, hence the copy.
-- Another server restores a PromptCrm backup only with the certificate files and their password (without
-- them: Msg 33111), and decrypts the columns only with CrmMasterKeyPassword as well (without it: Msg 15581);
-- 055_restore_and_prove_server2.sql shows each outcome.
-- Statements sqlfluff's T-SQL grammar lacks run through EXEC (N'...'); SQL Server runs them the same, and
-- tests/sqlserver checks their text against the documented syntax.
--
-- Expected output: (1) two rows, master and PromptCrm, both PromptCrmPiiCert with the same thumbprint;
-- master's with a pvt_key_last_backup_date; (2) PromptCrm, encryption_state 2 (encrypting) or 3
-- (encrypted), AES 256, encryptor_type CERTIFICATE, encryptor_thumbprint = that thumbprint;
-- (3) PromptCrmPiiKey AES_256 256.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
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

IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)';

IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'CREATE CERTIFICATE PromptCrmPiiCert
        WITH SUBJECT = N''PromptCrm: TDE, national IDs and context data'', EXPIRY_DATE = ''20301231'';');

-- Written while PromptCrm does not hold its copy yet, that is on the first run: BACKUP CERTIFICATE
-- refuses to overwrite a file, and the copy is made from these files.
IF NOT EXISTS (SELECT 1 FROM PromptCrm.sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'BACKUP CERTIFICATE PromptCrmPiiCert TO FILE = N''$(CertDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(CertDir)/PromptCrmPiiCert.pvk'',
                          ENCRYPTION BY PASSWORD = ''$(CertFilePassword)'');');
GO

USE PromptCrm;
GO

-- TDE. The background scan that encrypts the existing pages starts here; 050 waits for it to finish.
IF NOT EXISTS (SELECT 1 FROM sys.dm_database_encryption_keys WHERE database_id = DB_ID())
    EXEC (N'CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256
        ENCRYPTION BY SERVER CERTIFICATE PromptCrmPiiCert;');
GO
ALTER DATABASE PromptCrm SET ENCRYPTION ON;
GO

-- Column encryption.
IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(CrmMasterKeyPassword)';

IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'CREATE CERTIFICATE PromptCrmPiiCert FROM FILE = N''$(CertDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(CertDir)/PromptCrmPiiCert.pvk'',
                          DECRYPTION BY PASSWORD = ''$(CertFilePassword)'');');

IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'PromptCrmPiiKey')
    EXEC (N'CREATE SYMMETRIC KEY PromptCrmPiiKey
        WITH ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE PromptCrmPiiCert;');
GO

-- 1. The certificate in both databases: one X.509 certificate (same thumbprint).
SELECT
    N'master' AS DatabaseName,
    c.name,
    c.thumbprint,
    c.expiry_date,
    c.pvt_key_encryption_type_desc,
    c.pvt_key_last_backup_date
FROM master.sys.certificates AS c
WHERE c.name = N'PromptCrmPiiCert'
UNION ALL
SELECT N'PromptCrm', c.name, c.thumbprint, c.expiry_date, c.pvt_key_encryption_type_desc, c.pvt_key_last_backup_date
FROM sys.certificates AS c
WHERE c.name = N'PromptCrmPiiCert';

-- 2. TDE: the database encryption key and the certificate that protects it.
SELECT
    DB_NAME(k.database_id) AS DatabaseName,
    k.encryption_state,
    k.key_algorithm,
    k.key_length,
    k.encryptor_type,
    k.encryptor_thumbprint
FROM sys.dm_database_encryption_keys AS k
WHERE k.database_id = DB_ID();

-- 3. The column key.
SELECT k.name, k.algorithm_desc, k.key_length
FROM sys.symmetric_keys AS k
WHERE k.name = N'PromptCrmPiiKey';
GO
