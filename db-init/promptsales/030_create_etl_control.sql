-- Purpose: ETL control for the n8n delta ETL (n8n-workflows/etl-promptsales-11min.json): settings the
--          workflow reads, a watermark per source and entity, the run log, the rejects table, the
--          per-run staging tables, and the PromptContent image catalogue the ETL keeps in step.
-- Dialect: PostgreSQL 18.
-- Safe to re-run: yes (IF NOT EXISTS / ON CONFLICT DO NOTHING; watermarks are never reset here).
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
    ('promptcrm', 'leads'), ('promptcrm', 'sales'), ('promptcrm', 'clientcampaigns'),
    ('promptcontent', 'images')
ON CONFLICT (source, entity) DO NOTHING;

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
    PRIMARY KEY (run_id, campaignid)
);

CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_ads_result (
    run_id BIGINT NOT NULL,
    campaignid BIGINT NOT NULL,
    channelname TEXT NOT NULL,
    marketname TEXT NOT NULL,
    month DATE NOT NULL,
    reach BIGINT NOT NULL,
    views BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    interactions BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    exposurehours NUMERIC(14, 2) NOT NULL,
    cost NUMERIC(16, 2) NOT NULL,
    revenue NUMERIC(16, 2) NOT NULL
);
CREATE INDEX IF NOT EXISTS stage_ads_result_run_idx ON etl.stage_ads_result (run_id, campaignid);

-- A total is NULL when this run did not recount it: only the entities that changed for a campaign are
-- recounted at the source (a changed sale does not recount the campaign's leads and clients).
CREATE UNLOGGED TABLE IF NOT EXISTS etl.stage_crm_campaign (
    run_id BIGINT NOT NULL,
    campaignid BIGINT NOT NULL,
    leads BIGINT,
    clients BIGINT,
    salescount BIGINT,
    salesamount NUMERIC(16, 2),
    PRIMARY KEY (run_id, campaignid)
);
ALTER TABLE etl.stage_crm_campaign ALTER COLUMN leads DROP NOT NULL, ALTER COLUMN clients DROP NOT NULL,
    ALTER COLUMN salescount DROP NOT NULL, ALTER COLUMN salesamount DROP NOT NULL;

-- PromptContent images as the sales side needs them (campaign_summary.content_used holds codes).
CREATE TABLE IF NOT EXISTS analytics.content_images (
    code TEXT PRIMARY KEY,
    description TEXT,
    hashtags TEXT[] NOT NULL DEFAULT '{}',
    source_updated_at TIMESTAMPTZ,
    last_etl_run_id BIGINT
);
