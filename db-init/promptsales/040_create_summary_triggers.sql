-- Purpose: PS6 triggers on the PS2 summaries.
--   1. BEFORE INSERT/UPDATE: derives reactions, ROI, conversion and success rate from the base
--      metrics, so every writer (the ETL, a person fixing a row) gets the same formulas.
--   2. AFTER UPDATE OR DELETE: an audit trail of every change to a campaign's headline figures, with the
--      ETL run that made it, so "why did reach jump?" has an answer; a deleted summary (its campaign was
--      deleted from PromptAds) is recorded with its last figures and no new ones.
-- Dialect: PostgreSQL 18 (PL/pgSQL).
-- Safe to re-run: yes (CREATE OR REPLACE, triggers dropped and re-created).
-- How to run: `promptsales db init --only promptsales`.

CREATE OR REPLACE FUNCTION analytics.derive_campaign_rates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.reactions := COALESCE(NEW.likes, 0) + COALESCE(NEW.interactions, 0);
    -- CASE keeps a zero denominator from raising: no cost / interactions / leads means "not defined", NULL.
    -- Both rates are shares of their denominator, so within [0, 1]: a sale is an interaction that became
    -- one (PromptAds' CHECK Sales <= Interactions on every result row), a converted lead is a lead.
    NEW.roi := CASE WHEN NEW.cost > 0 THEN round((NEW.revenue - NEW.cost) / NEW.cost, 4) END;
    NEW.conversion_rate := CASE WHEN NEW.interactions > 0
                                THEN round(NEW.sales_count::numeric / NEW.interactions, 6) END;
    NEW.success_rate := CASE WHEN NEW.leads > 0 THEN round(NEW.converted_leads::numeric / NEW.leads, 6) END;
    RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS campaign_summary_derive ON analytics.campaign_summary;
CREATE TRIGGER campaign_summary_derive
    BEFORE INSERT OR UPDATE ON analytics.campaign_summary
    FOR EACH ROW EXECUTE FUNCTION analytics.derive_campaign_rates();

-- Rates derived by an earlier version of the function above (success_rate was sales_count / leads,
-- conversion_rate sales_count / reach) are derived again; a summary already right is not written.
UPDATE analytics.campaign_summary
SET reach = reach
WHERE conversion_rate IS DISTINCT FROM CASE WHEN interactions > 0
                                            THEN round(sales_count::numeric / interactions, 6) END
   OR success_rate IS DISTINCT FROM CASE WHEN leads > 0 THEN round(converted_leads::numeric / leads, 6) END;

CREATE OR REPLACE FUNCTION analytics.derive_breakdown_reactions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.reactions := COALESCE(NEW.likes, 0) + COALESCE(NEW.interactions, 0);
    RETURN NEW;
END;
$$;

DO $$
DECLARE
    breakdown TEXT;
BEGIN
    FOREACH breakdown IN ARRAY ARRAY['campaign_channel_summary', 'campaign_market_summary', 'campaign_month_summary']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON analytics.%I', breakdown || '_derive', breakdown);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON analytics.%I '
                       'FOR EACH ROW EXECUTE FUNCTION analytics.derive_breakdown_reactions()',
                       breakdown || '_derive', breakdown);
    END LOOP;
END;
$$;

CREATE TABLE IF NOT EXISTS analytics.campaign_summary_audit (
    audit_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    etl_run_id BIGINT,
    changed_by TEXT NOT NULL DEFAULT current_user,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    old_values JSONB NOT NULL,
    new_values JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS campaign_summary_audit_campaign_idx
    ON analytics.campaign_summary_audit (campaign_id, changed_at);

CREATE OR REPLACE FUNCTION analytics.audit_campaign_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    tracked CONSTANT TEXT[] := ARRAY['status', 'reach', 'views', 'reactions', 'leads', 'clients',
                                     'sales_count', 'revenue', 'cost'];
    old_row JSONB := to_jsonb(OLD);
    new_row JSONB := to_jsonb(NEW);
    old_values JSONB := '{}';
    new_values JSONB := '{}';
    column_name TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- A deleted summary (its campaign was deleted from PromptAds): its last tracked values and no new
        -- ones, under the ETL run that deleted it (the ETL sets promptsales.etl_run_id for its transaction;
        -- NULL for a delete made by hand).
        FOREACH column_name IN ARRAY tracked LOOP
            old_values := old_values || jsonb_build_object(column_name, old_row -> column_name);
        END LOOP;
        INSERT INTO analytics.campaign_summary_audit (campaign_id, etl_run_id, old_values, new_values)
        VALUES (OLD.campaign_id, CAST(NULLIF(current_setting('promptsales.etl_run_id', true), '') AS BIGINT),
                old_values, '{}');
        RETURN NULL;
    END IF;
    FOREACH column_name IN ARRAY tracked LOOP
        IF old_row -> column_name IS DISTINCT FROM new_row -> column_name THEN
            old_values := old_values || jsonb_build_object(column_name, old_row -> column_name);
            new_values := new_values || jsonb_build_object(column_name, new_row -> column_name);
        END IF;
    END LOOP;
    IF new_values <> '{}' THEN
        INSERT INTO analytics.campaign_summary_audit (campaign_id, etl_run_id, old_values, new_values)
        VALUES (NEW.campaign_id, NEW.last_etl_run_id, old_values, new_values);
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS campaign_summary_audit ON analytics.campaign_summary;
CREATE TRIGGER campaign_summary_audit
    AFTER UPDATE OR DELETE ON analytics.campaign_summary
    FOR EACH ROW EXECUTE FUNCTION analytics.audit_campaign_summary();
