-- PromptAds: changed rows with impossible values, each with the reason it is left out of the summaries.
-- $1..$16 as in ads_changed_campaigns.sql (only the Campaigns and AdResults marks are used).
SELECT
    'adresults' AS entity,
    CONCAT(CAST(r.AdId AS VARCHAR(20)), ':', CAST(r.ChannelId AS VARCHAR(20)), ':',
           COALESCE(CAST(r.ResultDate AS VARCHAR(10)), 'null')) AS rowkey,
    CAST(r.RowVer AS BIGINT) AS rowver,
    a.CampaignId AS campaignid,
    CASE
        WHEN r.ResultDate IS NULL THEN 'null result date'
        WHEN r.Revenue < 0 THEN 'negative revenue'
        WHEN r.Cost < 0 THEN 'negative cost'
        WHEN r.Sales < 0 OR r.Views < 0 OR r.Likes < 0 OR r.Interactions < 0 OR r.AudienceReached < 0
            OR r.ExposureHours < 0 THEN 'negative count'
        ELSE 'missing measure'
    END AS reason
FROM ads.AdResults r
JOIN ads.Ads a ON a.AdId = r.AdId
WHERE r.RowVer > CAST($3 AS BIGINT) AND r.RowVer <= CAST($11 AS BIGINT)
  AND CASE WHEN r.ResultDate IS NOT NULL AND r.Revenue >= 0 AND r.Cost >= 0 AND r.Sales >= 0
      AND r.Views >= 0 AND r.Likes >= 0 AND r.Interactions >= 0 AND r.AudienceReached >= 0
      AND r.ExposureHours >= 0 THEN 0 ELSE 1 END = 1
UNION ALL
SELECT
    'campaigns' AS entity,
    CAST(c.CampaignId AS VARCHAR(20)) AS rowkey,
    CAST(c.RowVer AS BIGINT) AS rowver,
    c.CampaignId AS campaignid,
    CASE
        WHEN c.StartDate IS NULL THEN 'null start date'
        WHEN c.Budget < 0 THEN 'negative budget'
        WHEN c.EndDate < c.StartDate THEN 'end date before start date'
        ELSE 'missing budget'
    END AS reason
FROM ads.Campaigns c
-- A read from 0 names every live invalid campaign, as ads_changed_campaigns.sql names every valid one.
WHERE ((c.RowVer > CAST($1 AS BIGINT) AND c.RowVer <= CAST($9 AS BIGINT)) OR CAST($1 AS BIGINT) = 0)
  AND CASE WHEN c.StartDate IS NOT NULL AND c.Budget >= 0 AND (c.EndDate IS NULL OR c.EndDate >= c.StartDate) THEN 0 ELSE 1 END = 1
