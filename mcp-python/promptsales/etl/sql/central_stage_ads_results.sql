-- Stages the per channel/market/month sums of the changed PromptAds campaigns.
-- Parameters: run id, the rows as one JSON array.
WITH staged AS (
    INSERT INTO etl.stage_ads_result (run_id, campaignid, channelname, marketname, month, reach, views, likes,
                                      interactions, sales, exposurehours, cost, revenue)
    SELECT CAST($1 AS BIGINT), t.campaignid, t.channelname, t.marketname, CAST(t.month || '-01' AS DATE),
           t.reach, t.views, t.likes, t.interactions, t.sales, t.exposurehours, t.cost, t.revenue
    FROM jsonb_to_recordset(CAST($2 AS JSONB)) AS t(campaignid BIGINT, channelname TEXT, marketname TEXT,
        month TEXT, reach BIGINT, views BIGINT, likes BIGINT, interactions BIGINT, sales BIGINT,
        exposurehours NUMERIC, cost NUMERIC, revenue NUMERIC)
    WHERE t.campaignid IS NOT NULL
    RETURNING 1
)
UPDATE etl.run_log
SET rows_read = rows_read || jsonb_build_object('promptads.adresults_groups', (SELECT count(*) FROM staged))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_read ->> 'promptads.adresults_groups' AS INT) AS staged
