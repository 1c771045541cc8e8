-- PromptAds: the measures of every (campaign, channel, market, day) cell that changed, from the change
-- log the AdResults and Ads triggers keep (ads.ResultChanges: signed, per cell, updates and deletes
-- included), so a run reads only what changed and adds it to the cells it keeps.
-- $1 = 0: the log entries in ($2, $3], summed per cell (a change).
-- $1 = 1: read in full, every valid result now less the log entries after $3: the state as of $3, which
--         the next run continues from (one statement, one snapshot: a change committed while this runs
--         is either in both the results and the log or in neither).
-- One row per (campaign, channel, market, month), its days packed in `days` as
-- 'YYYY-MM-DD:results:reach:views:likes:interactions:sales:exposurehours:cost:revenue' joined by ',':
-- a full read moves ~17x fewer n8n items than one per day (n8n's cost grows with its items, not with
-- their length). The central staging step unpacks them. A month has at most 31 days and a day's entry
-- is at most ~200 characters (ten numbers of at most 19 digits), so `days` stays below the 8,000
-- bytes SQL Server's STRING_AGG returns for non-MAX input. Channel and market names ride along (the
-- central side keys cells by id), joined after the packing: once per item, not once per day.
-- The live rows are summed once, together with the log entries (one GROUP BY per cell and day): the
-- grouping is most of this read's cost.
SELECT p.CampaignId AS campaignid, p.ChannelId AS channelid, ch.Name AS channelname, p.MarketId AS marketid,
       m.Name AS marketname, p.Month AS month, p.Days AS days
FROM (
    SELECT d.CampaignId, d.ChannelId, d.MarketId, SUBSTRING(d.ResultDay, 1, 7) AS Month,
           STRING_AGG(CONCAT(d.ResultDay, ':', d.Results, ':', d.AudienceReached, ':', d.Views, ':', d.Likes, ':',
                             d.Interactions, ':', d.Sales, ':', d.ExposureHours, ':', d.Cost, ':', d.Revenue), ',') AS Days
    FROM (
        SELECT x.CampaignId, x.ChannelId, x.MarketId, CAST(x.ResultDate AS VARCHAR(10)) AS ResultDay,
               SUM(x.Results) AS Results, SUM(x.AudienceReached) AS AudienceReached, SUM(x.Views) AS Views,
               SUM(x.Likes) AS Likes, SUM(x.Interactions) AS Interactions, SUM(x.Sales) AS Sales,
               SUM(x.ExposureHours) AS ExposureHours, SUM(x.Cost) AS Cost, SUM(x.Revenue) AS Revenue
        FROM (
            SELECT a.CampaignId, r.ChannelId, a.MarketId, r.ResultDate, CAST(1 AS BIGINT) AS Results,
                   CAST(r.AudienceReached AS BIGINT) AS AudienceReached, CAST(r.Views AS BIGINT) AS Views,
                   CAST(r.Likes AS BIGINT) AS Likes, CAST(r.Interactions AS BIGINT) AS Interactions,
                   CAST(r.Sales AS BIGINT) AS Sales, CAST(r.ExposureHours AS DECIMAL(18, 2)) AS ExposureHours,
                   CAST(r.Cost AS DECIMAL(18, 2)) AS Cost, CAST(r.Revenue AS DECIMAL(18, 2)) AS Revenue
            FROM ads.AdResults r
            JOIN ads.Ads a ON a.AdId = r.AdId
            WHERE CAST($1 AS INT) = 1
              AND r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0
              AND r.Views >= 0 AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0
              AND r.ExposureHours >= 0 AND a.MarketId IS NOT NULL
            UNION ALL
            SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate,
                   CAST(-c.Results AS BIGINT), -c.AudienceReached, -c.Views, -c.Likes, -c.Interactions, -c.Sales,
                   -c.ExposureHours, -c.Cost, -c.Revenue
            FROM ads.ResultChanges c
            WHERE CAST($1 AS INT) = 1 AND c.RowVer > CAST($3 AS BIGINT)
            UNION ALL
            SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultDate,
                   CAST(c.Results AS BIGINT), c.AudienceReached, c.Views, c.Likes, c.Interactions, c.Sales,
                   c.ExposureHours, c.Cost, c.Revenue
            FROM ads.ResultChanges c
            WHERE CAST($1 AS INT) = 0 AND c.RowVer > CAST($2 AS BIGINT) AND c.RowVer <= CAST($3 AS BIGINT)
        ) x
        GROUP BY x.CampaignId, x.ChannelId, x.MarketId, x.ResultDate
        HAVING SUM(x.Results) <> 0 OR SUM(x.AudienceReached) <> 0 OR SUM(x.Views) <> 0 OR SUM(x.Likes) <> 0
            OR SUM(x.Interactions) <> 0 OR SUM(x.Sales) <> 0 OR SUM(x.ExposureHours) <> 0 OR SUM(x.Cost) <> 0
            OR SUM(x.Revenue) <> 0
    ) d
    GROUP BY d.CampaignId, d.ChannelId, d.MarketId, SUBSTRING(d.ResultDay, 1, 7)
) p
JOIN ads.Channels ch ON ch.ChannelId = p.ChannelId
JOIN ads.Markets m ON m.MarketId = p.MarketId
