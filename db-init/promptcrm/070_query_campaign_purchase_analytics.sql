-- CR8: correlations between campaign behaviour (leads, interactions) and purchases, by month and year,
-- sales channel, market and geographic distance, with CTEs, PARTITION BY and RANK, straight from the tables.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (read only).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 070_query_campaign_purchase_analytics.sql
--   (085_query_analytics_with_views.sql answers the same questions from the indexed views of 080).
-- Stand-in: query
--
-- Channel and market ids are PromptAds ids; 065_query_linked_server.sql shows how to fetch their names
-- through the linked server. The period is [@FromDate, @ToDate).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

DECLARE @FromDate DATE = '2024-07-01';
DECLARE @ToDate DATE = '2026-02-01';

-- 1. Month by month and channel: do the months where a channel draws more interactions also sell more,
--    how does each channel rank within its month, and how does its revenue accumulate over the year?
WITH MonthlySales AS (
    SELECT
        YEAR(s.SaleDate) AS SaleYear,
        MONTH(s.SaleDate) AS SaleMonth,
        s.ChannelId,
        COUNT(*) AS SalesCount,
        SUM(s.Amount) AS Revenue
    FROM crm.Sales AS s
    WHERE s.SaleDate >= @FromDate AND s.SaleDate < @ToDate
    GROUP BY YEAR(s.SaleDate), MONTH(s.SaleDate), s.ChannelId
),

MonthlyInteractions AS (
    SELECT
        YEAR(i.OccurredAt) AS InteractionYear,
        MONTH(i.OccurredAt) AS InteractionMonth,
        i.ChannelId,
        COUNT(*) AS Interactions
    FROM crm.Interactions AS i
    WHERE i.OccurredAt >= @FromDate AND i.OccurredAt < @ToDate
    GROUP BY YEAR(i.OccurredAt), MONTH(i.OccurredAt), i.ChannelId
)

SELECT
    ms.SaleYear,
    ms.SaleMonth,
    ms.ChannelId,
    mi.Interactions,
    ms.SalesCount,
    ms.Revenue,
    CAST(ms.SalesCount AS DECIMAL(18, 4)) / NULLIF(mi.Interactions, 0) AS SalesPerInteraction,
    RANK() OVER (PARTITION BY ms.SaleYear, ms.SaleMonth ORDER BY ms.Revenue DESC) AS RevenueRankInMonth,
    SUM(ms.Revenue) OVER (
        PARTITION BY ms.SaleYear, ms.ChannelId ORDER BY ms.SaleMonth ROWS UNBOUNDED PRECEDING
    ) AS RevenueYearToDate
FROM MonthlySales AS ms
LEFT JOIN MonthlyInteractions AS mi
    ON
        mi.InteractionYear = ms.SaleYear
        AND mi.InteractionMonth = ms.SaleMonth
        AND mi.ChannelId = ms.ChannelId
ORDER BY ms.SaleYear, ms.SaleMonth, RevenueRankInMonth;

-- 2. Distance: do clients who live far from the city that serves a market buy less, or spend more per
--    purchase? Great-circle distance (haversine, km) from the client's city to the market's hub city.
WITH SaleDistances AS (
    SELECT
        s.MarketId,
        s.ClientId,
        s.Amount,
        2 * 6371 * ASIN(SQRT(
            POWER(SIN(RADIANS(CAST(hub.Latitude AS FLOAT) - CAST(home.Latitude AS FLOAT)) / 2), 2)
            + COS(RADIANS(CAST(home.Latitude AS FLOAT))) * COS(RADIANS(CAST(hub.Latitude AS FLOAT)))
            * POWER(SIN(RADIANS(CAST(hub.Longitude AS FLOAT) - CAST(home.Longitude AS FLOAT)) / 2), 2)
        )) AS DistanceKm
    FROM crm.Sales AS s
    INNER JOIN crm.Clients AS c ON c.ClientId = s.ClientId
    INNER JOIN crm.Cities AS home ON home.CityId = c.CityId
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = s.MarketId
    INNER JOIN crm.Cities AS hub ON hub.CityId = h.CityId
    WHERE s.SaleDate >= @FromDate AND s.SaleDate < @ToDate
),

Banded AS (
    SELECT
        sd.MarketId,
        sd.ClientId,
        sd.Amount,
        CASE
            WHEN sd.DistanceKm < 50 THEN '1: under 50 km'
            WHEN sd.DistanceKm < 500 THEN '2: 50-500 km'
            WHEN sd.DistanceKm < 2000 THEN '3: 500-2,000 km'
            ELSE '4: 2,000 km or more'
        END AS DistanceBand
    FROM SaleDistances AS sd
)

