-- PromptAds: the campaigns whose attributes may have changed since the watermarks (the campaign, its
-- brand, its channel or market links, the name of one of its channels or markets, or one of its ads
-- changed), with their attributes. Only valid campaigns; the rejects query reports the rest. Changed
-- results do not bring their campaign here: their measures come from the change log
-- (ads_result_changes.sql), and no attribute depends on them. A campaign that lost an ad (deleted, or moved
-- away) is here too: a trigger touches its row (TR_Ads_TouchCampaignLeft), so its image codes are read again.
-- A deleted campaign is here as deleted = 1 with no attributes: its tombstone (ads.DeletedCampaigns, read
-- under the Campaigns marks) names it, and no row of that id lives (an id inserted again is read as usual).
-- A read from 0 (the first run, a full re-read, a rebuilt source) names every live campaign, even one
-- changed after the high mark: the central side takes a summary whose campaign neither this read nor the
-- rejects read names for a campaign deleted without a tombstone (its trigger off).
-- $1..$8 = low marks of Campaigns, Ads, AdResults, Brands, CampaignChannels, CampaignMarkets, Channels,
-- Markets; $9..$16 = the high marks of the same entities, read at the start (the AdResults marks are
-- unused here).
WITH changed AS (
    SELECT CampaignId FROM ads.Campaigns
    WHERE RowVer > CAST($1 AS BIGINT) AND RowVer <= CAST($9 AS BIGINT)
    UNION
    SELECT CampaignId FROM ads.Ads
    WHERE RowVer > CAST($2 AS BIGINT) AND RowVer <= CAST($10 AS BIGINT)
    UNION
    SELECT c.CampaignId FROM ads.Brands b JOIN ads.Campaigns c ON c.BrandId = b.BrandId
    WHERE b.RowVer > CAST($4 AS BIGINT) AND b.RowVer <= CAST($12 AS BIGINT)
    UNION
    SELECT CampaignId FROM ads.CampaignChannels
    WHERE RowVer > CAST($5 AS BIGINT) AND RowVer <= CAST($13 AS BIGINT)
    UNION
    SELECT CampaignId FROM ads.CampaignMarkets
    WHERE RowVer > CAST($6 AS BIGINT) AND RowVer <= CAST($14 AS BIGINT)
    UNION
    SELECT cc.CampaignId FROM ads.Channels ch JOIN ads.CampaignChannels cc ON cc.ChannelId = ch.ChannelId
    WHERE ch.RowVer > CAST($7 AS BIGINT) AND ch.RowVer <= CAST($15 AS BIGINT)
    UNION
    SELECT cm.CampaignId FROM ads.Markets m JOIN ads.CampaignMarkets cm ON cm.MarketId = m.MarketId
    WHERE m.RowVer > CAST($8 AS BIGINT) AND m.RowVer <= CAST($16 AS BIGINT)
    UNION
    SELECT CampaignId FROM ads.DeletedCampaigns
    WHERE RowVer > CAST($1 AS BIGINT) AND RowVer <= CAST($9 AS BIGINT)
    UNION
    SELECT CampaignId FROM ads.Campaigns WHERE CAST($1 AS BIGINT) = 0
)
SELECT
    x.CampaignId AS campaignid,
    c.Name AS name,
    b.Name AS brandname,
    c.Status AS status,
    CAST(c.StartDate AS VARCHAR(10)) AS startdate,
    CAST(c.EndDate AS VARCHAR(10)) AS enddate,
    CAST(c.Budget AS VARCHAR(40)) AS budget,
    (SELECT STRING_AGG(ch.Name, '|') FROM ads.CampaignChannels cc
        JOIN ads.Channels ch ON ch.ChannelId = cc.ChannelId WHERE cc.CampaignId = c.CampaignId) AS channels,
    (SELECT STRING_AGG(m.Name, '|') FROM ads.CampaignMarkets cm
        JOIN ads.Markets m ON m.MarketId = cm.MarketId WHERE cm.CampaignId = c.CampaignId) AS markets,
    (SELECT STRING_AGG(i.ImageCode, '|') FROM (SELECT DISTINCT a.ImageCode FROM ads.Ads a
        WHERE a.CampaignId = c.CampaignId AND a.ImageCode IS NOT NULL) i) AS imagecodes,
    CASE WHEN c.CampaignId IS NULL THEN 1 ELSE 0 END AS deleted
FROM changed x
LEFT JOIN ads.Campaigns c ON c.CampaignId = x.CampaignId
LEFT JOIN ads.Brands b ON b.BrandId = c.BrandId
WHERE c.CampaignId IS NULL
   OR (c.StartDate IS NOT NULL AND c.Budget >= 0 AND (c.EndDate IS NULL OR c.EndDate >= c.StartDate))
