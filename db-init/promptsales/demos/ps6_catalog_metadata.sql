-- Purpose: PS6 metadata from the system catalogs: what the PromptSales schema holds, read from
--          information_schema (portable) and pg_catalog (PostgreSQL's own, with sizes and triggers).
-- Dialect: PostgreSQL 18. Safe to re-run: yes (read-only).
-- How to run: psql -d promptsales -f this file. Each query starts with "-- query: <name>".

-- query: summary_columns
-- Which columns does the campaign summary have, with types and nullability?
SELECT column_name, data_type, is_nullable
FROM information_schema.columns
WHERE table_schema = 'analytics' AND table_name = 'campaign_summary'
ORDER BY ordinal_position;

-- query: table_sizes
-- How big is each PromptSales table (rows estimated by the planner, bytes on disk)?
SELECT n.nspname AS schema_name, c.relname AS table_name, c.reltuples::bigint AS estimated_rows,
       pg_total_relation_size(c.oid) AS total_bytes
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname IN ('analytics', 'portal', 'etl')
ORDER BY total_bytes DESC, table_name;

-- query: triggers
-- Which triggers fire on the summaries, and which function do they call?
SELECT t.tgname AS trigger_name, c.relname AS table_name, p.proname AS function_name
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname = 'analytics'
ORDER BY table_name, trigger_name;

-- query: grants
-- Who may do what on the summaries?
SELECT grantee, table_name, string_agg(privilege_type, ', ' ORDER BY privilege_type) AS privileges
FROM information_schema.role_table_grants
WHERE table_schema = 'analytics' AND table_name = 'campaign_summary'
  AND grantee IN ('promptsales_readonly', 'promptsales_readwrite')
GROUP BY grantee, table_name
ORDER BY grantee;
