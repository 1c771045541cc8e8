-- CR7 step 1 of 2: back up PromptCrm (with its encrypted columns) on the original server.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (WITH FORMAT overwrites the backup file).
-- How to run, on the ORIGINAL PromptCrm server (pod promptcrm-mssql-0):
--   sqlcmd -I -S <crm-server> -d master -i 050_backup_database_server1.sql -v BackupDir="/var/opt/mssql/backup"
--   then copy the file to the other server, for example in Kubernetes:
--   kubectl cp promptsales/promptcrm-mssql-0:/var/opt/mssql/backup/PromptCrm.bak ./PromptCrm.bak
--   kubectl cp ./PromptCrm.bak promptsales/restore-mssql-0:/var/opt/mssql/backup/PromptCrm.bak
--   Do NOT copy PromptCrmPiiCert.cer/.pvk or any master key password: that is the point of the proof.
--   Then run 055_restore_and_prove_server2.sql on the other server.
-- Stand-in: sqlserver-only — BACKUP DATABASE is SQL Server administration.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- Control values: taken on the original server, compared with the result of 055 on the other server.
SELECT TOP (3)
    c.ClientId,
    c.NationalIdEncrypted,
    CONVERT(NVARCHAR(20), DECRYPTBYKEY(c.NationalIdEncrypted, 1, CONVERT(VARBINARY(4), c.ClientId)))
    AS NationalIdWithKeyClosed
FROM PromptCrm.crm.Clients AS c
WHERE c.NationalIdEncrypted IS NOT NULL
ORDER BY c.ClientId;

EXEC PromptCrm.crm.PRCRMSP_GetClientPii @ClientId = 1;

EXEC (N'BACKUP DATABASE PromptCrm TO DISK = N''$(BackupDir)/PromptCrm.bak''
    WITH FORMAT, INIT, COMPRESSION, CHECKSUM, NAME = N''PromptCrm full backup for CR7'';');
EXEC (N'RESTORE VERIFYONLY FROM DISK = N''$(BackupDir)/PromptCrm.bak'' WITH CHECKSUM;');
GO
