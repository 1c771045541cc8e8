-- Stages the changed PromptAds campaigns of this run. Parameters: run id, the rows as one JSON array.
WITH staged AS (
    INSERT INTO etl.stage_ads_campaign (run_id, campaignid, name, brandname, status, startdate, enddate,
                                        budget, channels, markets, imagecodes)
    SELECT CAST($1 AS BIGINT), t.campaignid, t.name, t.brandname, t.status, t.startdate, t.enddate,
           t.budget, t.channels, t.markets, t.imagecodes
    FROM jsonb_to_recordset(CAST($2 AS JSONB)) AS t(campaignid BIGINT, name TEXT, brandname TEXT, status TEXT,
        startdate DATE, enddate DATE, budget NUMERIC, channels TEXT, markets TEXT, imagecodes TEXT)
    WHERE t.campaignid IS NOT NULL
    ON CONFLICT (run_id, campaignid) DO NOTHING
    RETURNING 1
)
UPDATE etl.run_log
SET rows_read = rows_read || jsonb_build_object('promptads.campaigns', (SELECT count(*) FROM staged))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_read ->> 'promptads.campaigns' AS INT) AS staged
