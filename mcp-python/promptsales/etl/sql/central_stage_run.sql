-- Stages everything this run read, in one statement (one transaction): the PromptAds campaigns (and the
-- deleted ones), the changed cells' measures (per campaign, channel, market and day) and the changed
-- channel and market names, the PromptCrm counts (per campaign and day), the rejected rows of both
-- sources (each once, even when a failed run is read again), the changed PromptContent images (kept in
-- analytics.content_images; a read of every image also drops the ones deleted), and the high-water marks
-- the watermarks move to when the run closes. Nothing here is visible to the summaries until the load
-- steps read the staging tables.
-- Parameters: $1 run id; $2..$9 PromptAds high marks (campaigns, ads, adresults, brands, campaignchannels,
-- campaignmarkets, channels, markets); $10..$12 PromptCrm high marks (leads, sales, clientcampaigns); then
-- the rows each source read, each as one JSON array: $13 PromptAds campaigns, $14 PromptAds cells (their
-- days packed per month), $15 PromptAds rejects, $16 PromptCrm counts (their days packed per month), $17
-- PromptCrm rejects, $18 PromptContent images; $19, $20 the high marks of the PromptAds and PromptCrm change
-- logs; $21, $22 true when that source's measures were read in full; $23, $24 true when that source's marks
-- stopped below a transaction still open (committed changes wait); $25 the PromptAds channel and market
-- names read; $26 the seconds a PromptContent write may become visible after its updatedAt
-- (workflow.CONTENT_LATE_WRITE_SECONDS); $27 true when the PromptAds campaigns were read from 0 (every live
-- campaign named, see ads_changed_campaigns.sql).
WITH run AS (
    SELECT run_id, full_reread, CAST(extract(epoch FROM started_at) * 1000 AS BIGINT) AS started_ms
    FROM etl.run_log WHERE run_id = CAST($1 AS BIGINT) AND status = 'running'
), content_low AS (
    -- Where the PromptContent read started (central_open_run.sql): 0 is a read of every image.
    SELECT CASE WHEN run.full_reread THEN 0 ELSE w.mark END AS mark
    FROM run JOIN etl.watermarks w ON w.source = 'promptcontent' AND w.entity = 'images'
), ads_campaigns AS (
    INSERT INTO etl.stage_ads_campaign (run_id, campaignid, name, brandname, status, startdate, enddate,
                                        budget, channels, markets, imagecodes, deleted)
    SELECT run.run_id, t.campaignid, t.name, t.brandname, t.status, t.startdate, t.enddate,
           t.budget, t.channels, t.markets, t.imagecodes, COALESCE(t.deleted, 0) = 1
    FROM run CROSS JOIN jsonb_to_recordset(CAST($13 AS JSONB)) AS t(campaignid BIGINT, name TEXT, brandname TEXT,
        status TEXT, startdate DATE, enddate DATE, budget NUMERIC, channels TEXT, markets TEXT, imagecodes TEXT,
        deleted INT)
    WHERE t.campaignid IS NOT NULL
    ON CONFLICT (run_id, campaignid) DO NOTHING
    RETURNING deleted
), campaigns_named AS (
    -- Every campaign the PromptAds reads named: valid or tombstone (the campaigns read), or invalid (the
    -- rejects read).
    SELECT t.campaignid FROM jsonb_to_recordset(CAST($13 AS JSONB)) AS t(campaignid BIGINT)
    WHERE t.campaignid IS NOT NULL
    UNION ALL
    SELECT t.campaignid FROM jsonb_to_recordset(CAST($15 AS JSONB)) AS t(entity TEXT, campaignid BIGINT)
    WHERE t.entity = 'campaigns' AND t.campaignid IS NOT NULL
), untracked_deletes AS (
    -- After a read of every campaign, a summary whose campaign that read did not name belongs to a campaign
    -- deleted without a tombstone (its trigger off): staged as deleted, as a tombstone would be.
    INSERT INTO etl.stage_ads_campaign (run_id, campaignid, deleted)
    SELECT run.run_id, cs.campaign_id, true
    FROM run CROSS JOIN analytics.campaign_summary cs
    WHERE CAST($27 AS BOOLEAN)
      AND cs.campaign_id NOT IN (SELECT campaignid FROM campaigns_named)
    ON CONFLICT (run_id, campaignid) DO NOTHING
    RETURNING 1
), empty_read AS (
    -- A read of every campaign that names none at all (not even a tombstone) while summaries exist is far
    -- likelier a PromptAds connection pointed at an empty or new database than every campaign deleted
    -- with its trigger off: refuse, rather than delete every summary (or every kept image, below).
    SELECT etl.refuse(format('the PromptAds read from 0 found no campaign at all, while PromptSales has %s '
                             'campaign summaries; nothing was changed. Check that the ETL reads the right '
                             'PromptAds database (etl.config sources, the n8n PromptAds credential); if it '
                             'really has no campaign, delete the summaries by hand.',
                             (SELECT count(*) FROM analytics.campaign_summary))) AS refused
    WHERE CAST($27 AS BOOLEAN)
      AND NOT EXISTS (SELECT 1 FROM campaigns_named)
      AND EXISTS (SELECT 1 FROM analytics.campaign_summary)
    UNION ALL
    -- The same for PromptContent: a read of every image that finds none, while images are kept.
    SELECT etl.refuse(format('the PromptContent read of every image found none, while PromptSales keeps %s; '
                             'nothing was changed. Check that the ETL reads the right MongoDB database (the '
                             'n8n PromptContent credential); if it really has no image, empty '
                             'analytics.content_images by hand.',
                             (SELECT count(*) FROM analytics.content_images)))
    WHERE EXISTS (SELECT 1 FROM content_low WHERE mark = 0)
      AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(CAST($18 AS JSONB)) AS t(code TEXT) WHERE t.code IS NOT NULL)
      AND EXISTS (SELECT 1 FROM analytics.content_images)
), ads_items AS (
    SELECT t.* FROM jsonb_to_recordset(CAST($14 AS JSONB)) AS t(campaignid BIGINT, channelid INT,
        channelname TEXT, marketid INT, marketname TEXT, days TEXT)
    WHERE t.campaignid IS NOT NULL
), ads_cells AS (
    -- One item per (campaign, channel, market, month), its days packed (ads_result_changes.sql): unpacked
    -- here into one row per day. OFFSET 0 keeps the planner from inlining the split into each of the ten
    -- field references (ten splits per day: 1.9 s instead of 0.6 s for 156,574 days).
    INSERT INTO etl.stage_ads_day (run_id, campaignid, channelid, marketid, day, results, reach, views, likes,
                                   interactions, sales, exposurehours, cost, revenue)
    SELECT run.run_id, t.campaignid, t.channelid, t.marketid, CAST(v.f[1] AS DATE), CAST(v.f[2] AS BIGINT),
           CAST(v.f[3] AS BIGINT), CAST(v.f[4] AS BIGINT), CAST(v.f[5] AS BIGINT), CAST(v.f[6] AS BIGINT),
           CAST(v.f[7] AS BIGINT), CAST(v.f[8] AS NUMERIC), CAST(v.f[9] AS NUMERIC), CAST(v.f[10] AS NUMERIC)
    FROM run CROSS JOIN ads_items t
    CROSS JOIN LATERAL unnest(string_to_array(t.days, ',')) AS d(entry)
    CROSS JOIN LATERAL (SELECT string_to_array(d.entry, ':') AS f OFFSET 0) v
    RETURNING 1
), ads_names AS (
    SELECT t.kind, t.id, t.name FROM jsonb_to_recordset(CAST($25 AS JSONB)) AS t(kind TEXT, id INT, name TEXT)
    WHERE t.id IS NOT NULL
), names_staged AS (
    -- The names read on their own (a changed channel or market row) win over those that rode along with
    -- the cells.
    INSERT INTO etl.stage_ads_name (run_id, kind, id, name)
    SELECT DISTINCT ON (n.kind, n.id) run.run_id, n.kind, n.id, n.name
    FROM run CROSS JOIN (
        SELECT 0 AS rank, a.kind, a.id, a.name FROM ads_names a
        UNION ALL
        SELECT 1, 'channel', i.channelid, i.channelname FROM ads_items i
        UNION ALL
        SELECT 1, 'market', i.marketid, i.marketname FROM ads_items i
    ) n
    ORDER BY n.kind, n.id, n.rank, n.name
    ON CONFLICT (run_id, kind, id) DO NOTHING
    RETURNING 1
), crm_totals AS (
    -- One item per (campaign, month), its days packed (crm_campaign_changes.sql): one row per day here.
    INSERT INTO etl.stage_crm_day (run_id, campaignid, day, leads, convertedleads, clients, salescount,
                                   salesamount)
    SELECT run.run_id, t.campaignid, CAST(v.f[1] AS DATE), CAST(v.f[2] AS BIGINT), CAST(v.f[3] AS BIGINT),
           CAST(v.f[4] AS BIGINT), CAST(v.f[5] AS BIGINT), CAST(v.f[6] AS NUMERIC)
    FROM run CROSS JOIN jsonb_to_recordset(CAST($16 AS JSONB)) AS t(campaignid BIGINT, days TEXT)
    CROSS JOIN LATERAL unnest(string_to_array(t.days, ',')) AS d(entry)
    CROSS JOIN LATERAL (SELECT string_to_array(d.entry, ':') AS f OFFSET 0) v
    WHERE t.campaignid IS NOT NULL
    RETURNING campaignid
), rejected AS (
    INSERT INTO etl.rejects (run_id, source, entity, row_key, row_version, campaign_id, reason)
    SELECT run.run_id, r.source, r.entity, r.rowkey, r.rowver, r.campaignid, r.reason
    FROM run CROSS JOIN (
        SELECT 'promptads' AS source, t.* FROM jsonb_to_recordset(CAST($15 AS JSONB))
            AS t(entity TEXT, rowkey TEXT, rowver BIGINT, campaignid BIGINT, reason TEXT)
        UNION ALL
        SELECT 'promptcrm' AS source, t.* FROM jsonb_to_recordset(CAST($17 AS JSONB))
            AS t(entity TEXT, rowkey TEXT, rowver BIGINT, campaignid BIGINT, reason TEXT)
    ) r
    WHERE r.rowkey IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
), images AS (
    SELECT t.code, t.description, t.hashtags, t.updatedat
    FROM run CROSS JOIN jsonb_to_recordset(CAST($18 AS JSONB)) AS t(code TEXT, description TEXT, hashtags TEXT[],
        updatedat BIGINT)
    WHERE t.code IS NOT NULL
), images_kept AS (
    INSERT INTO analytics.content_images AS c (code, description, hashtags, source_updated_at, last_etl_run_id)
    SELECT i.code, i.description, COALESCE(i.hashtags, '{}'), to_timestamp(i.updatedat / 1000.0), run.run_id
    FROM images i CROSS JOIN run
    ON CONFLICT (code) DO UPDATE
    SET description = EXCLUDED.description, hashtags = EXCLUDED.hashtags,
        source_updated_at = EXCLUDED.source_updated_at, last_etl_run_id = EXCLUDED.last_etl_run_id
    WHERE (c.description, c.hashtags, c.source_updated_at)
          IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.hashtags, EXCLUDED.source_updated_at)
    RETURNING 1
), images_removed AS (
    -- A read of every image saw all that are left: the others were deleted from PromptContent.
    DELETE FROM analytics.content_images c
    WHERE EXISTS (SELECT 1 FROM content_low WHERE mark = 0)
      AND NOT EXISTS (SELECT 1 FROM images i WHERE i.code = c.code)
    RETURNING 1
)
UPDATE etl.run_log l
SET pending_marks = l.pending_marks
        || jsonb_build_object('promptads.campaigns', CAST($2 AS BIGINT), 'promptads.ads', CAST($3 AS BIGINT),
                              'promptads.adresults', CAST($4 AS BIGINT), 'promptads.brands', CAST($5 AS BIGINT),
                              'promptads.campaignchannels', CAST($6 AS BIGINT),
                              'promptads.campaignmarkets', CAST($7 AS BIGINT),
                              'promptads.channels', CAST($8 AS BIGINT), 'promptads.markets', CAST($9 AS BIGINT),
                              'promptcrm.leads', CAST($10 AS BIGINT),
                              'promptcrm.sales', CAST($11 AS BIGINT), 'promptcrm.clientcampaigns', CAST($12 AS BIGINT),
                              'promptads.resultchanges', CAST($19 AS BIGINT),
                              'promptcrm.campaignchanges', CAST($20 AS BIGINT))
        -- PromptContent's mark (epoch ms): the newest updatedAt read, but at most the run's start less $26
        -- seconds. updatedAt is set by the writer before its write lands, so a write can become visible
        -- after a newer one was read; one that does within $26 s is read by the next run (an image
        -- written less than $26 s before a run is read again by the next, and changes nothing). A
        -- future updatedAt (a writer's clock ahead) cannot push the mark past changes still to come. No
        -- image read, no move.
        || COALESCE((SELECT jsonb_build_object('promptcontent.images',
                                               GREATEST(MAX(low.mark), LEAST(max(i.updatedat),
                                                        MAX(run.started_ms) - CAST($26 AS BIGINT) * 1000)))
                     FROM images i CROSS JOIN content_low low CROSS JOIN run
                     HAVING max(i.updatedat) IS NOT NULL), '{}'),
    rows_read = l.rows_read
        || jsonb_build_object('promptads.campaigns', (SELECT count(*) FROM ads_campaigns WHERE NOT deleted),
                              'promptads.deleted_campaigns', (SELECT count(*) FROM ads_campaigns WHERE deleted),
                              'promptads.cells', (SELECT count(*) FROM ads_cells),
                              'promptads.names', (SELECT count(*) FROM ads_names),
                              'promptcrm.campaigns', (SELECT count(DISTINCT campaignid) FROM crm_totals),
                              'promptcrm.cells', (SELECT count(*) FROM crm_totals),
                              'promptcontent.images', (SELECT count(*) FROM images)),
    rows_changed = l.rows_changed || jsonb_build_object('content_images', (SELECT count(*) FROM images_kept),
                                                     'untracked_campaign_deletes',
                                                     (SELECT count(*) FROM untracked_deletes),
                                                     'content_images_deleted', (SELECT count(*) FROM images_removed)),
    read_in_full = ARRAY(SELECT s FROM (VALUES ('promptads', CAST($21 AS BOOLEAN)), ('promptcrm', CAST($22 AS BOOLEAN)))
                         AS f(s, yes) WHERE f.yes),
    held_back = ARRAY(SELECT s FROM (VALUES ('promptads', CAST($23 AS BOOLEAN)), ('promptcrm', CAST($24 AS BOOLEAN)))
                      AS f(s, yes) WHERE f.yes),
    rows_rejected = l.rows_rejected + (SELECT count(*) FROM rejected)
FROM run
WHERE l.run_id = run.run_id
  AND NOT EXISTS (SELECT 1 FROM empty_read)
RETURNING l.run_id, l.rows_read, l.rows_rejected
