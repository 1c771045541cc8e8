-- Opens a run: closes runs that died without closing, clears staging left by them, writes the run
-- log entry and returns the watermarks with the settings the workflow branches on (or no row, see below).
-- Parameter 1: 'schedule' or 'manual'; parameter 2: true for a full re-read (every watermark read as 0;
-- a change-log mark of 0 makes the workflow read that source's measures in full); parameter 3: the minutes
-- after which a run still 'running' is taken for dead (workflow.STALE_AFTER_MINUTES); parameter 4: the n8n
-- execution id (the error workflow records a failure by it).
WITH abandoned AS (
    UPDATE etl.run_log
    SET status = 'failed', ended_at = clock_timestamp(),
        error = COALESCE(error, 'the run stopped before it closed and no step recorded an error: n8n was stopped '
                       'or killed while it ran; its watermarks were not advanced')
    WHERE status = 'running' AND started_at < clock_timestamp() - make_interval(mins => CAST($3 AS INT))
    RETURNING run_id
), clear_campaigns AS (
    DELETE FROM etl.stage_ads_campaign s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), clear_cells AS (
    DELETE FROM etl.stage_ads_day s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), clear_names AS (
    DELETE FROM etl.stage_ads_name s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), clear_crm AS (
    DELETE FROM etl.stage_crm_day s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), run AS (
    -- No run while another is in flight (younger than parameter 3), and no scheduled run while
    -- etl.config.schedule_enabled is 'false': then this returns no row and the workflow stops here.
    INSERT INTO etl.run_log (trigger, sources, full_reread, n8n_execution_id)
    SELECT $1, COALESCE((SELECT value FROM etl.config WHERE key = 'sources'), 'standin'), CAST($2 AS BOOLEAN),
           CAST($4 AS TEXT)
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log WHERE status = 'running'
                      AND started_at > clock_timestamp() - make_interval(mins => CAST($3 AS INT)))
      AND ($1 = 'manual' OR COALESCE((SELECT value FROM etl.config WHERE key = 'schedule_enabled'), 'true') = 'true')
    RETURNING run_id, sources, full_reread
)
SELECT
    run.run_id,
    run.sources,
    run.full_reread,
    COALESCE((SELECT value FROM etl.config WHERE key = 'redis_key_prefix'), 'ps') AS redis_key_prefix,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaigns') END AS ads_campaigns,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'ads') END AS ads_ads,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'adresults') END AS ads_adresults,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'brands') END AS ads_brands,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaignchannels') END AS ads_campaignchannels,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaignmarkets') END AS ads_campaignmarkets,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'channels') END AS ads_channels,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'markets') END AS ads_markets,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'resultchanges') END AS ads_resultchanges,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'leads') END AS crm_leads,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'sales') END AS crm_sales,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'clientcampaigns') END AS crm_clientcampaigns,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'campaignchanges') END AS crm_campaignchanges,
    CASE WHEN run.full_reread THEN 0 ELSE MAX(w.mark) FILTER (WHERE w.source = 'promptcontent' AND w.entity = 'images') END AS content_images
FROM run CROSS JOIN etl.watermarks w
GROUP BY run.run_id, run.sources, run.full_reread
