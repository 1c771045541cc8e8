-- Daily full backup of one database, checked, onto the SQL Server pod's backup volume; the CronJob's next
-- container copies it off the cluster.
-- Dialect: T-SQL for SQL Server 2022. Safe to re-run: yes (each run writes a new file; INIT only
-- overwrites a file of the same name, which a timestamped name never has).
-- Run (the *-mssql-backup CronJobs do, as sa):
--   sqlcmd -I -b -S <server> -U sa -i mssql-backup-full.sql -v DatabaseName=PromptAds BackupFile=/var/opt/mssql/backup/full/PromptAds_20261201T030500Z.bak
-- Expected output: "Processed N pages for database 'PromptAds' ... BACKUP DATABASE successfully processed"
-- and "The backup set on file 1 is valid."
-- CHECKSUM makes the backup verify every page checksum as it reads and write its own; VERIFYONLY reads the
-- file back. A database in TDE (PromptCrm) is backed up encrypted: restoring it elsewhere needs the
-- certificate, which mssql-backup-keys.sql backs up next to it.

SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- BACKUP and RESTORE run through EXEC (N'...'): sqlfluff's T-SQL grammar lacks them; SQL Server runs them the same.
EXEC (N'BACKUP DATABASE [$(DatabaseName)] TO DISK = N''$(BackupFile)''
    WITH COMPRESSION, CHECKSUM, INIT, STATS = 25;');
GO

EXEC (N'RESTORE VERIFYONLY FROM DISK = N''$(BackupFile)'' WITH CHECKSUM;');
GO
