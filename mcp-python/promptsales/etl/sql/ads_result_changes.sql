-- PromptAds: the measures of every (campaign, channel, market, month) cell that changed, from the change
-- log the AdResults and Ads triggers keep (ads.ResultChanges: signed, per cell, updates and deletes
-- included), so a run reads only what changed and adds it to the cells it keeps.
-- $1 = 0: the log entries in ($2, $3], summed per cell (a change).
-- $1 = 1: read in full, every valid result now less the log entries after $3: the state as of $3, which
--         the next run continues from (one statement, one snapshot: a change committed while this runs
--         is either in both the results and the log or in neither).
-- Channel and market names ride along (the central side keys cells by id). Month is 'YYYY-MM' text.
SELECT
    x.CampaignId AS campaignid,
    x.ChannelId AS channelid,
    ch.Name AS channelname,
    x.MarketId AS marketid,
    m.Name AS marketname,
    x.ResultMonth AS month,
    SUM(x.Results) AS results,
    SUM(x.AudienceReached) AS reach,
    SUM(x.Views) AS views,
    SUM(x.Likes) AS likes,
    SUM(x.Interactions) AS interactions,
    SUM(x.Sales) AS sales,
    CAST(SUM(x.ExposureHours) AS VARCHAR(40)) AS exposurehours,
    CAST(SUM(x.Cost) AS VARCHAR(40)) AS cost,
    CAST(SUM(x.Revenue) AS VARCHAR(40)) AS revenue
FROM (
    SELECT a.CampaignId, r.ChannelId, a.MarketId, SUBSTRING(CAST(r.ResultDate AS VARCHAR(10)), 1, 7) AS ResultMonth,
           CAST(COUNT(*) AS BIGINT) AS Results,
           SUM(CAST(r.AudienceReached AS BIGINT)) AS AudienceReached, SUM(CAST(r.Views AS BIGINT)) AS Views,
           SUM(CAST(r.Likes AS BIGINT)) AS Likes, SUM(CAST(r.Interactions AS BIGINT)) AS Interactions,
           SUM(CAST(r.Sales AS BIGINT)) AS Sales, SUM(CAST(r.ExposureHours AS DECIMAL(18, 2))) AS ExposureHours,
           SUM(CAST(r.Cost AS DECIMAL(18, 2))) AS Cost, SUM(CAST(r.Revenue AS DECIMAL(18, 2))) AS Revenue
    FROM ads.AdResults r
    JOIN ads.Ads a ON a.AdId = r.AdId
    WHERE CAST($1 AS INT) = 1
      AND r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0
      AND r.Views >= 0 AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0
      AND r.ExposureHours >= 0 AND a.MarketId IS NOT NULL
    GROUP BY a.CampaignId, r.ChannelId, a.MarketId, SUBSTRING(CAST(r.ResultDate AS VARCHAR(10)), 1, 7)
    UNION ALL
    SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultMonth,
           CAST(-c.Results AS BIGINT), -c.AudienceReached, -c.Views, -c.Likes, -c.Interactions, -c.Sales,
           -c.ExposureHours, -c.Cost, -c.Revenue
    FROM ads.ResultChanges c
    WHERE CAST($1 AS INT) = 1 AND c.RowVer > CAST($3 AS BIGINT)
    UNION ALL
    SELECT c.CampaignId, c.ChannelId, c.MarketId, c.ResultMonth,
           CAST(c.Results AS BIGINT), c.AudienceReached, c.Views, c.Likes, c.Interactions, c.Sales,
           c.ExposureHours, c.Cost, c.Revenue
    FROM ads.ResultChanges c
    WHERE CAST($1 AS INT) = 0 AND c.RowVer > CAST($2 AS BIGINT) AND c.RowVer <= CAST($3 AS BIGINT)
) x
JOIN ads.Channels ch ON ch.ChannelId = x.ChannelId
JOIN ads.Markets m ON m.MarketId = x.MarketId
GROUP BY x.CampaignId, x.ChannelId, ch.Name, x.MarketId, m.Name, x.ResultMonth
HAVING SUM(x.Results) <> 0 OR SUM(x.AudienceReached) <> 0 OR SUM(x.Views) <> 0 OR SUM(x.Likes) <> 0
    OR SUM(x.Interactions) <> 0 OR SUM(x.Sales) <> 0 OR SUM(x.ExposureHours) <> 0 OR SUM(x.Cost) <> 0
    OR SUM(x.Revenue) <> 0
