-- Opens a run: closes runs that died without closing, clears staging left by them, writes the run
-- log entry and returns the watermarks with the settings the workflow branches on (or no row, see below).
-- Parameter 1: 'schedule' or 'manual'.
WITH abandoned AS (
    UPDATE etl.run_log
    SET status = 'failed', ended_at = clock_timestamp(),
        error = COALESCE(error, 'the run stopped before it closed (killed or failed); its watermarks were not advanced')
    WHERE status = 'running' AND started_at < clock_timestamp() - interval '10 minutes'
    RETURNING run_id
), clear_campaigns AS (
    DELETE FROM etl.stage_ads_campaign s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), clear_results AS (
    DELETE FROM etl.stage_ads_result s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), clear_crm AS (
    DELETE FROM etl.stage_crm_campaign s
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log r WHERE r.run_id = s.run_id AND r.status = 'running')
       OR s.run_id IN (SELECT run_id FROM abandoned)
), run AS (
    -- No run while another is in flight (younger than 10 minutes), and no scheduled run while
    -- etl.config.schedule_enabled is 'false': then this returns no row and the workflow stops here.
    INSERT INTO etl.run_log (trigger, sources)
    SELECT $1, COALESCE((SELECT value FROM etl.config WHERE key = 'sources'), 'standin')
    WHERE NOT EXISTS (SELECT 1 FROM etl.run_log WHERE status = 'running'
                      AND started_at > clock_timestamp() - interval '10 minutes')
      AND ($1 = 'manual' OR COALESCE((SELECT value FROM etl.config WHERE key = 'schedule_enabled'), 'true') = 'true')
    RETURNING run_id, sources
)
SELECT
    run.run_id,
    run.sources,
    COALESCE((SELECT value FROM etl.config WHERE key = 'redis_key_prefix'), 'ps') AS redis_key_prefix,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaigns') AS ads_campaigns,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'ads') AS ads_ads,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'adresults') AS ads_adresults,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'brands') AS ads_brands,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaignchannels') AS ads_campaignchannels,
    MAX(w.mark) FILTER (WHERE w.source = 'promptads' AND w.entity = 'campaignmarkets') AS ads_campaignmarkets,
    MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'leads') AS crm_leads,
    MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'sales') AS crm_sales,
    MAX(w.mark) FILTER (WHERE w.source = 'promptcrm' AND w.entity = 'clientcampaigns') AS crm_clientcampaigns,
    MAX(w.mark) FILTER (WHERE w.source = 'promptcontent' AND w.entity = 'images') AS content_images
FROM run CROSS JOIN etl.watermarks w
GROUP BY run.run_id, run.sources
