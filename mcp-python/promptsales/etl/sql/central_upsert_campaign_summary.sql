-- Re-derives the summary of every campaign marked in etl.dirty_campaigns: measures from the PromptAds facts
-- (analytics.ad_facts_monthly, the monthly roll-up of the daily cells), leads, converted leads and clients
-- from the PromptCrm facts (analytics.crm_facts_monthly), attributes from this run's staged PromptAds
-- campaign or else the summary's own. A row is written only when a value really differs, so a run over
-- unchanged data touches zero rows (the BEFORE trigger derives reactions, ROI and the rates). PromptCrm
-- counts for a campaign PromptSales does not know are rejected with that reason. A campaign deleted from
-- PromptAds (staged as deleted) loses its summary, and its breakdowns with it (ON DELETE CASCADE); the
-- audit trigger records the deletion under this run (promptsales.etl_run_id, set for this transaction
-- only). Parameter: run id.
WITH run AS (
    SELECT run_id, started_at, set_config('promptsales.etl_run_id', CAST(run_id AS TEXT), true) AS audit_run_id
    FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT) AND status = 'running'
), dirty AS (
    SELECT d.campaign_id FROM etl.dirty_campaigns d
), measures AS (
    -- = ANY(ARRAY(...)): the marked campaigns' cells by primary key, however few (a join was planned as a
    -- scan of every cell).
    SELECT c.campaign_id, SUM(c.reach) AS reach, SUM(c.views) AS views, SUM(c.likes) AS likes,
           SUM(c.interactions) AS interactions, SUM(c.sales) AS sales, SUM(c.exposure_hours) AS exposure_hours,
           SUM(c.cost) AS cost, SUM(c.revenue) AS revenue
    FROM analytics.ad_facts_monthly c
    WHERE c.campaign_id = ANY (ARRAY(SELECT campaign_id FROM dirty))
    GROUP BY c.campaign_id
), counts AS (
    SELECT k.campaign_id, SUM(k.leads) AS leads, SUM(k.converted_leads) AS converted_leads,
           SUM(k.clients) AS clients, SUM(k.sales_count) AS sales_count
    FROM analytics.crm_facts_monthly k
    WHERE k.campaign_id = ANY (ARRAY(SELECT campaign_id FROM dirty))
    GROUP BY k.campaign_id
), attributes AS (
    SELECT s.campaignid AS campaign_id, s.name AS campaign_name, s.brandname AS brand_name, s.status,
           s.startdate AS start_date, s.enddate AS end_date, s.budget,
           ARRAY(SELECT DISTINCT unnest(string_to_array(s.channels, '|')) ORDER BY 1) AS channels,
           ARRAY(SELECT DISTINCT unnest(string_to_array(s.markets, '|')) ORDER BY 1) AS markets,
           ARRAY(SELECT DISTINCT unnest(string_to_array(s.imagecodes, '|')) ORDER BY 1) AS content_used
    FROM etl.stage_ads_campaign s JOIN run ON s.run_id = run.run_id
    WHERE NOT s.deleted
    UNION ALL
    SELECT cs.campaign_id, cs.campaign_name, cs.brand_name, cs.status, cs.start_date, cs.end_date, cs.budget,
           cs.channels, cs.markets, cs.content_used
    FROM analytics.campaign_summary cs JOIN dirty d ON d.campaign_id = cs.campaign_id
    WHERE NOT EXISTS (SELECT 1 FROM etl.stage_ads_campaign s
                      WHERE s.run_id = CAST($1 AS BIGINT) AND s.campaignid = cs.campaign_id)
), fresh AS (
    SELECT a.*, COALESCE(m.reach, 0) AS reach, COALESCE(m.views, 0) AS views, COALESCE(m.likes, 0) AS likes,
           COALESCE(m.interactions, 0) AS interactions, COALESCE(m.sales, 0) AS sales,
           COALESCE(m.exposure_hours, 0) AS exposure_hours, COALESCE(m.cost, 0) AS cost,
           COALESCE(m.revenue, 0) AS revenue, COALESCE(k.leads, 0) AS leads,
           COALESCE(k.converted_leads, 0) AS converted_leads, COALESCE(k.clients, 0) AS clients
    FROM attributes a
    LEFT JOIN measures m ON m.campaign_id = a.campaign_id
    LEFT JOIN counts k ON k.campaign_id = a.campaign_id
), written AS (
    INSERT INTO analytics.campaign_summary AS s (
        campaign_id, ads_campaign_id, campaign_name, brand_name, status, start_date, end_date, budget,
        reach, views, likes, interactions, exposure_hours, sales_count, revenue, cost, leads, converted_leads,
        clients, channels, markets, content_used, last_source_change, last_etl_run_id, updated_at)
    SELECT f.campaign_id, f.campaign_id, f.campaign_name, f.brand_name, f.status, f.start_date, f.end_date, f.budget,
           f.reach, f.views, f.likes, f.interactions, f.exposure_hours, f.sales, f.revenue, f.cost, f.leads,
           f.converted_leads, f.clients,
           f.channels, f.markets, f.content_used, run.started_at, run.run_id, clock_timestamp()
    FROM fresh f CROSS JOIN run
    ON CONFLICT (campaign_id) DO UPDATE
    SET ads_campaign_id = EXCLUDED.ads_campaign_id, campaign_name = EXCLUDED.campaign_name,
        brand_name = EXCLUDED.brand_name, status = EXCLUDED.status, start_date = EXCLUDED.start_date,
        end_date = EXCLUDED.end_date, budget = EXCLUDED.budget, reach = EXCLUDED.reach,
        views = EXCLUDED.views, likes = EXCLUDED.likes, interactions = EXCLUDED.interactions,
        exposure_hours = EXCLUDED.exposure_hours, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, leads = EXCLUDED.leads,
        converted_leads = EXCLUDED.converted_leads, clients = EXCLUDED.clients,
        channels = EXCLUDED.channels, markets = EXCLUDED.markets, content_used = EXCLUDED.content_used,
        last_source_change = EXCLUDED.last_source_change, last_etl_run_id = EXCLUDED.last_etl_run_id,
        updated_at = EXCLUDED.updated_at
    WHERE (s.ads_campaign_id, s.campaign_name, s.brand_name, s.status, s.start_date, s.end_date, s.budget,
           s.reach, s.views, s.likes, s.interactions, s.exposure_hours, s.sales_count, s.revenue, s.cost,
           s.leads, s.converted_leads, s.clients, s.channels, s.markets, s.content_used)
      IS DISTINCT FROM
          (EXCLUDED.ads_campaign_id, EXCLUDED.campaign_name, EXCLUDED.brand_name, EXCLUDED.status,
           EXCLUDED.start_date, EXCLUDED.end_date, EXCLUDED.budget, EXCLUDED.reach, EXCLUDED.views,
           EXCLUDED.likes, EXCLUDED.interactions, EXCLUDED.exposure_hours, EXCLUDED.sales_count,
           EXCLUDED.revenue, EXCLUDED.cost, EXCLUDED.leads, EXCLUDED.converted_leads, EXCLUDED.clients,
           EXCLUDED.channels,
           EXCLUDED.markets, EXCLUDED.content_used)
    RETURNING s.campaign_id
), removed AS (
    DELETE FROM analytics.campaign_summary cs
    USING etl.stage_ads_campaign s, run
    WHERE s.run_id = run.run_id AND s.deleted AND cs.campaign_id = s.campaignid
    RETURNING cs.campaign_id
), unknown AS (
    INSERT INTO etl.rejects (run_id, source, entity, row_key, row_version, campaign_id, reason)
    SELECT run.run_id, 'promptcrm', 'campaigns', CAST(k.campaign_id AS TEXT),
           (SELECT mark FROM etl.watermarks WHERE source = 'promptcrm' AND entity = 'campaignchanges'),
           k.campaign_id,
           format(CASE WHEN EXISTS (SELECT 1 FROM etl.stage_ads_campaign s WHERE s.run_id = run.run_id
                                    AND s.campaignid = k.campaign_id AND s.deleted)
                       THEN 'campaign deleted from PromptAds (%s leads, %s clients, %s sales)'
                       ELSE 'unknown campaign id (%s leads, %s clients, %s sales)' END,
                  k.leads, k.clients, k.sales_count)
    FROM counts k CROSS JOIN run
    WHERE NOT EXISTS (SELECT 1 FROM attributes a WHERE a.campaign_id = k.campaign_id)
      AND (k.leads, k.clients, k.sales_count) <> (0, 0, 0)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
UPDATE etl.run_log
SET rows_changed = rows_changed || jsonb_build_object('campaign_summary', (SELECT count(*) FROM written),
                                                     'campaign_summary_deleted', (SELECT count(*) FROM removed),
                                                     'touched_campaigns', (SELECT count(*) FROM dirty)),
    rows_rejected = rows_rejected + (SELECT count(*) FROM unknown)
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_changed ->> 'campaign_summary' AS INT) AS changed
