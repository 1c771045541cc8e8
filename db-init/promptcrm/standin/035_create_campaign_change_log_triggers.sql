-- PromptCrm stand-in: the PostgreSQL version of ../035_create_campaign_change_log_triggers.sql (the T-SQL
-- triggers the transpiler cannot translate); the same invariant, kept in crm.campaignchanges.
-- Dialect: PostgreSQL 18 (PL/pgSQL).
-- Safe to re-run: yes (CREATE OR REPLACE FUNCTION; triggers dropped and re-created).
-- How to run: `promptsales db init` (the T-SQL file's "-- Stand-in: postgres-file" marker names this
--   file); promptsales.etl.sandbox also runs it on the smaller contract schema (etl/standin_contract.sql).
--
-- Why it differs from the T-SQL: PostgreSQL has no inserted/deleted pseudo-tables; a statement-level
-- trigger gets them as transition tables, and a trigger with transition tables may have only one event.
-- So each table has one function and a trigger per event, and the function reads the transition tables
-- its event has (INSERT has no old rows, DELETE no new ones), through EXECUTE: a static query naming a
-- transition table the event lacks would not plan. The touch_rowver BEFORE UPDATE row triggers the
-- transpiler adds are separate triggers and stay as they are.

-- The signed rows of the statement that fired the trigger, as a query over its transition tables.
CREATE OR REPLACE FUNCTION crm.change_log_rows(operation TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(' UNION ALL ',
        CASE WHEN operation IN ('INSERT', 'UPDATE') THEN 'SELECT 1 AS sign, * FROM inserted' END,
        CASE WHEN operation IN ('UPDATE', 'DELETE') THEN 'SELECT -1 AS sign, * FROM deleted' END)
$$;

CREATE OR REPLACE FUNCTION crm.log_lead_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, leads, clients, salescount, salesamount)
        SELECT r.campaignid, sum(r.sign), 0, 0, 0
        FROM (%s) AS r
        WHERE r.createdat IS NOT NULL
        GROUP BY r.campaignid
        HAVING sum(r.sign) <> 0
    $sql$, crm.change_log_rows(TG_OP));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION crm.log_client_link_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, leads, clients, salescount, salesamount)
        SELECT r.campaignid, 0, sum(r.sign), 0, 0
        FROM (%s) AS r
        GROUP BY r.campaignid
        HAVING sum(r.sign) <> 0
    $sql$, crm.change_log_rows(TG_OP));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION crm.log_sale_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, leads, clients, salescount, salesamount)
        SELECT r.campaignid, 0, 0, sum(r.sign), sum(r.sign * r.amount)
        FROM (%s) AS r
        WHERE r.saledate IS NOT NULL AND r.amount >= 0
        GROUP BY r.campaignid
        HAVING sum(r.sign) <> 0 OR sum(r.sign * r.amount) <> 0
    $sql$, crm.change_log_rows(TG_OP));
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS log_campaign_changes_insert ON crm.leads;
CREATE TRIGGER log_campaign_changes_insert AFTER INSERT ON crm.leads
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_lead_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_update ON crm.leads;
CREATE TRIGGER log_campaign_changes_update AFTER UPDATE ON crm.leads
    REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_lead_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_delete ON crm.leads;
CREATE TRIGGER log_campaign_changes_delete AFTER DELETE ON crm.leads
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_lead_changes();

DROP TRIGGER IF EXISTS log_campaign_changes_insert ON crm.clientcampaigns;
CREATE TRIGGER log_campaign_changes_insert AFTER INSERT ON crm.clientcampaigns
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_client_link_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_update ON crm.clientcampaigns;
CREATE TRIGGER log_campaign_changes_update AFTER UPDATE ON crm.clientcampaigns
    REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_client_link_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_delete ON crm.clientcampaigns;
CREATE TRIGGER log_campaign_changes_delete AFTER DELETE ON crm.clientcampaigns
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_client_link_changes();

DROP TRIGGER IF EXISTS log_campaign_changes_insert ON crm.sales;
CREATE TRIGGER log_campaign_changes_insert AFTER INSERT ON crm.sales
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_sale_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_update ON crm.sales;
CREATE TRIGGER log_campaign_changes_update AFTER UPDATE ON crm.sales
    REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_sale_changes();
DROP TRIGGER IF EXISTS log_campaign_changes_delete ON crm.sales;
CREATE TRIGGER log_campaign_changes_delete AFTER DELETE ON crm.sales
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION crm.log_sale_changes();
