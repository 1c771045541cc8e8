-- Stages the re-counted PromptCrm totals of the changed campaigns. Parameters: run id, rows as JSON.
WITH staged AS (
    INSERT INTO etl.stage_crm_campaign (run_id, campaignid, leads, clients, salescount, salesamount)
    SELECT CAST($1 AS BIGINT), t.campaignid, t.leads, t.clients, t.salescount, t.salesamount
    FROM jsonb_to_recordset(CAST($2 AS JSONB)) AS t(campaignid BIGINT, leads BIGINT, clients BIGINT,
        salescount BIGINT, salesamount NUMERIC)
    WHERE t.campaignid IS NOT NULL
    ON CONFLICT (run_id, campaignid) DO NOTHING
    RETURNING 1
)
UPDATE etl.run_log
SET rows_read = rows_read || jsonb_build_object('promptcrm.campaigns', (SELECT count(*) FROM staged))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_read ->> 'promptcrm.campaigns' AS INT) AS staged
