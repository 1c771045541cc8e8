-- Remembers the PromptCrm high-water marks in the run log (etl.watermarks moves only when the run closes)
-- and returns the low marks to read from. A high mark below the stored watermark means the source was
-- rebuilt (a new database restarts its rowversions): that entity is then read from 0, in full.
-- Parameters: run id, then the high marks of leads, sales, clientcampaigns.
UPDATE etl.run_log
SET pending_marks = pending_marks || jsonb_build_object('promptcrm.leads', CAST($2 AS BIGINT), 'promptcrm.sales', CAST($3 AS BIGINT), 'promptcrm.clientcampaigns', CAST($4 AS BIGINT))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST($2 AS BIGINT) AS leads, CAST($3 AS BIGINT) AS sales, CAST($4 AS BIGINT) AS clientcampaigns,
       (SELECT CASE WHEN CAST($2 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptcrm' AND w.entity = 'leads') AS from_leads,
       (SELECT CASE WHEN CAST($3 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptcrm' AND w.entity = 'sales') AS from_sales,
       (SELECT CASE WHEN CAST($4 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptcrm' AND w.entity = 'clientcampaigns') AS from_clientcampaigns
