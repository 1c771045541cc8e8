-- Purpose: ETL control for the n8n delta ETL (n8n-workflows/etl-promptsales-11min.json): settings the
--          workflow reads, a watermark per source and entity, the run log, the rejects table, the
--          per-run staging tables, and the PromptContent image catalogue the ETL keeps in step.
-- Dialect: PostgreSQL 18.
-- Safe to re-run: yes (IF NOT EXISTS / ON CONFLICT DO NOTHING; watermarks are reset here only once, by the
--   change-log marks' switch to RowVer below).
-- How to run: `promptsales db init --only promptsales` (it also writes etl.config from settings).

CREATE SCHEMA IF NOT EXISTS etl;

-- Values the workflow needs from settings: `sources` (standin | sqlserver) picks the source nodes,
-- `redis_key_prefix` names the data-version key (both written by promptsales.dbinit.central from
-- settings); `schedule_enabled` = 'false' pauses the 11-minute runs (manual runs still work).
CREATE TABLE IF NOT EXISTS etl.config (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO etl.config (key, value) VALUES ('sources', 'standin'), ('redis_key_prefix', 'ps'),
    ('schedule_enabled', 'true')
ON CONFLICT (key) DO NOTHING;

-- `mark` is a rowversion (as BIGINT) for PromptAds/PromptCrm, epoch milliseconds of updatedAt for
-- PromptContent. A run reads `mark < version <= high-water mark` and moves mark only after its load.
CREATE TABLE IF NOT EXISTS etl.watermarks (
    source TEXT NOT NULL,
    entity TEXT NOT NULL,
    mark BIGINT NOT NULL DEFAULT 0,
    last_run_id BIGINT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, entity)
);
INSERT INTO etl.watermarks (source, entity) VALUES
    ('promptads', 'campaigns'), ('promptads', 'ads'), ('promptads', 'adresults'), ('promptads', 'brands'),
    ('promptads', 'campaignchannels'), ('promptads', 'campaignmarkets'),
    ('promptads', 'channels'), ('promptads', 'markets'),
    ('promptads', 'resultchanges'),
    ('promptcrm', 'leads'), ('promptcrm', 'sales'), ('promptcrm', 'clientcampaigns'),
    ('promptcrm', 'campaignchanges'),
    ('promptcontent', 'images')
ON CONFLICT (source, entity) DO NOTHING;

-- Once, on a database whose change-log marks were ChangeId values: they now follow the logs' RowVer (a
-- bound a transaction still open cannot be passed by), another scale. Mark 0 makes the next run read both
-- sources in full, which is exact whatever the logs hold; reading "RowVer > old ChangeId" would add
-- entries twice. The config row says it was done (on a new database the marks are 0 already).
WITH switched AS (
    INSERT INTO etl.config (key, value) VALUES ('change_log_marks', 'rowver')
    ON CONFLICT (key) DO NOTHING
    RETURNING 1
)
UPDATE etl.watermarks SET mark = 0, updated_at = now()
WHERE entity IN ('resultchanges', 'campaignchanges') AND EXISTS (SELECT 1 FROM switched);

