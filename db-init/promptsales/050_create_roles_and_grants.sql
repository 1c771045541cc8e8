-- Purpose: PS6 GRANT/REVOKE, least privilege (N4). Two group roles:
--   promptsales_readonly  - reads the summaries and the portal (the sales MCP server, analysts);
--   promptsales_readwrite - reads everything and writes the portal and summaries (the ETL, the portal).
--   Nobody but the owner writes etl.watermarks/run_log: REVOKE makes that explicit for readwrite.
-- Dialect: PostgreSQL 18. Roles are cluster-wide; the grants are per database.
-- Safe to re-run: yes (roles created only when missing; GRANT/REVOKE are idempotent).
-- How to run: `promptsales db init --only promptsales`, as the application role (it has CREATEROLE).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'promptsales_readonly') THEN
        CREATE ROLE promptsales_readonly NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'promptsales_readwrite') THEN
        CREATE ROLE promptsales_readwrite NOLOGIN;
    END IF;
    -- The application role may switch into both (SET ROLE), which is how the tests prove the limits.
    -- PostgreSQL 16+ gives a CREATEROLE creator ADMIN only, so SET is granted explicitly.
    EXECUTE format('GRANT promptsales_readonly TO %I WITH SET TRUE, INHERIT FALSE', current_user);
    EXECUTE format('GRANT promptsales_readwrite TO %I WITH SET TRUE, INHERIT FALSE', current_user);
END;
$$;

REVOKE ALL ON SCHEMA analytics, portal, etl FROM PUBLIC;

GRANT USAGE ON SCHEMA analytics, portal TO promptsales_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics, portal TO promptsales_readonly;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA analytics, portal FROM promptsales_readonly;

GRANT USAGE ON SCHEMA analytics, portal, etl TO promptsales_readwrite;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA analytics, portal TO promptsales_readwrite;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA analytics, portal TO promptsales_readwrite;
GRANT SELECT ON ALL TABLES IN SCHEMA etl TO promptsales_readwrite;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON etl.watermarks, etl.run_log FROM promptsales_readwrite;

-- Tables created later by the owner get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA analytics, portal GRANT SELECT ON TABLES TO promptsales_readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA analytics, portal
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO promptsales_readwrite;
