-- Stores the rejected source rows of one source (each once, even when a failed run is read again).
-- Parameters: run id, source name, rows as JSON (entity, rowkey, rowver, campaignid, reason).
WITH stored AS (
    INSERT INTO etl.rejects (run_id, source, entity, row_key, row_version, campaign_id, reason)
    SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), t.entity, t.rowkey, t.rowver, t.campaignid, t.reason
    FROM jsonb_to_recordset(CAST($3 AS JSONB)) AS t(entity TEXT, rowkey TEXT, rowver BIGINT, campaignid BIGINT,
        reason TEXT)
    WHERE t.rowkey IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
)
UPDATE etl.run_log
SET rows_rejected = rows_rejected + (SELECT count(*) FROM stored)
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, rows_rejected
