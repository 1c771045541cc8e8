-- Purpose: PS2, the summarized effectiveness of every campaign from creation to close, filled by the
--          n8n ETL (n8n-workflows/etl-promptsales-11min.json) and read by the sales MCP server.
--          The facts at the finest grain each source has (PromptAds results per campaign x channel x
--          market x day, PromptCrm counts per campaign x day) with their monthly roll-ups, then one row per
--          campaign plus breakdowns per channel, market and month, all derived from the facts.
-- Dialect: PostgreSQL 18.
-- Safe to re-run: yes (IF NOT EXISTS everywhere).
-- How to run: `promptsales db init --only promptsales`, or psql -d promptsales -f this file.

CREATE SCHEMA IF NOT EXISTS analytics;

-- PromptAds results at their own grain: an ad belongs to one campaign and one of its markets, a result row
-- carries its channel and date, so a cell is (campaign, channel, market, day). Ids, not names: a renamed
-- channel keeps its cells (names in analytics.dimension_names). The ETL adds each run's signed changes to
-- the cells they touch and nothing else; `results` counts the valid result rows behind a cell (a cell at
-- 0 has no row left and is removed). Every other figure of PromptSales is a sum of these cells.
CREATE TABLE IF NOT EXISTS analytics.ad_facts_daily (
    campaign_id BIGINT NOT NULL,
    channel_id INT NOT NULL,
    market_id INT NOT NULL,
    day DATE NOT NULL,
    results BIGINT NOT NULL,
    reach BIGINT NOT NULL,
    views BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    interactions BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    exposure_hours NUMERIC(18, 2) NOT NULL,
    cost NUMERIC(18, 2) NOT NULL,
    revenue NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (campaign_id, channel_id, market_id, day)
);
-- Questions over a period read the days at its edges from here by date (the whole months from the
-- roll-up below): this index serves that range scan without touching the table.
CREATE INDEX IF NOT EXISTS ad_facts_daily_day_idx ON analytics.ad_facts_daily (day)
    INCLUDE (campaign_id, channel_id, market_id, results, reach, views, likes, interactions, sales,
             exposure_hours, cost, revenue);

-- The same cells summed per calendar month, kept by the ETL with the same signed changes (so always equal
-- to the sum of their days; a test checks it). A period's whole months are read here: ~17x fewer rows.
CREATE TABLE IF NOT EXISTS analytics.ad_facts_monthly (
    campaign_id BIGINT NOT NULL,
    channel_id INT NOT NULL,
    market_id INT NOT NULL,
    month DATE NOT NULL CHECK (month = date_trunc('month', month)::date),
    results BIGINT NOT NULL,
    reach BIGINT NOT NULL,
    views BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    interactions BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    exposure_hours NUMERIC(18, 2) NOT NULL,
    cost NUMERIC(18, 2) NOT NULL,
    revenue NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (campaign_id, channel_id, market_id, month)
);
CREATE INDEX IF NOT EXISTS ad_facts_monthly_month_idx ON analytics.ad_facts_monthly (month);