CREATE TABLE IF NOT EXISTS etl.run_log (
    run_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    sources TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    ended_at TIMESTAMPTZ,
    status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    -- {"promptads.campaigns": 12, ...}: rows (or per-campaign aggregates) read from each source.
    rows_read JSONB NOT NULL DEFAULT '{}',
    -- {"campaign_summary": 3, "campaign_channel_summary": 5, ...}: summary rows inserted/updated/deleted.
    rows_changed JSONB NOT NULL DEFAULT '{}',
    rows_rejected INT NOT NULL DEFAULT 0,
    -- High-water marks read at the start; copied into etl.watermarks only by the closing step.
    pending_marks JSONB NOT NULL DEFAULT '{}',
    error TEXT
);
CREATE INDEX IF NOT EXISTS run_log_status_idx ON etl.run_log (status, started_at);
-- A full re-read reads every source row again from watermark 0 (once a day, or `promptsales etl run
-- --full`): a rowversion cannot show a deleted row, but re-summing every campaign leaves deleted rows out.
ALTER TABLE etl.run_log ADD COLUMN IF NOT EXISTS full_reread BOOLEAN NOT NULL DEFAULT false;
-- The sources whose measures this run read in full ('promptads', 'promptcrm'), rather than as change-log
-- entries: on a full re-read, on the first run, and when a source's change log restarted below our mark.
ALTER TABLE etl.run_log ADD COLUMN IF NOT EXISTS read_in_full TEXT[] NOT NULL DEFAULT '{}';
-- The n8n execution that opened each run: the error workflow finds the run of a failed execution by it.
ALTER TABLE etl.run_log ADD COLUMN IF NOT EXISTS n8n_execution_id TEXT;
CREATE INDEX IF NOT EXISTS run_log_n8n_execution_idx ON etl.run_log (n8n_execution_id);
-- The sources whose high marks stopped below a transaction still open there: changes committed after it
-- wait for a later run (an open transaction left behind stalls the ETL; this is how it shows).
ALTER TABLE etl.run_log ADD COLUMN IF NOT EXISTS held_back TEXT[] NOT NULL DEFAULT '{}';

