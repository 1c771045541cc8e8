-- Transaction log backup of one database (FULL recovery model), every 15 minutes: it lets the server reuse
-- the log (without it a FULL-recovery log grows until the volume is full) and gives point-in-time restore
-- between the daily full backups.
-- Dialect: T-SQL for SQL Server 2022. Safe to re-run: yes (each run writes a new file).
-- Run (the *-mssql-log-backup CronJobs do, as sa):
--   sqlcmd -I -b -S <server> -U sa -i mssql-backup-log.sql -v DatabaseName=PromptAds BackupFile=/var/opt/mssql/backup/log/PromptAds_20261201T031500Z.trn
-- Expected output: "BACKUP LOG successfully processed ...", or, before the first full backup of the
-- database (a log chain starts with one), the line "no full backup of PromptAds yet: log backup skipped".

SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- last_log_backup_lsn is NULL until a full backup has started the log chain (BACKUP LOG would fail: 4214).
IF EXISTS (
    SELECT 1
    FROM sys.database_recovery_status
    WHERE database_id = DB_ID(N'$(DatabaseName)') AND last_log_backup_lsn IS NOT NULL
)
BEGIN
    -- Through EXEC (N'...'): sqlfluff's T-SQL grammar lacks BACKUP; SQL Server runs it the same.
    EXEC (N'BACKUP LOG [$(DatabaseName)] TO DISK = N''$(BackupFile)'' WITH COMPRESSION, CHECKSUM, INIT;');
END
ELSE
BEGIN
    PRINT N'no full backup of $(DatabaseName) yet: log backup skipped';
END;
GO
