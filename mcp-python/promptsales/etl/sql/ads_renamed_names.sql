-- PromptAds: the channels and markets whose row changed since the watermarks (a rename, most often),
-- with their current names. The central side keeps the names apart from the facts (analytics.dimension_names) and
-- re-derives the breakdowns of every campaign with a cell on a renamed one; the campaigns linked to it
-- come back through ads_changed_campaigns.sql for their lists of channels and markets.
-- $1..$16 as in ads_changed_campaigns.sql (only the Channels and Markets marks are used: $7, $8, $15, $16).
-- On a full re-read the low marks are 0, so every name is read (a few dozen rows).
SELECT 'channel' AS kind, ch.ChannelId AS id, ch.Name AS name
FROM ads.Channels ch
WHERE ch.RowVer > CAST($7 AS BIGINT) AND ch.RowVer <= CAST($15 AS BIGINT)
UNION ALL
SELECT 'market' AS kind, m.MarketId AS id, m.Name AS name
FROM ads.Markets m
WHERE m.RowVer > CAST($8 AS BIGINT) AND m.RowVer <= CAST($16 AS BIGINT)
