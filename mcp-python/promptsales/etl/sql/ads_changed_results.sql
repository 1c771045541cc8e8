-- PromptAds: every valid result of the changed campaigns, summed per channel, market and month.
-- Whole campaigns are re-summed (not only the changed rows): a rowversion says a row changed but not
-- what it was before, so adding deltas would double-count updates; re-summing a campaign is exact.
-- $1 = the ids of the changed campaigns (ads_changed_campaigns.sql), comma-separated. Passing the ids,
-- rather than repeating the rowversion filter, lets both planners see a short list and seek each
-- campaign's ads and results by index; a filter they cannot estimate made PostgreSQL sort every result.
-- Month is 'YYYY-MM' text: the same expression on both engines.
SELECT
    a.CampaignId AS campaignid,
    ch.Name AS channelname,
    m.Name AS marketname,
    SUBSTRING(CAST(r.ResultDate AS VARCHAR(10)), 1, 7) AS month,
    SUM(CAST(r.AudienceReached AS BIGINT)) AS reach,
    SUM(CAST(r.Views AS BIGINT)) AS views,
    SUM(CAST(r.Likes AS BIGINT)) AS likes,
    SUM(CAST(r.Interactions AS BIGINT)) AS interactions,
    SUM(CAST(r.Sales AS BIGINT)) AS sales,
    CAST(SUM(r.ExposureHours) AS VARCHAR(40)) AS exposurehours,
    CAST(SUM(r.Cost) AS VARCHAR(40)) AS cost,
    CAST(SUM(r.Revenue) AS VARCHAR(40)) AS revenue
FROM ads.Ads a
JOIN ads.AdResults r ON r.AdId = a.AdId
JOIN ads.Channels ch ON ch.ChannelId = r.ChannelId
JOIN ads.Markets m ON m.MarketId = a.MarketId
WHERE a.CampaignId IN (SELECT CAST(ids.value AS INT) FROM STRING_SPLIT($1, ',') AS ids WHERE ids.value <> '')
  AND r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0
      AND r.Views >= 0 AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0
      AND r.ExposureHours >= 0
GROUP BY a.CampaignId, ch.Name, m.Name, SUBSTRING(CAST(r.ResultDate AS VARCHAR(10)), 1, 7)