SELECT
    b.MarketId,
    b.DistanceBand,
    COUNT(*) AS SalesCount,
    COUNT(DISTINCT b.ClientId) AS Buyers,
    SUM(b.Amount) AS Revenue,
    CAST(AVG(b.Amount) AS DECIMAL(12, 2)) AS AverageTicket,
    RANK() OVER (PARTITION BY b.MarketId ORDER BY SUM(b.Amount) DESC) AS BandRankInMarket,
    CAST(100.0 * SUM(b.Amount) / SUM(SUM(b.Amount)) OVER (PARTITION BY b.MarketId) AS DECIMAL(6, 2))
    AS ShareOfMarketRevenue
FROM Banded AS b
GROUP BY b.MarketId, b.DistanceBand
ORDER BY b.MarketId, b.DistanceBand;

-- 3. Correlation: per channel, across campaigns, how strongly do interactions go with sales (Pearson r),
--    channels ranked by that correlation.
WITH CampaignChannelInteractions AS (
    SELECT
        i.CampaignId,
        i.ChannelId,
        COUNT(*) AS Interactions
    FROM crm.Interactions AS i
    WHERE i.OccurredAt >= @FromDate AND i.OccurredAt < @ToDate
    GROUP BY i.CampaignId, i.ChannelId
),

CampaignChannelSales AS (
    SELECT
        s.CampaignId,
        s.ChannelId,
        COUNT(*) AS SalesCount
    FROM crm.Sales AS s
    WHERE s.SaleDate >= @FromDate AND s.SaleDate < @ToDate
    GROUP BY s.CampaignId, s.ChannelId
),

Pairs AS (
    SELECT
        cci.ChannelId,
        CAST(cci.Interactions AS FLOAT) AS X,
        CAST(COALESCE(ccs.SalesCount, 0) AS FLOAT) AS Y
    FROM CampaignChannelInteractions AS cci
    LEFT JOIN CampaignChannelSales AS ccs
        ON ccs.CampaignId = cci.CampaignId AND ccs.ChannelId = cci.ChannelId
),

Moments AS (
    SELECT
        p.ChannelId,
        COUNT(*) AS Campaigns,
        SUM(p.X) AS SumX,
        SUM(p.Y) AS SumY,
        SUM(p.X * p.X) AS SumXX,
        SUM(p.Y * p.Y) AS SumYY,
        SUM(p.X * p.Y) AS SumXY
    FROM Pairs AS p
    GROUP BY p.ChannelId
)

SELECT
    m.ChannelId,
    m.Campaigns,
    (m.Campaigns * m.SumXY - m.SumX * m.SumY)
    / NULLIF(SQRT((m.Campaigns * m.SumXX - m.SumX * m.SumX) * (m.Campaigns * m.SumYY - m.SumY * m.SumY)), 0)
    AS PearsonInteractionsVsSales,
    RANK() OVER (
        ORDER BY (m.Campaigns * m.SumXY - m.SumX * m.SumY)
        / NULLIF(SQRT((m.Campaigns * m.SumXX - m.SumX * m.SumX) * (m.Campaigns * m.SumYY - m.SumY * m.SumY)), 0)
        DESC
    ) AS CorrelationRank
FROM Moments AS m
ORDER BY CorrelationRank;

-- 4. Which lead sources turn into buyers, year by year? Leads are 'converted' when the client bought in
--    that campaign; sources ranked by conversion rate within each year.
WITH LeadOutcomes AS (
    SELECT
        YEAR(l.CreatedAt) AS LeadYear,
        l.Source,
        COUNT(*) AS Leads,
        SUM(CASE WHEN l.Status = 'converted' THEN 1 ELSE 0 END) AS Converted
    FROM crm.Leads AS l
    WHERE l.CreatedAt >= @FromDate AND l.CreatedAt < @ToDate
    GROUP BY YEAR(l.CreatedAt), l.Source
)

SELECT
    lo.LeadYear,
    lo.Source,
    lo.Leads,
    lo.Converted,
    CAST(lo.Converted AS DECIMAL(18, 4)) / lo.Leads AS ConversionRate,
    RANK() OVER (PARTITION BY lo.LeadYear ORDER BY CAST(lo.Converted AS DECIMAL(18, 4)) / lo.Leads DESC)
    AS SourceRankInYear
FROM LeadOutcomes AS lo
ORDER BY lo.LeadYear, SourceRankInYear;
GO
