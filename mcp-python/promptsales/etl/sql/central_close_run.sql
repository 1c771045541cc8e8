-- Closes a run that loaded everything: sets each watermark to the high mark this run read (only one run
-- is in flight at a time; lower than before only when the source was rebuilt; the change-log marks were
-- already set by central_apply_changes.sql, to the same values), clears its staging, the campaigns it
-- re-derived and the fact cells left empty, and marks it succeeded, all in this one statement (one transaction).
-- Parameter: run id.
WITH run AS (
    SELECT run_id, pending_marks FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT) AND status = 'running'
), advanced AS (
    UPDATE etl.watermarks w
    SET mark = CAST(m.value AS BIGINT), last_run_id = run.run_id, updated_at = clock_timestamp()
    FROM run CROSS JOIN LATERAL jsonb_each_text(run.pending_marks) AS m(key, value)
    WHERE w.source || '.' || w.entity = m.key
    RETURNING 1
), clear_campaigns AS (
    DELETE FROM etl.stage_ads_campaign WHERE run_id IN (SELECT run_id FROM run)
), clear_cells AS (
    DELETE FROM etl.stage_ads_day WHERE run_id IN (SELECT run_id FROM run)
), clear_names AS (
    DELETE FROM etl.stage_ads_name WHERE run_id IN (SELECT run_id FROM run)
), empty_ad_days AS (
    -- A cell whose last result left (deleted, moved or made invalid) holds zeros: nothing to keep.
    DELETE FROM analytics.ad_facts_daily f
    USING etl.dirty_campaigns d, run
    WHERE f.campaign_id = d.campaign_id AND (f.results, f.reach, f.views, f.likes, f.interactions, f.sales,
                                             f.exposure_hours, f.cost, f.revenue) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
), empty_ad_months AS (
    DELETE FROM analytics.ad_facts_monthly f
    USING etl.dirty_campaigns d, run
    WHERE f.campaign_id = d.campaign_id AND (f.results, f.reach, f.views, f.likes, f.interactions, f.sales,
                                             f.exposure_hours, f.cost, f.revenue) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
), empty_ad_dekads AS (
    DELETE FROM analytics.ad_facts_dekad f
    USING etl.dirty_campaigns d, run
    WHERE f.campaign_id = d.campaign_id AND (f.results, f.reach, f.views, f.likes, f.interactions, f.sales,
                                             f.exposure_hours, f.cost, f.revenue) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
), empty_crm_days AS (
    DELETE FROM analytics.crm_facts_daily k
    USING etl.dirty_campaigns d, run
    WHERE k.campaign_id = d.campaign_id
      AND (k.leads, k.converted_leads, k.clients, k.sales_count, k.sales_amount) = (0, 0, 0, 0, 0)
), empty_crm_months AS (
    DELETE FROM analytics.crm_facts_monthly k
    USING etl.dirty_campaigns d, run
    WHERE k.campaign_id = d.campaign_id
      AND (k.leads, k.converted_leads, k.clients, k.sales_count, k.sales_amount) = (0, 0, 0, 0, 0)
), derived AS (
    DELETE FROM etl.dirty_campaigns WHERE EXISTS (SELECT 1 FROM run)
), clear_crm AS (
    DELETE FROM etl.stage_crm_day WHERE run_id IN (SELECT run_id FROM run)
)
UPDATE etl.run_log l
SET status = 'succeeded', ended_at = clock_timestamp()
FROM run
WHERE l.run_id = run.run_id
RETURNING l.run_id, l.trigger, l.sources, l.started_at, l.ended_at, l.status, l.rows_read, l.rows_changed,
          l.rows_rejected, (SELECT count(*) FROM advanced) AS watermarks_advanced,
          -- Summary and fact rows written: what the sales answers read, so the workflow bumps the Redis data
          -- version when this is above 0 (a fact can change while every summary stays: a result moved
          -- to another day of the same month).
          (SELECT COALESCE(SUM(CAST(v AS BIGINT)), 0) FROM jsonb_each_text(l.rows_changed) AS c(k, v)
           WHERE k LIKE 'campaign%' OR k LIKE '%\_facts\_%') AS summary_rows_changed
