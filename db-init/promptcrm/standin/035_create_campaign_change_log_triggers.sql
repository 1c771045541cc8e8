-- PromptCrm stand-in: the PostgreSQL version of ../035_create_campaign_change_log_triggers.sql (the T-SQL
-- triggers the transpiler cannot translate); the same invariant, kept in crm.campaignchanges.
-- Dialect: PostgreSQL 18 (PL/pgSQL).
-- Safe to re-run: yes (CREATE OR REPLACE FUNCTION; triggers dropped and re-created).
-- How to run: `promptsales db init` (the T-SQL file's "-- Stand-in: postgres-file" marker names this
--   file); promptsales.etl.sandbox also runs it on the smaller contract schema (etl/standin_contract.sql).
--
-- Why it differs from the T-SQL: PostgreSQL has no inserted/deleted pseudo-tables; a statement-level
-- trigger gets them as transition tables, and a trigger with transition tables may have only one event.
-- So each table has one function and a trigger per event (public.standin_statement_triggers), and the
-- function reads the rows of its event as signed rows (public.standin_transition_rows). Both helpers come
-- with the transpiled tables (promptsales/standin/transform.py). The touch_rowver BEFORE UPDATE row
-- triggers the transpiler adds are separate triggers and stay as they are.

-- Upgrade: the signed rows came from a function of this file before the shared helper.
DROP FUNCTION IF EXISTS crm.change_log_rows(TEXT);

CREATE OR REPLACE FUNCTION crm.log_lead_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, activitydate, leads, convertedleads, clients, salescount,
            salesamount)
        SELECT c.campaignid, c.activitydate, sum(c.sign), sum(c.sign * c.converted), 0, 0, 0
        FROM (
            SELECT r.sign, r.campaignid, CAST(r.createdat AS DATE) AS activitydate,
                CASE WHEN r.status = 'converted' THEN 1 ELSE 0 END AS converted
            FROM (%s) AS r
            WHERE r.createdat IS NOT NULL
        ) AS c
        GROUP BY c.campaignid, c.activitydate
        HAVING sum(c.sign) <> 0 OR sum(c.sign * c.converted) <> 0
    $sql$, public.standin_transition_rows(TG_OP));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION crm.log_client_link_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, activitydate, leads, convertedleads, clients, salescount,
            salesamount)
        SELECT r.campaignid, r.linkedat, 0, 0, sum(r.sign), 0, 0
        FROM (%s) AS r
        WHERE r.linkedat IS NOT NULL
        GROUP BY r.campaignid, r.linkedat
        HAVING sum(r.sign) <> 0
    $sql$, public.standin_transition_rows(TG_OP));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION crm.log_sale_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO crm.campaignchanges (campaignid, activitydate, leads, convertedleads, clients, salescount,
            salesamount)
        SELECT r.campaignid, r.saledate, 0, 0, 0, sum(r.sign), sum(r.sign * r.amount)
        FROM (%s) AS r
        WHERE r.saledate IS NOT NULL AND r.amount >= 0
        GROUP BY r.campaignid, r.saledate
        HAVING sum(r.sign) <> 0 OR sum(r.sign * r.amount) <> 0
    $sql$, public.standin_transition_rows(TG_OP));
    RETURN NULL;
END;
$$;

SELECT public.standin_statement_triggers('crm.leads', 'log_campaign_changes', 'crm.log_lead_changes',
                                         'INSERT', 'UPDATE', 'DELETE');
SELECT public.standin_statement_triggers('crm.clientcampaigns', 'log_campaign_changes',
                                         'crm.log_client_link_changes', 'INSERT', 'UPDATE', 'DELETE');
SELECT public.standin_statement_triggers('crm.sales', 'log_campaign_changes', 'crm.log_sale_changes',
                                         'INSERT', 'UPDATE', 'DELETE');
