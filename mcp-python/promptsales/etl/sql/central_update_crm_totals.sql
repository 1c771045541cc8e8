-- Writes the PromptCrm totals (leads, clients) into the campaign summaries, each only when this run
-- recounted it (NULL = unchanged); CRM rows whose campaign PromptSales does not know are rejected with
-- that reason instead. Parameter: run id.
WITH run AS (
    SELECT run_id, started_at, COALESCE(CAST(pending_marks ->> 'promptcrm.sales' AS BIGINT), 0) AS mark
    FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT)
), crm AS (
    SELECT * FROM etl.stage_crm_campaign WHERE run_id = CAST($1 AS BIGINT)
), unknown AS (
    INSERT INTO etl.rejects (run_id, source, entity, row_key, row_version, campaign_id, reason)
    SELECT run.run_id, 'promptcrm', 'campaigns', CAST(crm.campaignid AS TEXT),
           (SELECT mark FROM etl.watermarks WHERE source = 'promptcrm' AND entity = 'sales'),
           crm.campaignid,
           format('unknown campaign id (%s leads, %s clients, %s sales)', COALESCE(CAST(crm.leads AS TEXT), '?'),
                  COALESCE(CAST(crm.clients AS TEXT), '?'), COALESCE(CAST(crm.salescount AS TEXT), '?'))
    FROM crm CROSS JOIN run
    WHERE NOT EXISTS (SELECT 1 FROM analytics.campaign_summary s WHERE s.campaign_id = crm.campaignid)
    ON CONFLICT DO NOTHING
    RETURNING 1
), written AS (
    UPDATE analytics.campaign_summary s
    SET leads = COALESCE(crm.leads, s.leads), clients = COALESCE(crm.clients, s.clients),
        last_source_change = run.started_at,
        last_etl_run_id = run.run_id, updated_at = clock_timestamp()
    FROM crm CROSS JOIN run
    WHERE s.campaign_id = crm.campaignid
      AND (s.leads, s.clients) IS DISTINCT FROM (COALESCE(crm.leads, s.leads), COALESCE(crm.clients, s.clients))
    RETURNING 1
)
UPDATE etl.run_log
SET rows_changed = rows_changed || jsonb_build_object(
        'campaign_summary_crm', (SELECT count(*) FROM written)),
    rows_rejected = rows_rejected + (SELECT count(*) FROM unknown)
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_changed ->> 'campaign_summary_crm' AS INT) AS changed