CREATE TABLE IF NOT EXISTS etl.rejects (
    reject_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES etl.run_log (run_id),
    source TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_key TEXT NOT NULL,
    row_version BIGINT,
    campaign_id BIGINT,
    reason TEXT NOT NULL,
    rejected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A run that fails after writing rejects is read again by the next run: the same row version is
-- rejected once.
CREATE UNIQUE INDEX IF NOT EXISTS rejects_once_idx
    ON etl.rejects (source, entity, row_key, reason, row_version) NULLS NOT DISTINCT;

-- Staging: what a run extracted, keyed by run_id; UNLOGGED because a crash loses nothing the
-- watermarks do not bring back.
CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_ads_campaign (
    run_id BIGINT NOT NULL,
    campaignid BIGINT NOT NULL,
    name TEXT,
    brandname TEXT,
    status TEXT,
    startdate DATE,
    enddate DATE,
    budget NUMERIC(14, 2),
    channels TEXT,
    markets TEXT,
    imagecodes TEXT,
    -- The campaign was deleted from PromptAds (its tombstone was read): no attributes, its summary goes.
    deleted BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (run_id, campaignid)
);
ALTER TABLE etl.stage_ads_campaign ADD COLUMN IF NOT EXISTS deleted BOOLEAN NOT NULL DEFAULT false;

-- Superseded by etl.stage_ads_cell (the sums are read from the PromptAds change log now); dropped so an
-- upgraded database does not keep an unused table.
DROP TABLE IF EXISTS etl.stage_ads_result;

-- The PromptAds measures a run read, per cell (campaign, channel, market, day): signed changes from the
-- change log (ads.ResultChanges), or, for a source read in full, the whole state of every cell.
-- Replaces etl.stage_ads_cell (per month, before the day grain).
DROP TABLE IF EXISTS etl.stage_ads_cell;
-- No index: the steps after staging read a run's rows whole (one run at a time; open_run clears leftovers).
CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_ads_day (
    run_id BIGINT NOT NULL,
    campaignid BIGINT NOT NULL,
    channelid INT NOT NULL,
    marketid INT NOT NULL,
    day DATE NOT NULL,
    results BIGINT NOT NULL,
    reach BIGINT NOT NULL,
    views BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    interactions BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    exposurehours NUMERIC(18, 2) NOT NULL,
    cost NUMERIC(18, 2) NOT NULL,
    revenue NUMERIC(18, 2) NOT NULL
);

-- The PromptAds channel and market names a run read: those whose row changed (a rename), or all of them
-- on a full re-read, and those that rode along with the cells it read (a name read on its own wins).
CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_ads_name (
    run_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    id INT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (run_id, kind, id)
);

-- Upgrade to the day grain: what the ETL kept per month and per campaign (etl.ads_cells, etl.crm_counts)
-- and its channel and market names (etl.ads_names) became the facts of 020_ (analytics.ad_facts_*,
-- analytics.crm_facts_*, analytics.dimension_names). The month cells cannot be split into days, so the
-- change-log watermarks go back to 0 once, in the transaction that drops them: the next run reads both
-- sources in full (which needs no change-log entry from before), fills the facts and re-derives every
-- summary from them.
WITH switched AS (
    INSERT INTO etl.config (key, value) VALUES ('fact_grain', 'day')
    ON CONFLICT (key) DO NOTHING
    RETURNING 1
)
UPDATE etl.watermarks SET mark = 0, updated_at = now()
WHERE entity IN ('resultchanges', 'campaignchanges') AND EXISTS (SELECT 1 FROM switched);
DROP TABLE IF EXISTS etl.ads_cells;
DROP TABLE IF EXISTS etl.ads_names;
DROP TABLE IF EXISTS etl.crm_counts;

-- Campaigns whose facts or attributes moved and whose summaries are not yet re-derived. Written in the
-- same transaction that applies the changes (and advances the change-log watermarks), emptied by the
-- closing step: a run that dies in between leaves them here for the next run.
CREATE TABLE IF NOT EXISTS etl.dirty_campaigns (
    campaign_id BIGINT PRIMARY KEY
);

-- The PromptCrm counts a run read per campaign and day: signed changes from the change log
-- (crm.CampaignChanges), or, for a source read in full, each cell's whole counts. Replaces
-- etl.stage_crm_campaign (per campaign, before the day grain).
DROP TABLE IF EXISTS etl.stage_crm_campaign;
CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_crm_day (
    run_id BIGINT NOT NULL,
    campaignid BIGINT NOT NULL,
    day DATE NOT NULL,
    leads BIGINT NOT NULL,
    convertedleads BIGINT NOT NULL,
    clients BIGINT NOT NULL,
    salescount BIGINT NOT NULL,
    salesamount NUMERIC(18, 2) NOT NULL
);

-- PromptContent images as the sales side needs them (campaign_summary.content_used holds codes).
CREATE TABLE IF NOT EXISTS analytics.content_images (
    code TEXT PRIMARY KEY,
    description TEXT,
    hashtags TEXT[] NOT NULL DEFAULT '{}',
    source_updated_at TIMESTAMPTZ,
    last_etl_run_id BIGINT
);

-- The ETL's statements group and join whole sources in a full read (a million daily cells at 5,000
-- campaigns): with PostgreSQL's default work_mem of 4 MB they spilled 2.6 GB to temporary files in one
-- benchmark. The roles that run the ETL get more: the one applying this file (the ETL's role on the local
-- stack) and promptsales_etl (Kubernetes, k8s/base/n8n-main-deployment.yaml) where it exists. A role may set
-- its own defaults; setting another's needs CREATEROLE, so a refusal is reported and changes nothing else.
DO $$
BEGIN
    EXECUTE format('ALTER ROLE %I SET work_mem = %L', current_user, '128MB');
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'promptsales_etl') AND current_user <> 'promptsales_etl' THEN
        ALTER ROLE promptsales_etl SET work_mem = '128MB';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'work_mem of the ETL role not set (%): set it with ALTER ROLE ... SET work_mem = ''128MB''', SQLERRM;
END;
$$;

-- Stops the statement that calls it with `reason`: how an ETL step refuses, in one SQL statement, to go on
-- with data that is far likelier wrong than true (see central_stage_run.sql). The run then fails with the
-- reason in etl.run_log, and no watermark moves.
CREATE OR REPLACE FUNCTION etl.refuse(reason TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', reason USING ERRCODE = 'data_exception';
END;
$$;