-- The same cells per dekad (days 1-10, 11-20 and 21 to the month's end), kept like the monthly roll-up.
-- A period that cuts a month reads that month's whole dekads here and at most six days of each cut dekad
-- from the daily facts: the days of a month cut in half are ~4x fewer rows than from ad_facts_daily.
CREATE OR REPLACE FUNCTION analytics.dekad_of(day DATE) RETURNS DATE
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CAST(date_trunc('month', day) AS DATE)
           + CASE WHEN EXTRACT(DAY FROM day) >= 21 THEN 20 WHEN EXTRACT(DAY FROM day) >= 11 THEN 10 ELSE 0 END
$$;
CREATE TABLE IF NOT EXISTS analytics.ad_facts_dekad (
    campaign_id BIGINT NOT NULL,
    channel_id INT NOT NULL,
    market_id INT NOT NULL,
    dekad DATE NOT NULL CHECK (dekad = analytics.dekad_of(dekad)),
    results BIGINT NOT NULL,
    reach BIGINT NOT NULL,
    views BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    interactions BIGINT NOT NULL,
    sales BIGINT NOT NULL,
    exposure_hours NUMERIC(18, 2) NOT NULL,
    cost NUMERIC(18, 2) NOT NULL,
    revenue NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (campaign_id, channel_id, market_id, dekad)
);
CREATE INDEX IF NOT EXISTS ad_facts_dekad_dekad_idx ON analytics.ad_facts_dekad (dekad)
    INCLUDE (campaign_id, channel_id, market_id, results, reach, views, likes, interactions, sales,
             exposure_hours, cost, revenue);
-- Upgrade: daily facts kept before this roll-up existed are summed into it once (it is theirs exactly).
INSERT INTO analytics.ad_facts_dekad (campaign_id, channel_id, market_id, dekad, results, reach, views, likes,
                                      interactions, sales, exposure_hours, cost, revenue)
SELECT campaign_id, channel_id, market_id, analytics.dekad_of(day), SUM(results), SUM(reach), SUM(views),
       SUM(likes), SUM(interactions), SUM(sales), SUM(exposure_hours), SUM(cost), SUM(revenue)
FROM analytics.ad_facts_daily
WHERE NOT EXISTS (SELECT 1 FROM analytics.ad_facts_dekad)
GROUP BY campaign_id, channel_id, market_id, analytics.dekad_of(day);

-- PromptCrm counts at their finest common grain: a lead has a date but no channel or market, so a cell is
-- (campaign, day). leads = leads created that day; converted_leads = those of them whose status is
-- 'converted' (their client bought in the campaign); clients = client-campaign links made that day (a
-- client is linked to a campaign once, so their sum counts distinct clients); sales_count / sales_amount =
-- PromptCrm's sale rows of that day (the revenue PromptSales reports is PromptAds', which PromptCrm's
-- sales equal to the cent when seeded; these are kept to show it).
CREATE TABLE IF NOT EXISTS analytics.crm_facts_daily (
    campaign_id BIGINT NOT NULL,
    day DATE NOT NULL,
    leads BIGINT NOT NULL,
    converted_leads BIGINT NOT NULL,
    clients BIGINT NOT NULL,
    sales_count BIGINT NOT NULL,
    sales_amount NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (campaign_id, day)
);
CREATE INDEX IF NOT EXISTS crm_facts_daily_day_idx ON analytics.crm_facts_daily (day)
    INCLUDE (campaign_id, leads, converted_leads, clients, sales_count, sales_amount);

CREATE TABLE IF NOT EXISTS analytics.crm_facts_monthly (
    campaign_id BIGINT NOT NULL,
    month DATE NOT NULL CHECK (month = date_trunc('month', month)::date),
    leads BIGINT NOT NULL,
    converted_leads BIGINT NOT NULL,
    clients BIGINT NOT NULL,
    sales_count BIGINT NOT NULL,
    sales_amount NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (campaign_id, month)
);
CREATE INDEX IF NOT EXISTS crm_facts_monthly_month_idx ON analytics.crm_facts_monthly (month);

