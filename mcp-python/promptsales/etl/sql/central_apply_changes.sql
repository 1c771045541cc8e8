-- Adds what this run staged to what the ETL keeps (etl.ads_cells per campaign, channel, market and month;
-- etl.crm_counts per campaign; etl.ads_names), marks the campaigns whose figures, attributes or channel and
-- market names moved for the steps that re-derive their summaries (etl.dirty_campaigns), and advances the
-- two change-log watermarks, all in this one statement (one transaction): each change-log entry is added
-- exactly once, whatever fails later. A source read in full staged its whole state; what is added is then
-- that state less what is kept (so rows deleted without a trace, e.g. by TRUNCATE, leave too).
-- Parameter: run id.
WITH run AS (
    SELECT run_id, read_in_full, pending_marks
    FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT) AND status = 'running'
), ads_change AS (
    SELECT x.campaign_id, x.channel_id, x.market_id, x.month, SUM(x.results) AS results, SUM(x.reach) AS reach,
           SUM(x.views) AS views, SUM(x.likes) AS likes, SUM(x.interactions) AS interactions, SUM(x.sales) AS sales,
           SUM(x.exposure_hours) AS exposure_hours, SUM(x.cost) AS cost, SUM(x.revenue) AS revenue
    FROM (
        SELECT s.campaignid AS campaign_id, s.channelid AS channel_id, s.marketid AS market_id, s.month,
               s.results, s.reach, s.views, s.likes, s.interactions, s.sales, s.exposurehours AS exposure_hours,
               s.cost, s.revenue
        FROM etl.stage_ads_cell s JOIN run ON s.run_id = run.run_id
        UNION ALL
        SELECT c.campaign_id, c.channel_id, c.market_id, c.month, -c.results, -c.reach, -c.views, -c.likes,
               -c.interactions, -c.sales, -c.exposure_hours, -c.cost, -c.revenue
        FROM etl.ads_cells c CROSS JOIN run
        WHERE 'promptads' = ANY (run.read_in_full)
    ) x
    GROUP BY x.campaign_id, x.channel_id, x.market_id, x.month
    HAVING SUM(x.results) <> 0 OR SUM(x.reach) <> 0 OR SUM(x.views) <> 0 OR SUM(x.likes) <> 0
        OR SUM(x.interactions) <> 0 OR SUM(x.sales) <> 0 OR SUM(x.exposure_hours) <> 0 OR SUM(x.cost) <> 0
        OR SUM(x.revenue) <> 0
), ads_applied AS (
    INSERT INTO etl.ads_cells AS c (campaign_id, channel_id, market_id, month, results, reach, views, likes,
                                    interactions, sales, exposure_hours, cost, revenue)
    SELECT * FROM ads_change
    ON CONFLICT (campaign_id, channel_id, market_id, month) DO UPDATE
    SET results = c.results + EXCLUDED.results, reach = c.reach + EXCLUDED.reach, views = c.views + EXCLUDED.views,
        likes = c.likes + EXCLUDED.likes, interactions = c.interactions + EXCLUDED.interactions,
        sales = c.sales + EXCLUDED.sales, exposure_hours = c.exposure_hours + EXCLUDED.exposure_hours,
        cost = c.cost + EXCLUDED.cost, revenue = c.revenue + EXCLUDED.revenue
    RETURNING c.campaign_id
), names_read AS (
    -- The names read this run: those read on their own (a changed channel or market row) win over
    -- those that rode along with the cells.
    SELECT DISTINCT ON (kind, id) kind, id, name FROM (
        SELECT 0 AS rank, s.kind, s.id, s.name
        FROM etl.stage_ads_name s JOIN run ON s.run_id = run.run_id
        UNION ALL
        SELECT 1, 'channel', s.channelid, s.channelname
        FROM etl.stage_ads_cell s JOIN run ON s.run_id = run.run_id
        UNION ALL
        SELECT 1, 'market', s.marketid, s.marketname
        FROM etl.stage_ads_cell s JOIN run ON s.run_id = run.run_id
    ) seen
    ORDER BY kind, id, rank, name
), renamed AS (
    -- Compared with the names kept before this statement: a renamed channel or market.
    SELECT r.kind, r.id FROM names_read r
    JOIN etl.ads_names n ON n.kind = r.kind AND n.id = r.id
    WHERE n.name IS DISTINCT FROM r.name
), names AS (
    INSERT INTO etl.ads_names AS n (kind, id, name)
    SELECT kind, id, name FROM names_read
    ON CONFLICT (kind, id) DO UPDATE SET name = EXCLUDED.name WHERE n.name IS DISTINCT FROM EXCLUDED.name
    RETURNING 1
), crm_change AS (
    SELECT x.campaign_id, SUM(x.leads) AS leads, SUM(x.clients) AS clients, SUM(x.sales_count) AS sales_count,
           SUM(x.sales_amount) AS sales_amount
    FROM (
        SELECT s.campaignid AS campaign_id, s.leads, s.clients, s.salescount AS sales_count,
               s.salesamount AS sales_amount
        FROM etl.stage_crm_campaign s JOIN run ON s.run_id = run.run_id
        UNION ALL
        SELECT k.campaign_id, -k.leads, -k.clients, -k.sales_count, -k.sales_amount
        FROM etl.crm_counts k CROSS JOIN run
        WHERE 'promptcrm' = ANY (run.read_in_full)
    ) x
    GROUP BY x.campaign_id
    HAVING SUM(x.leads) <> 0 OR SUM(x.clients) <> 0 OR SUM(x.sales_count) <> 0 OR SUM(x.sales_amount) <> 0
), crm_applied AS (
    INSERT INTO etl.crm_counts AS k (campaign_id, leads, clients, sales_count, sales_amount)
    SELECT * FROM crm_change
    ON CONFLICT (campaign_id) DO UPDATE
    SET leads = k.leads + EXCLUDED.leads, clients = k.clients + EXCLUDED.clients,
        sales_count = k.sales_count + EXCLUDED.sales_count, sales_amount = k.sales_amount + EXCLUDED.sales_amount
    RETURNING k.campaign_id
), dirty AS (
    INSERT INTO etl.dirty_campaigns (campaign_id)
    SELECT campaign_id FROM ads_applied
    UNION
    SELECT campaign_id FROM crm_applied
    UNION
    SELECT s.campaignid FROM etl.stage_ads_campaign s JOIN run ON s.run_id = run.run_id
    UNION
    -- Every campaign with a cell on a renamed channel or market: its breakdowns carry the name.
    SELECT c.campaign_id FROM etl.ads_cells c
    JOIN renamed r ON (r.kind = 'channel' AND r.id = c.channel_id) OR (r.kind = 'market' AND r.id = c.market_id)
    ON CONFLICT DO NOTHING
    RETURNING 1
), advanced AS (
    UPDATE etl.watermarks w
    SET mark = CAST(run.pending_marks ->> (w.source || '.' || w.entity) AS BIGINT), last_run_id = run.run_id,
        updated_at = clock_timestamp()
    FROM run
    WHERE (w.source, w.entity) IN (('promptads', 'resultchanges'), ('promptcrm', 'campaignchanges'))
      AND run.pending_marks ? (w.source || '.' || w.entity)
    RETURNING 1
)
UPDATE etl.run_log l
SET rows_changed = l.rows_changed || jsonb_build_object(
        'ads_cells', (SELECT count(*) FROM ads_applied), 'crm_counts', (SELECT count(*) FROM crm_applied))
FROM run
WHERE l.run_id = run.run_id
RETURNING l.run_id, (SELECT count(*) FROM dirty) AS campaigns_marked, (SELECT count(*) FROM advanced) AS logs_advanced,
          (SELECT count(*) FROM names) AS names_changed
