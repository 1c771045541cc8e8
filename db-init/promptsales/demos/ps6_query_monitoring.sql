-- Purpose: PS6 query monitoring on PostgreSQL: the most expensive statements (pg_stat_statements,
--          preloaded by the local stack), what runs right now (pg_stat_activity) and one plan with
--          real timings and buffers (EXPLAIN ANALYZE).
-- Dialect: PostgreSQL 18. Safe to re-run: yes (read-only).
-- How to run: psql -d promptsales -f this file. Look at mean_exec_ms and shared_blks_read first: a
--             statement with a high mean and many blocks read is the one to index or rewrite.

-- query: top_statements
SELECT left(query, 80) AS query_start, calls, round(total_exec_time::numeric, 2) AS total_exec_ms,
       round(mean_exec_time::numeric, 3) AS mean_exec_ms, rows, shared_blks_hit, shared_blks_read
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time DESC
LIMIT 10;

-- query: activity
SELECT pid, usename, application_name, state, wait_event_type, wait_event,
       now() - query_start AS running_for, left(query, 60) AS query_start
FROM pg_stat_activity
WHERE datname = current_database()
ORDER BY query_start NULLS LAST;

-- query: plan
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
SELECT brand_name, sum(revenue) AS revenue, avg(conversion_rate) AS conversion
FROM analytics.campaign_summary
WHERE status = 'active'
GROUP BY brand_name;
