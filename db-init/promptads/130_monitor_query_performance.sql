-- PromptAds (PA7): how to watch the performance of the queries run on this database, in four layers:
-- Query Store (history, regressions), DMVs (what is expensive right now), an Extended Events session
-- (every slow statement, as it happens) and SET STATISTICS IO/TIME (one query, in detail).
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes; Query Store settings are idempotent and the XE session is dropped first.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/130_monitor_query_performance.sql
-- (needs ALTER on the database and ALTER ANY EVENT SESSION on the server; run the PA6 query and the
-- ETL a few times first so there is something to look at).
-- Stand-in: sqlserver-only — Query Store, DMVs and Extended Events are SQL Server features; the
-- PostgreSQL side is covered by pg_stat_statements in the PromptSales scripts.
--
-- Expected output: (1) up to ten Query Store rows (query_id, text, executions, total CPU ms, average
--   duration and reads, plans; plans > 1 marks a query whose plan changed); (2) up to ten plan-cache rows
--   for this database, stored procedures, prepared statements (the ETL's, n8n's) and ad hoc batches alike,
--   with their plan XML, then index usage of the ads tables and the missing-index suggestions (possibly
--   none); (3) the session PromptAdsSlowStatements started, then the statements over 500 ms it caught
--   (none until something slow runs: run the PA6 query, then this part again); (4) the report's rows
--   with "Table 'AdResults'. Scan count ..., logical reads ..." and "SQL Server Execution Times" lines.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- 1. Query Store: keeps plans and runtime statistics per query across restarts. Look for queries whose
--    duration or logical reads jumped after a plan change (a regression), and force the good plan
--    with sp_query_store_force_plan when one is found.
-- sqlfluff's T-SQL grammar (which every script here must pass) lacks the Query Store options and
-- the EVENT SESSION statements, so those few go through EXEC as strings; SQL Server runs them as written.
ALTER DATABASE CURRENT SET QUERY_STORE = ON;
EXEC (N'ALTER DATABASE CURRENT SET QUERY_STORE (
    OPERATION_MODE = READ_WRITE,
    QUERY_CAPTURE_MODE = AUTO,
    INTERVAL_LENGTH_MINUTES = 15,
    MAX_STORAGE_SIZE_MB = 1024
)');
GO

-- The ten queries that used the most CPU in the last day, with their average duration and reads.
SELECT TOP (10)
    q.query_id,
    qt.query_sql_text,
    SUM(rs.count_executions) AS executions,
    SUM(rs.avg_cpu_time * rs.count_executions) / 1000.0 AS total_cpu_ms,
    AVG(rs.avg_duration) / 1000.0 AS avg_duration_ms,
    AVG(rs.avg_logical_io_reads) AS avg_logical_reads,
    COUNT(DISTINCT p.plan_id) AS plans
FROM sys.query_store_query AS q
INNER JOIN sys.query_store_query_text AS qt ON q.query_text_id = qt.query_text_id
INNER JOIN sys.query_store_plan AS p ON q.query_id = p.query_id
INNER JOIN sys.query_store_runtime_stats AS rs ON p.plan_id = rs.plan_id
INNER JOIN sys.query_store_runtime_stats_interval AS i
    ON rs.runtime_stats_interval_id = i.runtime_stats_interval_id
WHERE i.start_time >= DATEADD(DAY, -1, SYSUTCDATETIME())
GROUP BY q.query_id, qt.query_sql_text
ORDER BY total_cpu_ms DESC;
GO

-- 2. DMVs: what the plan cache says since the last restart. High total_logical_reads with few rows
--    returned points at a missing index or a scan; compare with the missing-index DMV below, and check
--    the ETL's RowVer indexes are used (seeks, not scans) in sys.dm_db_index_usage_stats.
--    The database of a cached plan is its "dbid" plan attribute (the database the batch was compiled
--    in): sys.dm_exec_sql_text's dbid is NULL for ad hoc and prepared statements, which is how
--    applications and the ETL send their queries, so filtering on it would hide them.
SELECT TOP (10)
    qs.execution_count,
    qs.total_worker_time / 1000 AS total_cpu_ms,
    qs.total_elapsed_time / qs.execution_count / 1000 AS avg_elapsed_ms,
    qs.total_logical_reads / qs.execution_count AS avg_logical_reads,
    qs.total_rows / qs.execution_count AS avg_rows,
    SUBSTRING(
        st.text,
        qs.statement_start_offset / 2 + 1,
        (CASE WHEN qs.statement_end_offset = -1 THEN DATALENGTH(st.text) ELSE qs.statement_end_offset END
            - qs.statement_start_offset) / 2 + 1
    ) AS statement_text,
    qp.query_plan
FROM sys.dm_exec_query_stats AS qs
CROSS APPLY sys.dm_exec_sql_text(qs.sql_handle) AS st
CROSS APPLY sys.dm_exec_query_plan(qs.plan_handle) AS qp
CROSS APPLY (
    SELECT CONVERT(INT, pa.value) AS dbid
    FROM sys.dm_exec_plan_attributes(qs.plan_handle) AS pa
    WHERE pa.attribute = N'dbid'
) AS plan_database
WHERE plan_database.dbid = DB_ID()
ORDER BY qs.total_logical_reads DESC;

