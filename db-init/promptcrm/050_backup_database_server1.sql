-- CR7 step 1 of 2: back up PromptCrm (TDE-encrypted, with its encrypted columns) on the original server.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (WITH FORMAT, INIT overwrites the backup file).
-- How to run, on the ORIGINAL PromptCrm server (pod promptcrm-mssql-0), after 040, 042 and 045
-- (docs/sqlserver-runbook.md: how to reach each pod with sqlcmd):
--   sqlcmd -I -b -S <crm-server> -d master -i 050_backup_database_server1.sql -v BackupDir="/var/opt/mssql/backup"
--   Then copy the backup, and only the backup, to the other server (k8s/overlays/cr7-restore adds the pod
--   restore-mssql-0 for this):
--   kubectl -n promptsales cp promptcrm-mssql-0:/var/opt/mssql/backup/PromptCrm.bak ./PromptCrm.bak
--   kubectl -n promptsales cp ./PromptCrm.bak restore-mssql-0:/var/opt/mssql/backup/PromptCrm.bak
--   The certificate files and passwords stay in the vault: 055_restore_and_prove_server2.sql first shows
--   the restore failing without them.
-- Stand-in: sqlserver-only — BACKUP DATABASE and TDE are SQL Server administration.
--
-- Expected output: "PromptCrm is encrypted (encryption_state 3)" once TDE's background scan is done
-- (this script waits up to 10 minutes for it); the control values: the first three clients with a
-- ciphertext (ClientId, NationalIdEncrypted) and client 1 decrypted (1-0234-0567 after 045);
-- "BACKUP DATABASE successfully processed ... pages" and "The backup set on file 1 is valid.".

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

-- A backup taken while the scan still runs would hold pages in clear; wait until every page is encrypted.
DECLARE @Waited INT = 0;
WHILE (SELECT encryption_state FROM sys.dm_database_encryption_keys WHERE database_id = DB_ID(N'PromptCrm')) <> 3
BEGIN
    IF @Waited >= 600
        THROW 51301, N'PromptCrm is not encrypted after 10 minutes: run 040_create_encryption.sql first.', 1;
    WAITFOR DELAY '00:00:05';
    SET @Waited = @Waited + 5;
END;
IF NOT EXISTS (SELECT 1 FROM sys.dm_database_encryption_keys WHERE database_id = DB_ID(N'PromptCrm'))
    THROW 51302, N'PromptCrm has no database encryption key: run 040_create_encryption.sql first.', 1;
PRINT N'PromptCrm is encrypted (encryption_state 3)';

-- Control values, compared with what 055 shows on the other server.
SELECT TOP (3)
    c.ClientId,
    c.NationalIdEncrypted
FROM PromptCrm.crm.Clients AS c
WHERE c.NationalIdEncrypted IS NOT NULL
ORDER BY c.ClientId;

EXEC PromptCrm.crm.PRCRMSP_GetClientPii @ClientId = 1;

EXEC (N'BACKUP DATABASE PromptCrm TO DISK = N''$(BackupDir)/PromptCrm.bak''
    WITH FORMAT, INIT, COMPRESSION, CHECKSUM, NAME = N''PromptCrm full backup for CR7'';');
EXEC (N'RESTORE VERIFYONLY FROM DISK = N''$(BackupDir)/PromptCrm.bak'' WITH CHECKSUM;');
GO