-- Channel and market names as last read from PromptAds (a renamed one within a run; every full re-read
-- reads all of them). The facts carry ids.
CREATE TABLE IF NOT EXISTS analytics.dimension_names (
    kind TEXT NOT NULL CHECK (kind IN ('channel', 'market')),
    id INT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE IF NOT EXISTS analytics.campaign_summary (
    -- The PromptSales id; the ETL keeps it equal to the PromptAds CampaignId, so it is stable
    -- across runs and re-seeds, and portal.campaigns can refer to it before the first ETL.
    campaign_id BIGINT PRIMARY KEY,
    ads_campaign_id INT UNIQUE,
    campaign_name TEXT NOT NULL,
    brand_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'finished')),
    start_date DATE,
    end_date DATE,
    budget NUMERIC(14, 2),
    reach BIGINT NOT NULL DEFAULT 0,
    views BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    interactions BIGINT NOT NULL DEFAULT 0,
    reactions BIGINT NOT NULL DEFAULT 0,          -- likes + interactions
    exposure_hours NUMERIC(14, 2) NOT NULL DEFAULT 0,
    leads BIGINT NOT NULL DEFAULT 0,
    converted_leads BIGINT NOT NULL DEFAULT 0,
    clients BIGINT NOT NULL DEFAULT 0,
    sales_count BIGINT NOT NULL DEFAULT 0,
    revenue NUMERIC(16, 2) NOT NULL DEFAULT 0,
    cost NUMERIC(16, 2) NOT NULL DEFAULT 0,
    roi NUMERIC(10, 4),                           -- (revenue - cost) / cost, >= -1; NULL when cost is 0
    conversion_rate NUMERIC(10, 6),               -- sales_count / interactions, 0..1; NULL without interactions
    success_rate NUMERIC(10, 6),                  -- converted_leads / leads, 0..1; NULL when no leads
    channels TEXT[] NOT NULL DEFAULT '{}',
    markets TEXT[] NOT NULL DEFAULT '{}',
    content_used TEXT[] NOT NULL DEFAULT '{}',    -- PromptContent image codes used by the ads
    last_source_change TIMESTAMPTZ,
    last_etl_run_id BIGINT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Upgrade: summaries from before converted_leads, whose success_rate was sales_count / leads (which is no
-- rate: it reached 6.49). The column comes at 0 until the next ETL run fills it (that run reads both
-- sources in full, 030_); the rates are derived again at once (040_ derives them on every UPDATE) so that
-- no summary keeps a rate computed the old way. 040_ runs after this file, so the re-derivation is there.
ALTER TABLE analytics.campaign_summary ADD COLUMN IF NOT EXISTS converted_leads BIGINT NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS campaign_summary_status_idx ON analytics.campaign_summary (status);
CREATE INDEX IF NOT EXISTS campaign_summary_dates_idx ON analytics.campaign_summary (start_date, end_date);
CREATE INDEX IF NOT EXISTS campaign_summary_brand_idx ON analytics.campaign_summary (brand_name);
-- Brands are matched ignoring case (the sales server's lower(brand_name) = lower(...)): this index serves that
-- match and gives the planner the statistics of the expression (it estimated 25 campaigns for 425 without).
CREATE INDEX IF NOT EXISTS campaign_summary_brand_lower_idx ON analytics.campaign_summary (lower(brand_name));

CREATE TABLE IF NOT EXISTS analytics.campaign_channel_summary (
    campaign_id BIGINT NOT NULL REFERENCES analytics.campaign_summary (campaign_id) ON DELETE CASCADE,
    channel_name TEXT NOT NULL,
    reach BIGINT NOT NULL DEFAULT 0,
    views BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    interactions BIGINT NOT NULL DEFAULT 0,
    reactions BIGINT NOT NULL DEFAULT 0,
    sales_count BIGINT NOT NULL DEFAULT 0,
    revenue NUMERIC(16, 2) NOT NULL DEFAULT 0,
    cost NUMERIC(16, 2) NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, channel_name)
);

CREATE TABLE IF NOT EXISTS analytics.campaign_market_summary (
    campaign_id BIGINT NOT NULL REFERENCES analytics.campaign_summary (campaign_id) ON DELETE CASCADE,
    market_name TEXT NOT NULL,
    reach BIGINT NOT NULL DEFAULT 0,
    views BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    interactions BIGINT NOT NULL DEFAULT 0,
    reactions BIGINT NOT NULL DEFAULT 0,
    sales_count BIGINT NOT NULL DEFAULT 0,
    revenue NUMERIC(16, 2) NOT NULL DEFAULT 0,
    cost NUMERIC(16, 2) NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, market_name)
);

CREATE TABLE IF NOT EXISTS analytics.campaign_month_summary (
    campaign_id BIGINT NOT NULL REFERENCES analytics.campaign_summary (campaign_id) ON DELETE CASCADE,
    month DATE NOT NULL CHECK (month = date_trunc('month', month)::date),
    reach BIGINT NOT NULL DEFAULT 0,
    views BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    interactions BIGINT NOT NULL DEFAULT 0,
    reactions BIGINT NOT NULL DEFAULT 0,
    sales_count BIGINT NOT NULL DEFAULT 0,
    revenue NUMERIC(16, 2) NOT NULL DEFAULT 0,
    cost NUMERIC(16, 2) NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, month)
);
CREATE INDEX IF NOT EXISTS campaign_month_summary_month_idx ON analytics.campaign_month_summary (month);

-- Every ETL run rewrites the measures of the campaigns it touched in place. Room left on each page lets
-- PostgreSQL keep an updated row on its page without touching the indexes (a HOT update; no measure is
-- indexed). Measured on the benchmark's 1% spread change, 4 runs each: the breakdowns node 62-68 ms -> 54-59 ms.
-- Applies to pages written from now on (an existing table gets it as rows move).
ALTER TABLE analytics.campaign_summary SET (fillfactor = 70);
ALTER TABLE analytics.campaign_channel_summary SET (fillfactor = 70);
ALTER TABLE analytics.campaign_market_summary SET (fillfactor = 70);
ALTER TABLE analytics.campaign_month_summary SET (fillfactor = 70);
ALTER TABLE analytics.ad_facts_monthly SET (fillfactor = 70);
ALTER TABLE analytics.ad_facts_dekad SET (fillfactor = 70);
ALTER TABLE analytics.crm_facts_monthly SET (fillfactor = 70);
