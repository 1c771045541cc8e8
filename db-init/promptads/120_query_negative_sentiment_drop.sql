-- PromptAds (PA6): for one brand and a date range, the ads that drew negative sentiment on social
-- networks while their reactions fell against the previous period of the same length, per channel
-- and per influencer: the channel, the kind of negative sentiment and the % drop.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/120_query_negative_sentiment_drop.sql
-- (edit the three DECLAREs; the defaults name a brand and a week of `promptsales seed --seed 42 --campaigns 1000`).
-- Stand-in: query
--
-- How to read a row: "ad <AdId> of campaign <CampaignName>, on <ChannelName>, drew <NegativeMentions>
-- negative mentions between @FromDate and @ToDate, mostly <SentimentKind> (every kind with its mentions in
-- <NegativeKinds>); its reactions on that channel (likes plus interactions), or those of influencer
-- <Influencer> (who posts on that channel), fell <DropPct>% against the previous period".
-- One row per ad and channel (DropMeasuredOn = 'channel') and one per ad and influencer ('influencer'):
-- the drop is measured on the channel's own results, not the ad's across channels, and an influencer's
-- row joins the negative sentiment of the influencer's channel only, once, whatever the number of kinds.
-- The previous period is the same number of days right before @FromDate, so weekdays and
-- month-end effects line up.
--
-- Expected output with the defaults on `promptsales seed --seed 42` data: docs/promptads.md (PA6) lists it;
-- every DropPct is above 0, largest first.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

DECLARE @BrandName NVARCHAR(100) = N'Arnold Ltd';
DECLARE @FromDate DATE = '2025-11-20';
DECLARE @ToDate DATE = '2025-11-26';

WITH Period AS (
    SELECT
        @FromDate AS CurrentFrom,
        @ToDate AS CurrentTo,
        DATEADD(DAY, -(DATEDIFF(DAY, @FromDate, @ToDate) + 1), @FromDate) AS PreviousFrom,
        DATEADD(DAY, -1, @FromDate) AS PreviousTo
),

BrandAds AS (
    SELECT
        a.AdId,
        a.Title,
        c.Name AS CampaignName
    FROM ads.Ads AS a
    INNER JOIN ads.Campaigns AS c ON a.CampaignId = c.CampaignId
    INNER JOIN ads.Brands AS b ON c.BrandId = b.BrandId
    WHERE b.Name = @BrandName
),

NegativeByKind AS (
    SELECT
        s.AdId,
        s.ChannelId,
        k.SentimentKindId,
        k.Name AS SentimentKind,
        SUM(s.Mentions) AS Mentions
    FROM ads.AdSentiment AS s
    INNER JOIN ads.SentimentKinds AS k ON s.SentimentKindId = k.SentimentKindId
    INNER JOIN ads.Channels AS ch ON s.ChannelId = ch.ChannelId
    INNER JOIN BrandAds AS ba ON s.AdId = ba.AdId
    CROSS JOIN Period AS p
    WHERE
        k.Polarity = 'negative'
        AND ch.IsSocial = 1
        AND s.SentimentDate BETWEEN p.CurrentFrom AND p.CurrentTo
    GROUP BY s.AdId, s.ChannelId, k.SentimentKindId, k.Name
),

-- One row per ad and channel: all its negative mentions, the kind most of them were, and every kind.
Negative AS (
    SELECT
        n.AdId,
        n.ChannelId,
        SUM(n.Mentions) AS NegativeMentions,
        MAX(CASE WHEN n.KindRank = 1 THEN n.SentimentKind END) AS SentimentKind,
        STRING_AGG(CONCAT(n.SentimentKind, ' (', n.Mentions, ')'), ', ')
            WITHIN GROUP (ORDER BY n.KindRank) AS NegativeKinds
    FROM (
        SELECT
            nk.AdId,
            nk.ChannelId,
            nk.SentimentKind,
            nk.Mentions,
            ROW_NUMBER() OVER (
                PARTITION BY nk.AdId, nk.ChannelId ORDER BY nk.Mentions DESC, nk.SentimentKindId
            ) AS KindRank
        FROM NegativeByKind AS nk
    ) AS n
    GROUP BY n.AdId, n.ChannelId
),

