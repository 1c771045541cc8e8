-- Remembers the PromptAds high-water marks in the run log (etl.watermarks moves only when the run closes)
-- and returns the low marks to read from. A high mark below the stored watermark means the source was
-- rebuilt (a new database restarts its rowversions): that entity is then read from 0, in full.
-- Parameters: run id, then the high marks of campaigns, ads, adresults.
UPDATE etl.run_log
SET pending_marks = pending_marks || jsonb_build_object('promptads.campaigns', CAST($2 AS BIGINT), 'promptads.ads', CAST($3 AS BIGINT), 'promptads.adresults', CAST($4 AS BIGINT))
WHERE run_id = CAST($1 AS BIGINT)
RETURNING run_id, CAST($2 AS BIGINT) AS campaigns, CAST($3 AS BIGINT) AS ads, CAST($4 AS BIGINT) AS adresults,
       (SELECT CASE WHEN CAST($2 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptads' AND w.entity = 'campaigns') AS from_campaigns,
       (SELECT CASE WHEN CAST($3 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptads' AND w.entity = 'ads') AS from_ads,
       (SELECT CASE WHEN CAST($4 AS BIGINT) < w.mark THEN 0 ELSE w.mark END FROM etl.watermarks w
        WHERE w.source = 'promptads' AND w.entity = 'adresults') AS from_adresults
