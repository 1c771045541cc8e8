-- The keys a restore of PromptCrm needs on another server, backed up beside the database backup: the
-- certificate PromptCrmPiiCert (in master; it protects TDE and, through its copy, the column key) with its
-- private key, the master database's master key, PromptCrm's database master key and the service master key.
-- Every private key file is encrypted by KeyBackupPassword, which lives in the vault outside the cluster,
-- never next to the files.
-- Dialect: T-SQL for SQL Server 2022, sqlcmd variables. Safe to re-run: yes (BACKUP CERTIFICATE and BACKUP
-- MASTER KEY refuse to overwrite a file, so every run writes into a new, timestamped folder KeyDir).
-- Run (the promptcrm-mssql-backup CronJob does, after the full backup, as sa; KeyDir must exist):
--   sqlcmd -I -b -S <crm-server> -U sa -i mssql-backup-keys.sql -v KeyDir=/var/opt/mssql/backup/keys/20261201T030500Z
--   with KeyBackupPassword and CrmMasterKeyPassword in the environment (sqlcmd reads variables from it).
-- Expected output: no rows, no error; KeyDir then holds PromptCrmPiiCert.cer, PromptCrmPiiCert.pvk,
-- master.dmk, PromptCrm.dmk and service.smk.
-- Restore on another server: CREATE CERTIFICATE PromptCrmPiiCert FROM FILE = '.../PromptCrmPiiCert.cer'
-- WITH PRIVATE KEY (FILE = '.../PromptCrmPiiCert.pvk', DECRYPTION BY PASSWORD = '<KeyBackupPassword>') in
-- master before RESTORE DATABASE (docs/kubernetes.md, restore runbook).

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

-- The BACKUP statements run through EXEC (N'...'): sqlfluff's T-SQL grammar lacks them; SQL Server runs
-- them the same.
EXEC (N'BACKUP SERVICE MASTER KEY TO FILE = N''$(KeyDir)/service.smk''
    ENCRYPTION BY PASSWORD = ''$(KeyBackupPassword)'';');
GO

IF EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
BEGIN
    EXEC (N'BACKUP MASTER KEY TO FILE = N''$(KeyDir)/master.dmk''
        ENCRYPTION BY PASSWORD = ''$(KeyBackupPassword)'';');
END;
GO

IF EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'PromptCrmPiiCert')
BEGIN
    EXEC (N'BACKUP CERTIFICATE PromptCrmPiiCert TO FILE = N''$(KeyDir)/PromptCrmPiiCert.cer''
        WITH PRIVATE KEY (FILE = N''$(KeyDir)/PromptCrmPiiCert.pvk'',
                          ENCRYPTION BY PASSWORD = ''$(KeyBackupPassword)'');');
END;
GO

USE PromptCrm;
GO

-- BACKUP MASTER KEY needs the key open; its password is the one 040_create_encryption.sql set.
IF EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##')
BEGIN
    EXEC (N'OPEN MASTER KEY DECRYPTION BY PASSWORD = ''$(CrmMasterKeyPassword)'';
        BACKUP MASTER KEY TO FILE = N''$(KeyDir)/PromptCrm.dmk''
            ENCRYPTION BY PASSWORD = ''$(KeyBackupPassword)'';
        CLOSE MASTER KEY;');
END;
GO
