-- Least-privilege roles and the promptsales database on the PromptSales PostgreSQL.
-- Dialect: PostgreSQL 18 (psql). Safe to re-run: creates what is missing, resets passwords, re-grants.
-- Run (the bootstrap Job does): psql -v ON_ERROR_STOP=1 -v owner_password=... -v etl_password=...
--   -v reader_password=... -v content_password=... -v backup_password=... -f postgres-roles.sql
-- Passwords arrive as psql variables and are quoted by psql (:'name'), never pasted into SQL text.
--
--   promptsales_owner    owns the database and its schemas: db-init and the generators (bootstrap Job)
--   promptsales_etl      n8n's ETL: reads and writes rows in the owner's tables, no DDL
--   promptsales_reader   the sales MCP server: SELECT only
--   promptsales_content  the content MCP server: SELECT only (pgvector search)
--   promptsales_backup   the backup CronJob: pg_read_all_data, nothing else

SELECT format('CREATE ROLE %I LOGIN', role_name)
FROM unnest(ARRAY['promptsales_owner', 'promptsales_etl', 'promptsales_reader',
                  'promptsales_content', 'promptsales_backup']) AS role_name
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name)
\gexec

ALTER ROLE promptsales_owner PASSWORD :'owner_password';
ALTER ROLE promptsales_etl PASSWORD :'etl_password';
ALTER ROLE promptsales_reader PASSWORD :'reader_password';
ALTER ROLE promptsales_content PASSWORD :'content_password';
ALTER ROLE promptsales_backup PASSWORD :'backup_password';
-- The PS6 GRANT/REVOKE demo creates its own read-only and read-write roles; since PostgreSQL 16 a
-- CREATEROLE role administers only the roles it created.
ALTER ROLE promptsales_owner CREATEROLE;
GRANT pg_read_all_stats TO promptsales_owner;
GRANT pg_read_all_data TO promptsales_backup;

SELECT 'CREATE DATABASE promptsales OWNER promptsales_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'promptsales')
\gexec
REVOKE ALL ON DATABASE promptsales FROM PUBLIC;
GRANT CONNECT ON DATABASE promptsales
    TO promptsales_etl, promptsales_reader, promptsales_content, promptsales_backup;

\connect promptsales
-- Extensions need a superuser once; db-init's CREATE EXTENSION IF NOT EXISTS then finds them.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CREATE ON SCHEMA public TO promptsales_owner;

-- Objects the owner creates later (db-init runs after this script).
ALTER DEFAULT PRIVILEGES FOR ROLE promptsales_owner
    GRANT USAGE ON SCHEMAS TO promptsales_etl, promptsales_reader, promptsales_content;
ALTER DEFAULT PRIVILEGES FOR ROLE promptsales_owner
    GRANT SELECT ON TABLES TO promptsales_reader, promptsales_content;
ALTER DEFAULT PRIVILEGES FOR ROLE promptsales_owner
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO promptsales_etl;
ALTER DEFAULT PRIVILEGES FOR ROLE promptsales_owner
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO promptsales_etl;

-- Objects that already exist (a re-run after db-init, or after a restore).
SELECT format('GRANT USAGE ON SCHEMA %I TO promptsales_etl, promptsales_reader, promptsales_content', nspname)
FROM pg_namespace WHERE nspowner = 'promptsales_owner'::regrole OR nspname = 'public'
\gexec
SELECT format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO promptsales_reader, promptsales_content', nspname)
FROM pg_namespace WHERE nspowner = 'promptsales_owner'::regrole
\gexec
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO promptsales_etl', nspname)
FROM pg_namespace WHERE nspowner = 'promptsales_owner'::regrole
\gexec
SELECT format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO promptsales_etl', nspname)
FROM pg_namespace WHERE nspowner = 'promptsales_owner'::regrole
\gexec
