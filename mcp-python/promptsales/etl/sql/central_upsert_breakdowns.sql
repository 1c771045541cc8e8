-- Re-derives the per-channel, per-market and per-month breakdowns of every campaign marked in
-- etl.dirty_campaigns (and summarized) from the monthly facts (analytics.ad_facts_monthly), and deletes the rows of those campaigns
-- that no longer have valid results; unchanged rows are not touched. One statement, so the three
-- breakdowns of a campaign never disagree. Parameter: run id. Rows equal to the stored ones are left out
-- before the upsert (each row an upsert sees costs an index probe and a trigger call, changed or not).
-- Removals are the rows of those campaigns less the fresh ones (EXCEPT, a hashed set operation): an
-- anti-join was planned over every kept cell and breakdown row even when no campaign was marked.
WITH campaigns AS (
    SELECT d.campaign_id AS campaignid FROM etl.dirty_campaigns d
    WHERE EXISTS (SELECT 1 FROM analytics.campaign_summary s WHERE s.campaign_id = d.campaign_id)
), cells AS (
    SELECT c.campaign_id AS campaignid, ch.name AS channelname, mk.name AS marketname, c.month,
           c.reach, c.views, c.likes, c.interactions, c.sales, c.cost, c.revenue
    FROM analytics.ad_facts_monthly c
    JOIN analytics.dimension_names ch ON ch.kind = 'channel' AND ch.id = c.channel_id
    JOIN analytics.dimension_names mk ON mk.kind = 'market' AND mk.id = c.market_id
    WHERE c.campaign_id = ANY (ARRAY(SELECT campaignid FROM campaigns)) AND c.results > 0
), fresh_channel AS (
    SELECT r.campaignid, r.channelname AS key,
           SUM(r.reach) AS reach, SUM(r.views) AS views, SUM(r.likes) AS likes,
           SUM(r.interactions) AS interactions, SUM(r.sales) AS sales, SUM(r.revenue) AS revenue,
           SUM(r.cost) AS cost
    FROM cells r
    GROUP BY r.campaignid, r.channelname
), written_channel AS (
    INSERT INTO analytics.campaign_channel_summary AS t (campaign_id, channel_name, reach, views, likes, interactions,
        sales_count, revenue, cost, updated_at)
    SELECT f.campaignid, f.key, f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost, clock_timestamp()
    FROM fresh_channel f
    LEFT JOIN analytics.campaign_channel_summary o ON o.campaign_id = f.campaignid AND o.channel_name = f.key
    WHERE o.campaign_id IS NULL
       OR (o.reach, o.views, o.likes, o.interactions, o.sales_count, o.revenue, o.cost)
          IS DISTINCT FROM (f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost)
    ON CONFLICT (campaign_id, channel_name) DO UPDATE
    SET reach = EXCLUDED.reach, views = EXCLUDED.views, likes = EXCLUDED.likes,
        interactions = EXCLUDED.interactions, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, updated_at = EXCLUDED.updated_at
    WHERE (t.reach, t.views, t.likes, t.interactions, t.sales_count, t.revenue, t.cost)
          IS DISTINCT FROM (EXCLUDED.reach, EXCLUDED.views, EXCLUDED.likes, EXCLUDED.interactions,
                            EXCLUDED.sales_count, EXCLUDED.revenue, EXCLUDED.cost)
    RETURNING 1
), removed_channel AS (
    DELETE FROM analytics.campaign_channel_summary t
    USING (SELECT o.campaign_id, o.channel_name FROM analytics.campaign_channel_summary o
           JOIN campaigns d ON d.campaignid = o.campaign_id
           EXCEPT
           SELECT campaignid, key FROM fresh_channel) gone
    WHERE t.campaign_id = gone.campaign_id AND t.channel_name = gone.channel_name
    RETURNING 1
), fresh_market AS (
    SELECT r.campaignid, r.marketname AS key,
           SUM(r.reach) AS reach, SUM(r.views) AS views, SUM(r.likes) AS likes,
           SUM(r.interactions) AS interactions, SUM(r.sales) AS sales, SUM(r.revenue) AS revenue,
           SUM(r.cost) AS cost
    FROM cells r
    GROUP BY r.campaignid, r.marketname
), written_market AS (
    INSERT INTO analytics.campaign_market_summary AS t (campaign_id, market_name, reach, views, likes, interactions,
        sales_count, revenue, cost, updated_at)
    SELECT f.campaignid, f.key, f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost, clock_timestamp()
    FROM fresh_market f
    LEFT JOIN analytics.campaign_market_summary o ON o.campaign_id = f.campaignid AND o.market_name = f.key
    WHERE o.campaign_id IS NULL
       OR (o.reach, o.views, o.likes, o.interactions, o.sales_count, o.revenue, o.cost)
          IS DISTINCT FROM (f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost)
    ON CONFLICT (campaign_id, market_name) DO UPDATE
    SET reach = EXCLUDED.reach, views = EXCLUDED.views, likes = EXCLUDED.likes,
        interactions = EXCLUDED.interactions, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, updated_at = EXCLUDED.updated_at
    WHERE (t.reach, t.views, t.likes, t.interactions, t.sales_count, t.revenue, t.cost)
          IS DISTINCT FROM (EXCLUDED.reach, EXCLUDED.views, EXCLUDED.likes, EXCLUDED.interactions,
                            EXCLUDED.sales_count, EXCLUDED.revenue, EXCLUDED.cost)
    RETURNING 1
), removed_market AS (
    DELETE FROM analytics.campaign_market_summary t
    USING (SELECT o.campaign_id, o.market_name FROM analytics.campaign_market_summary o
           JOIN campaigns d ON d.campaignid = o.campaign_id
           EXCEPT
           SELECT campaignid, key FROM fresh_market) gone
    WHERE t.campaign_id = gone.campaign_id AND t.market_name = gone.market_name
    RETURNING 1
), fresh_month AS (
    SELECT r.campaignid, r.month AS key,
           SUM(r.reach) AS reach, SUM(r.views) AS views, SUM(r.likes) AS likes,
           SUM(r.interactions) AS interactions, SUM(r.sales) AS sales, SUM(r.revenue) AS revenue,
           SUM(r.cost) AS cost
    FROM cells r
    GROUP BY r.campaignid, r.month
), written_month AS (
    INSERT INTO analytics.campaign_month_summary AS t (campaign_id, month, reach, views, likes, interactions,
        sales_count, revenue, cost, updated_at)
    SELECT f.campaignid, f.key, f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost, clock_timestamp()
    FROM fresh_month f
    LEFT JOIN analytics.campaign_month_summary o ON o.campaign_id = f.campaignid AND o.month = f.key
    WHERE o.campaign_id IS NULL
       OR (o.reach, o.views, o.likes, o.interactions, o.sales_count, o.revenue, o.cost)
          IS DISTINCT FROM (f.reach, f.views, f.likes, f.interactions, f.sales, f.revenue, f.cost)
    ON CONFLICT (campaign_id, month) DO UPDATE
    SET reach = EXCLUDED.reach, views = EXCLUDED.views, likes = EXCLUDED.likes,
        interactions = EXCLUDED.interactions, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, updated_at = EXCLUDED.updated_at
    WHERE (t.reach, t.views, t.likes, t.interactions, t.sales_count, t.revenue, t.cost)
          IS DISTINCT FROM (EXCLUDED.reach, EXCLUDED.views, EXCLUDED.likes, EXCLUDED.interactions,
                            EXCLUDED.sales_count, EXCLUDED.revenue, EXCLUDED.cost)
    RETURNING 1
), removed_month AS (
    DELETE FROM analytics.campaign_month_summary t
    USING (SELECT o.campaign_id, o.month FROM analytics.campaign_month_summary o
           JOIN campaigns d ON d.campaignid = o.campaign_id
           EXCEPT
           SELECT campaignid, key FROM fresh_month) gone
    WHERE t.campaign_id = gone.campaign_id AND t.month = gone.month
    RETURNING 1
)
UPDATE etl.run_log
SET rows_changed = rows_changed || jsonb_build_object(
        'campaign_channel_summary', (SELECT count(*) FROM written_channel) + (SELECT count(*) FROM removed_channel),
        'campaign_market_summary', (SELECT count(*) FROM written_market) + (SELECT count(*) FROM removed_market),
        'campaign_month_summary', (SELECT count(*) FROM written_month) + (SELECT count(*) FROM removed_month))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_changed ->> 'campaign_channel_summary' AS INT) AS channels_changed
