-- CR6: the X.509 certificate in master that protects the AES-256 key encrypting national IDs and context data.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (every object is created only when missing).
-- How to run (as sysadmin, on the PromptCrm server; passwords come from the vault, never from git):
--   sqlcmd -I -S <crm-server> -d master -i 040_create_encryption.sql
--     -v MasterKeyPassword="..." CrmMasterKeyPassword="..." CertFilePassword="..." CertDir="/var/opt/mssql/keys"
-- Stand-in: sqlserver-only — certificates and symmetric keys do not exist in PostgreSQL; the stand-in leaves
--   NationalIdEncrypted and ContextDataEncrypted NULL rather than pretend.
--
-- Key hierarchy: service master key -> master's database master key -> certificate PromptCrmPiiCert
-- (created in master) -> symmetric key PromptCrmPiiKey (AES_256, in PromptCrm) -> the column values.
-- SQL Server only lets a symmetric key be protected by a certificate of its own database, so the
-- certificate made in master is exported with its private key and imported into PromptCrm; its private key
-- is then protected by PromptCrm's database master key, which is protected by this server's service master
-- key. That chain is what does not travel with a backup (CR7, 055_restore_and_prove_server2.sql).
-- Some statements run through EXEC (N'...') only because sqlfluff 3.3 cannot parse them; SQL Server runs
-- them the same either way.

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
        WITH SUBJECT = N''PromptCrm national IDs and context data'', EXPIRY_DATE = ''20301231'';');

-- Export the certificate only while PromptCrm does not hold it yet (BACKUP CERTIFICATE refuses to overwrite).
IF NOT EXISTS (SELECT 1 FROM PromptCrm.sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'BACKUP CERTIFICATE PromptCrmPiiCert TO FILE = N''$(CertDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(CertDir)/PromptCrmPiiCert.pvk'',
                          ENCRYPTION BY PASSWORD = ''$(CertFilePassword)'');');
GO

USE PromptCrm;
GO

IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
    CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(CrmMasterKeyPassword)';

IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'PromptCrmPiiCert')
    EXEC (N'CREATE CERTIFICATE PromptCrmPiiCert FROM FILE = N''$(CertDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(CertDir)/PromptCrmPiiCert.pvk'',
                          DECRYPTION BY PASSWORD = ''$(CertFilePassword)'');');

IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'PromptCrmPiiKey')
    EXEC (N'CREATE SYMMETRIC KEY PromptCrmPiiKey
        WITH ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE PromptCrmPiiCert;');

-- What now exists, and that both certificates are the same X.509 certificate (same thumbprint).
SELECT N'master' AS DatabaseName, c.name, c.subject, c.expiry_date, c.thumbprint, c.pvt_key_encryption_type_desc
FROM master.sys.certificates AS c
WHERE c.name = N'PromptCrmPiiCert'
UNION ALL
SELECT N'PromptCrm', c.name, c.subject, c.expiry_date, c.thumbprint, c.pvt_key_encryption_type_desc
FROM sys.certificates AS c
WHERE c.name = N'PromptCrmPiiCert';

SELECT k.name, k.algorithm_desc, k.key_length
FROM sys.symmetric_keys AS k
WHERE k.name = N'PromptCrmPiiKey';
GO