ChannelReactions AS (
    SELECT
        r.AdId,
        r.ChannelId,
        SUM(CASE WHEN r.ResultDate >= p.CurrentFrom THEN r.Likes + r.Interactions ELSE 0 END)
        AS CurrentReactions,
        SUM(CASE WHEN r.ResultDate < p.CurrentFrom THEN r.Likes + r.Interactions ELSE 0 END)
        AS PreviousReactions
    FROM ads.AdResults AS r
    INNER JOIN BrandAds AS ba ON r.AdId = ba.AdId
    CROSS JOIN Period AS p
    WHERE r.ResultDate BETWEEN p.PreviousFrom AND p.CurrentTo
    GROUP BY r.AdId, r.ChannelId
),

InfluencerReactions AS (
    SELECT
        ir.AdId,
        i.ChannelId,
        i.Handle,
        SUM(CASE WHEN ir.ReactionDate >= p.CurrentFrom THEN ir.Reactions ELSE 0 END) AS CurrentReactions,
        SUM(CASE WHEN ir.ReactionDate < p.CurrentFrom THEN ir.Reactions ELSE 0 END) AS PreviousReactions
    FROM ads.InfluencerReactions AS ir
    INNER JOIN ads.Influencers AS i ON ir.InfluencerId = i.InfluencerId
    INNER JOIN BrandAds AS ba ON ir.AdId = ba.AdId
    CROSS JOIN Period AS p
    WHERE ir.ReactionDate BETWEEN p.PreviousFrom AND p.CurrentTo
    GROUP BY ir.AdId, i.ChannelId, ir.InfluencerId, i.Handle
)

SELECT
    ba.CampaignName,
    n.AdId,
    ba.Title,
    ch.Name AS ChannelName,
    'channel' AS DropMeasuredOn,
    CAST(NULL AS NVARCHAR(60)) AS Influencer,
    n.SentimentKind,
    n.NegativeMentions,
    cr.PreviousReactions,
    cr.CurrentReactions,
    CAST(100.0 * (cr.PreviousReactions - cr.CurrentReactions) / cr.PreviousReactions AS DECIMAL(6, 2)) AS DropPct,
    n.NegativeKinds
FROM Negative AS n
INNER JOIN BrandAds AS ba ON n.AdId = ba.AdId
INNER JOIN ads.Channels AS ch ON n.ChannelId = ch.ChannelId
INNER JOIN ChannelReactions AS cr ON n.AdId = cr.AdId AND n.ChannelId = cr.ChannelId
WHERE cr.PreviousReactions > cr.CurrentReactions
UNION ALL
SELECT
    ba.CampaignName,
    n.AdId,
    ba.Title,
    ch.Name AS ChannelName,
    'influencer' AS DropMeasuredOn,
    ir.Handle AS Influencer,
    n.SentimentKind,
    n.NegativeMentions,
    ir.PreviousReactions,
    ir.CurrentReactions,
    CAST(100.0 * (ir.PreviousReactions - ir.CurrentReactions) / ir.PreviousReactions AS DECIMAL(6, 2)) AS DropPct,
    n.NegativeKinds
FROM Negative AS n
INNER JOIN BrandAds AS ba ON n.AdId = ba.AdId
INNER JOIN ads.Channels AS ch ON n.ChannelId = ch.ChannelId
INNER JOIN InfluencerReactions AS ir ON n.AdId = ir.AdId AND n.ChannelId = ir.ChannelId
WHERE ir.PreviousReactions > ir.CurrentReactions
ORDER BY DropPct DESC, AdId ASC, ChannelName ASC, Influencer ASC;
