-- Adds what this run staged to the facts PromptSales keeps (analytics.ad_facts_daily per campaign,
-- channel, market and day, and its monthly and dekad roll-ups; analytics.crm_facts_daily per campaign and
-- day, and its monthly roll-up; analytics.dimension_names), marks the campaigns whose figures, attributes or channel
-- and market names moved for the steps that re-derive their summaries (etl.dirty_campaigns), and advances
-- the two change-log watermarks, all in this one statement (one transaction): each change-log entry is
-- added exactly once, whatever fails later. Only the cells a change touches are written; a roll-up cell
-- gets the sum of its days' changes, so it stays the sum of its days. A source read in full staged its
-- whole state; what is added is then that state less what is kept (so rows deleted without a trace, e.g.
-- by TRUNCATE, leave too).
-- Parameter: run id.
WITH run AS (
    SELECT run_id, read_in_full, pending_marks
    FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT) AND status = 'running'
), ads_change AS (
    -- A delta: the staged changes as they are (one row per cell). A full read: the staged state less the
    -- kept cells, matched by key (a FULL JOIN, hashed: cheaper than grouping both sides together). The
    -- kept side is read only then: an uncorrelated EXISTS is a one-time filter.
    SELECT COALESCE(s.campaignid, f.campaign_id) AS campaign_id, COALESCE(s.channelid, f.channel_id) AS channel_id,
           COALESCE(s.marketid, f.market_id) AS market_id, COALESCE(s.day, f.day) AS day,
           COALESCE(s.results, 0) - COALESCE(f.results, 0) AS results,
           COALESCE(s.reach, 0) - COALESCE(f.reach, 0) AS reach,
           COALESCE(s.views, 0) - COALESCE(f.views, 0) AS views,
           COALESCE(s.likes, 0) - COALESCE(f.likes, 0) AS likes,
           COALESCE(s.interactions, 0) - COALESCE(f.interactions, 0) AS interactions,
           COALESCE(s.sales, 0) - COALESCE(f.sales, 0) AS sales,
           COALESCE(s.exposurehours, 0) - COALESCE(f.exposure_hours, 0) AS exposure_hours,
           COALESCE(s.cost, 0) - COALESCE(f.cost, 0) AS cost,
           COALESCE(s.revenue, 0) - COALESCE(f.revenue, 0) AS revenue
    FROM (SELECT * FROM etl.stage_ads_day WHERE run_id = CAST($1 AS BIGINT) AND EXISTS (SELECT 1 FROM run)) s
    FULL JOIN (SELECT * FROM analytics.ad_facts_daily
               WHERE EXISTS (SELECT 1 FROM run WHERE 'promptads' = ANY (run.read_in_full))) f
        ON f.campaign_id = s.campaignid AND f.channel_id = s.channelid AND f.market_id = s.marketid
       AND f.day = s.day
    WHERE (COALESCE(s.results, 0), COALESCE(s.reach, 0), COALESCE(s.views, 0), COALESCE(s.likes, 0),
           COALESCE(s.interactions, 0), COALESCE(s.sales, 0), COALESCE(s.exposurehours, 0), COALESCE(s.cost, 0),
           COALESCE(s.revenue, 0))
          IS DISTINCT FROM
          (COALESCE(f.results, 0), COALESCE(f.reach, 0), COALESCE(f.views, 0), COALESCE(f.likes, 0),
           COALESCE(f.interactions, 0), COALESCE(f.sales, 0), COALESCE(f.exposure_hours, 0), COALESCE(f.cost, 0),
           COALESCE(f.revenue, 0))
), ads_daily AS (
    INSERT INTO analytics.ad_facts_daily AS f (campaign_id, channel_id, market_id, day, results, reach, views,
                                               likes, interactions, sales, exposure_hours, cost, revenue)
    SELECT * FROM ads_change
    ON CONFLICT (campaign_id, channel_id, market_id, day) DO UPDATE
    SET results = f.results + EXCLUDED.results, reach = f.reach + EXCLUDED.reach, views = f.views + EXCLUDED.views,
        likes = f.likes + EXCLUDED.likes, interactions = f.interactions + EXCLUDED.interactions,
        sales = f.sales + EXCLUDED.sales, exposure_hours = f.exposure_hours + EXCLUDED.exposure_hours,
        cost = f.cost + EXCLUDED.cost, revenue = f.revenue + EXCLUDED.revenue
    RETURNING f.campaign_id
), ads_monthly AS (
    INSERT INTO analytics.ad_facts_monthly AS f (campaign_id, channel_id, market_id, month, results, reach, views,
                                                 likes, interactions, sales, exposure_hours, cost, revenue)
    SELECT c.campaign_id, c.channel_id, c.market_id, CAST(date_trunc('month', c.day) AS DATE), SUM(c.results),
           SUM(c.reach), SUM(c.views), SUM(c.likes), SUM(c.interactions), SUM(c.sales), SUM(c.exposure_hours),
           SUM(c.cost), SUM(c.revenue)
    FROM ads_change c
    GROUP BY c.campaign_id, c.channel_id, c.market_id, CAST(date_trunc('month', c.day) AS DATE)
    ON CONFLICT (campaign_id, channel_id, market_id, month) DO UPDATE
    SET results = f.results + EXCLUDED.results, reach = f.reach + EXCLUDED.reach, views = f.views + EXCLUDED.views,
        likes = f.likes + EXCLUDED.likes, interactions = f.interactions + EXCLUDED.interactions,
        sales = f.sales + EXCLUDED.sales, exposure_hours = f.exposure_hours + EXCLUDED.exposure_hours,
        cost = f.cost + EXCLUDED.cost, revenue = f.revenue + EXCLUDED.revenue
    RETURNING 1
), ads_dekad AS (
    INSERT INTO analytics.ad_facts_dekad AS f (campaign_id, channel_id, market_id, dekad, results, reach, views,
                                               likes, interactions, sales, exposure_hours, cost, revenue)
    SELECT c.campaign_id, c.channel_id, c.market_id, analytics.dekad_of(c.day), SUM(c.results), SUM(c.reach),
           SUM(c.views), SUM(c.likes), SUM(c.interactions), SUM(c.sales), SUM(c.exposure_hours), SUM(c.cost),
           SUM(c.revenue)
    FROM ads_change c
    GROUP BY c.campaign_id, c.channel_id, c.market_id, analytics.dekad_of(c.day)
    ON CONFLICT (campaign_id, channel_id, market_id, dekad) DO UPDATE
    SET results = f.results + EXCLUDED.results, reach = f.reach + EXCLUDED.reach, views = f.views + EXCLUDED.views,
        likes = f.likes + EXCLUDED.likes, interactions = f.interactions + EXCLUDED.interactions,
        sales = f.sales + EXCLUDED.sales, exposure_hours = f.exposure_hours + EXCLUDED.exposure_hours,
        cost = f.cost + EXCLUDED.cost, revenue = f.revenue + EXCLUDED.revenue
    RETURNING 1
), names_read AS (
    SELECT s.kind, s.id, s.name FROM etl.stage_ads_name s JOIN run ON s.run_id = run.run_id
), renamed AS (
    -- Compared with the names kept before this statement: a renamed channel or market.
    SELECT r.kind, r.id FROM names_read r
    JOIN analytics.dimension_names n ON n.kind = r.kind AND n.id = r.id
    WHERE n.name IS DISTINCT FROM r.name
), names AS (
    INSERT INTO analytics.dimension_names AS n (kind, id, name)
    SELECT kind, id, name FROM names_read
    ON CONFLICT (kind, id) DO UPDATE SET name = EXCLUDED.name WHERE n.name IS DISTINCT FROM EXCLUDED.name
    RETURNING 1
), crm_change AS (
    -- As ads_change: the staged changes, or for a full read the staged state less the kept cells.
    SELECT COALESCE(s.campaignid, k.campaign_id) AS campaign_id, COALESCE(s.day, k.day) AS day,
           COALESCE(s.leads, 0) - COALESCE(k.leads, 0) AS leads,
           COALESCE(s.convertedleads, 0) - COALESCE(k.converted_leads, 0) AS converted_leads,
           COALESCE(s.clients, 0) - COALESCE(k.clients, 0) AS clients,
           COALESCE(s.salescount, 0) - COALESCE(k.sales_count, 0) AS sales_count,
           COALESCE(s.salesamount, 0) - COALESCE(k.sales_amount, 0) AS sales_amount
    FROM (SELECT * FROM etl.stage_crm_day WHERE run_id = CAST($1 AS BIGINT) AND EXISTS (SELECT 1 FROM run)) s
    FULL JOIN (SELECT * FROM analytics.crm_facts_daily
               WHERE EXISTS (SELECT 1 FROM run WHERE 'promptcrm' = ANY (run.read_in_full))) k
        ON k.campaign_id = s.campaignid AND k.day = s.day
    WHERE (COALESCE(s.leads, 0), COALESCE(s.convertedleads, 0), COALESCE(s.clients, 0), COALESCE(s.salescount, 0),
           COALESCE(s.salesamount, 0))
          IS DISTINCT FROM
          (COALESCE(k.leads, 0), COALESCE(k.converted_leads, 0), COALESCE(k.clients, 0), COALESCE(k.sales_count, 0),
           COALESCE(k.sales_amount, 0))
), crm_daily AS (
    INSERT INTO analytics.crm_facts_daily AS k (campaign_id, day, leads, converted_leads, clients, sales_count,
                                                sales_amount)
    SELECT * FROM crm_change
    ON CONFLICT (campaign_id, day) DO UPDATE
    SET leads = k.leads + EXCLUDED.leads, converted_leads = k.converted_leads + EXCLUDED.converted_leads,
        clients = k.clients + EXCLUDED.clients, sales_count = k.sales_count + EXCLUDED.sales_count,
        sales_amount = k.sales_amount + EXCLUDED.sales_amount
    RETURNING k.campaign_id
), crm_monthly AS (
    INSERT INTO analytics.crm_facts_monthly AS k (campaign_id, month, leads, converted_leads, clients, sales_count,
                                                  sales_amount)
    SELECT c.campaign_id, CAST(date_trunc('month', c.day) AS DATE), SUM(c.leads), SUM(c.converted_leads),
           SUM(c.clients), SUM(c.sales_count), SUM(c.sales_amount)
    FROM crm_change c
    GROUP BY c.campaign_id, CAST(date_trunc('month', c.day) AS DATE)
    ON CONFLICT (campaign_id, month) DO UPDATE
    SET leads = k.leads + EXCLUDED.leads, converted_leads = k.converted_leads + EXCLUDED.converted_leads,
        clients = k.clients + EXCLUDED.clients, sales_count = k.sales_count + EXCLUDED.sales_count,
        sales_amount = k.sales_amount + EXCLUDED.sales_amount
    RETURNING 1
), dirty AS (
    INSERT INTO etl.dirty_campaigns (campaign_id)
    SELECT campaign_id FROM ads_daily
    UNION
    SELECT campaign_id FROM crm_daily
    UNION
    SELECT s.campaignid FROM etl.stage_ads_campaign s JOIN run ON s.run_id = run.run_id
    UNION
    -- Every campaign with a cell on a renamed channel or market: its breakdowns carry the name.
    SELECT f.campaign_id FROM analytics.ad_facts_monthly f
    JOIN renamed r ON (r.kind = 'channel' AND r.id = f.channel_id) OR (r.kind = 'market' AND r.id = f.market_id)
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
        'ad_facts_daily', (SELECT count(*) FROM ads_daily), 'ad_facts_monthly', (SELECT count(*) FROM ads_monthly),
        'ad_facts_dekad', (SELECT count(*) FROM ads_dekad),
        'crm_facts_daily', (SELECT count(*) FROM crm_daily), 'crm_facts_monthly', (SELECT count(*) FROM crm_monthly))
FROM run
WHERE l.run_id = run.run_id
RETURNING l.run_id, (SELECT count(*) FROM dirty) AS campaigns_marked, (SELECT count(*) FROM advanced) AS logs_advanced,
          (SELECT count(*) FROM names) AS names_changed
