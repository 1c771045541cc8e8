-- Upserts the per-market breakdown of the campaigns this run staged and deletes markets that no
-- longer have valid results; unchanged rows are not touched. Parameter: run id.
WITH fresh AS (
    SELECT r.campaignid, r.marketname AS key,
           SUM(r.reach) AS reach, SUM(r.views) AS views, SUM(r.likes) AS likes,
           SUM(r.interactions) AS interactions, SUM(r.sales) AS sales, SUM(r.revenue) AS revenue,
           SUM(r.cost) AS cost
    FROM etl.stage_ads_result r
    JOIN etl.stage_ads_campaign c ON c.run_id = r.run_id AND c.campaignid = r.campaignid
    WHERE r.run_id = CAST($1 AS BIGINT)
    GROUP BY r.campaignid, r.marketname
), written AS (
    INSERT INTO analytics.campaign_market_summary AS t (campaign_id, market_name, reach, views, likes, interactions,
                                                     sales_count, revenue, cost, updated_at)
    SELECT campaignid, key, reach, views, likes, interactions, sales, revenue, cost, clock_timestamp()
    FROM fresh
    ON CONFLICT (campaign_id, market_name) DO UPDATE
    SET reach = EXCLUDED.reach, views = EXCLUDED.views, likes = EXCLUDED.likes,
        interactions = EXCLUDED.interactions, sales_count = EXCLUDED.sales_count,
        revenue = EXCLUDED.revenue, cost = EXCLUDED.cost, updated_at = EXCLUDED.updated_at
    WHERE (t.reach, t.views, t.likes, t.interactions, t.sales_count, t.revenue, t.cost)
          IS DISTINCT FROM (EXCLUDED.reach, EXCLUDED.views, EXCLUDED.likes, EXCLUDED.interactions,
                            EXCLUDED.sales_count, EXCLUDED.revenue, EXCLUDED.cost)
    RETURNING 1
), removed AS (
    DELETE FROM analytics.campaign_market_summary t
    USING etl.stage_ads_campaign c
    WHERE c.run_id = CAST($1 AS BIGINT) AND t.campaign_id = c.campaignid
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.campaignid = t.campaign_id AND f.key = t.market_name)
    RETURNING 1
)
UPDATE etl.run_log
SET rows_changed = rows_changed || jsonb_build_object('campaign_market_summary',
                                                      (SELECT count(*) FROM written) + (SELECT count(*) FROM removed))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_changed ->> 'campaign_market_summary' AS INT) AS changed
