-- Keeps the changed PromptContent images in analytics.content_images and remembers the newest
-- updatedAt (epoch ms) as this run's PromptContent high-water mark. Parameters: run id, rows as JSON.
WITH rows AS (
    SELECT t.code, t.description, t.hashtags, t.updatedat
    FROM jsonb_to_recordset(CAST($2 AS JSONB)) AS t(code TEXT, description TEXT, hashtags TEXT[], updatedat BIGINT)
    WHERE t.code IS NOT NULL
), upserted AS (
    INSERT INTO analytics.content_images (code, description, hashtags, source_updated_at, last_etl_run_id)
    SELECT code, description, COALESCE(hashtags, '{}'), to_timestamp(updatedat / 1000.0), CAST($1 AS BIGINT)
    FROM rows
    ON CONFLICT (code) DO UPDATE
    SET description = EXCLUDED.description, hashtags = EXCLUDED.hashtags,
        source_updated_at = EXCLUDED.source_updated_at, last_etl_run_id = EXCLUDED.last_etl_run_id
    WHERE (content_images.description, content_images.hashtags, content_images.source_updated_at)
          IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.hashtags, EXCLUDED.source_updated_at)
    RETURNING 1
)
UPDATE etl.run_log
SET rows_read = rows_read || jsonb_build_object('promptcontent.images', (SELECT count(*) FROM rows)),
    rows_changed = rows_changed || jsonb_build_object('content_images', (SELECT count(*) FROM upserted)),
    pending_marks = CASE WHEN (SELECT max(updatedat) FROM rows) IS NULL THEN pending_marks
                         ELSE pending_marks || jsonb_build_object('promptcontent.images', (SELECT max(updatedat) FROM rows))
                    END
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST(rows_read ->> 'promptcontent.images' AS INT) AS read