SELECT
    OBJECT_SCHEMA_NAME(s.object_id) + N'.' + OBJECT_NAME(s.object_id) AS table_name,
    ix.name AS index_name,
    s.user_seeks,
    s.user_scans,
    s.user_lookups,
    s.user_updates
FROM sys.dm_db_index_usage_stats AS s
INNER JOIN sys.indexes AS ix ON s.object_id = ix.object_id AND s.index_id = ix.index_id
WHERE s.database_id = DB_ID() AND OBJECT_SCHEMA_NAME(s.object_id) = N'ads'
ORDER BY s.user_scans DESC;

SELECT
    d.statement AS table_name,
    d.equality_columns,
    d.inequality_columns,
    d.included_columns,
    gs.user_seeks,
    gs.avg_user_impact
FROM sys.dm_db_missing_index_details AS d
INNER JOIN sys.dm_db_missing_index_groups AS g ON d.index_handle = g.index_handle
INNER JOIN sys.dm_db_missing_index_group_stats AS gs ON g.index_group_handle = gs.group_handle
WHERE d.database_id = DB_ID()
ORDER BY gs.avg_user_impact * gs.user_seeks DESC;
GO

-- 3. Extended Events: every statement on this database slower than 500 ms, with its text, reads and
--    plan-shaping details, into a file target that survives a restart (in the server's log folder,
--    /var/opt/mssql/log on Linux). The read-back finds the files where the running session writes them.
IF EXISTS (SELECT 1 FROM sys.server_event_sessions WHERE name = N'PromptAdsSlowStatements')
    EXEC (N'DROP EVENT SESSION PromptAdsSlowStatements ON SERVER');
GO
EXEC (N'CREATE EVENT SESSION PromptAdsSlowStatements ON SERVER
ADD EVENT sqlserver.sql_statement_completed (
    ACTION (sqlserver.sql_text, sqlserver.client_app_name, sqlserver.username)
    WHERE (sqlserver.database_name = N''PromptAds'' AND duration > 500000)
),
ADD EVENT sqlserver.rpc_completed (
    ACTION (sqlserver.sql_text, sqlserver.client_app_name, sqlserver.username)
    WHERE (sqlserver.database_name = N''PromptAds'' AND duration > 500000)
)
ADD TARGET package0.event_file (SET filename = N''PromptAdsSlowStatements.xel'', max_file_size = 64)
WITH (MAX_DISPATCH_LATENCY = 5 SECONDS, STARTUP_STATE = ON)');
EXEC (N'ALTER EVENT SESSION PromptAdsSlowStatements ON SERVER STATE = START');
GO

-- What the session caught: the slowest statements first, from every rollover file of the session.
DECLARE @CurrentFile NVARCHAR(260) = (
    SELECT CAST(t.target_data AS XML).value('(EventFileTarget/File/@name)[1]', 'nvarchar(260)')
    FROM sys.dm_xe_session_targets AS t
    INNER JOIN sys.dm_xe_sessions AS s ON t.event_session_address = s.address
    WHERE s.name = N'PromptAdsSlowStatements' AND t.target_name = N'event_file'
);
DECLARE @Files NVARCHAR(260) = CONCAT(
    LEFT(@CurrentFile, LEN(@CurrentFile) - PATINDEX(N'%[\/]%', REVERSE(@CurrentFile)) + 1),
    N'PromptAdsSlowStatements*.xel'
);

SELECT TOP (20)
    x.event_data.value('(event/@timestamp)[1]', 'datetime2') AS occurred_at,
    x.event_data.value('(event/data[@name="duration"]/value)[1]', 'bigint') / 1000 AS duration_ms,
    x.event_data.value('(event/data[@name="logical_reads"]/value)[1]', 'bigint') AS logical_reads,
    x.event_data.value('(event/action[@name="sql_text"]/value)[1]', 'nvarchar(max)') AS sql_text
FROM (
    SELECT CAST(f.event_data AS XML) AS event_data
    FROM sys.fn_xe_file_target_read_file(@Files, NULL, NULL, NULL) AS f
) AS x
ORDER BY duration_ms DESC;
GO

-- 4. One query in detail: the Messages tab (or sqlcmd output) shows logical reads per table and CPU
--    and elapsed time. Many reads on ads.AdResults against few rows returned means the date index is
--    not used; compare before and after an index change.
SET STATISTICS IO ON;
SET STATISTICS TIME ON;

SELECT
    ch.Name AS ChannelName,
    SUM(r.Likes + r.Interactions) AS Reactions,
    SUM(r.Sales) AS Sales
FROM ads.AdResults AS r
INNER JOIN ads.Channels AS ch ON r.ChannelId = ch.ChannelId
WHERE r.ResultDate BETWEEN '2025-12-01' AND '2025-12-14'
GROUP BY ch.Name
ORDER BY Reactions DESC;

SET STATISTICS IO OFF;
SET STATISTICS TIME OFF;
GO
