-- Upserts the campaign summaries of the PromptAds campaigns this run staged. A row is written only
-- when a value really differs, so a run over unchanged data touches zero rows (the BEFORE trigger
-- derives reactions, ROI and the rates). Parameter: run id.
WITH run AS (
    SELECT run_id, started_at FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT)
), totals AS (
    SELECT campaignid,
           SUM(reach) AS reach, SUM(views) AS views, SUM(likes) AS likes, SUM(interactions) AS interactions,
           SUM(sales) AS sales, SUM(exposurehours) AS exposurehours, SUM(cost) AS cost, SUM(revenue) AS revenue
    FROM etl.stage_ads_result
    WHERE run_id = CAST($1 AS BIGINT)
    GROUP BY campaignid
), fresh AS (
    SELECT c.campaignid, c.name, c.brandname, c.status, c.startdate, c.enddate, c.budget,
           COALESCE(t.reach, 0) AS reach, COALESCE(t.views, 0) AS views, COALESCE(t.likes, 0) AS likes,
           COALESCE(t.interactions, 0) AS interactions, COALESCE(t.sales, 0) AS sales,
           COALESCE(t.exposurehours, 0) AS exposurehours, COALESCE(t.cost, 0) AS cost,
           COALESCE(t.revenue, 0) AS revenue,
           ARRAY(SELECT DISTINCT unnest(string_to_array(c.channels, '|')) ORDER BY 1) AS channels,
           ARRAY(SELECT DISTINCT unnest(string_to_array(c.markets, '|')) ORDER BY 1) AS markets,
           ARRAY(SELECT DISTINCT unnest(string_to_array(c.imagecodes, '|')) ORDER BY 1) AS content_used
    FROM etl.stage_ads_campaign c
    LEFT JOIN totals t ON t.campaignid = c.campaignid
    WHERE c.run_id = CAST($1 AS BIGINT)
), written AS (
    INSERT INTO analytics.campaign_summary AS s (
        campaign_id, ads_campaign_id, campaign_name, brand_name, status, start_date, end_date, budget,
        reach, views, likes, interactions, exposure_hours, sales_count, revenue, cost,
        channels, markets, content_used, last_source_change, last_etl_run_id, updated_at)
    SELECT f.campaignid, f.campaignid, f.name, f.brandname, f.status, f.startdate, f.enddate, f.budget,
           f.reach, f.views, f.likes, f.interactions, f.exposurehours, f.sales, f.revenue, f.cost,
           f.channels, f.markets, f.content_used, run.started_at, run.run_id, clock_timestamp()
    FROM fresh f CROSS JOIN run
    ON CONFLICT (campaign_id) DO UPDATE
    SET ads_campaign_id = EXCLUDED.ads_campaign_id, campaign_name = EXCLUDED.campaign_name,
        brand_name = EXCLUDED.brand_name, status = EXCLUDED.status, start_date = EXCLUDED.start_date,
        end_date = EXCLUDED.end_date, budget = EXCLUDED.budget, reach = EXCLUDED.reach,
        views = EXCLUDED.views, likes = EXCLUDED.likes, interactions = EXCLUDED.interactions,
        exposure_hours = EXCLUDED.exposure_hours, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, channels = EXCLUDED.channels,
        markets = EXCLUDED.markets, content_used = EXCLUDED.content_used,
        last_source_change = EXCLUDED.last_source_change, last_etl_run_id = EXCLUDED.last_etl_run_id,
        updated_at = EXCLUDED.updated_at
    WHERE (s.ads_campaign_id, s.campaign_name, s.brand_name, s.status, s.start_date, s.end_date, s.budget,
           s.reach, s.views, s.likes, s.interactions, s.exposure_hours, s.sales_count, s.revenue, s.cost,
           s.channels, s.markets, s.content_used)
      IS DISTINCT FROM
          (EXCLUDED.ads_campaign_id, EXCLUDED.campaign_name, EXCLUDED.brand_name, EXCLUDED.status,
           EXCLUDED.start_date, EXCLUDED.end_date, EXCLUDED.budget, EXCLUDED.reach, EXCLUDED.views,
           EXCLUDED.likes, EXCLUDED.interactions, EXCLUDED.exposure_hours, EXCLUDED.sales_count,
           EXCLUDED.revenue, EXCLUDED.cost, EXCLUDED.channels, EXCLUDED.markets, EXCLUDED.content_used)
    RETURNING s.campaign_id
)
UPDATE etl.run_log
SET rows_changed = rows_changed || jsonb_build_object('campaign_summary', (SELECT count(*) FROM written))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_changed ->> 'campaign_summary' AS INT) AS changed
