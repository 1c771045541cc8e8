-- CR9: the CR8 questions answered from the indexed views of 080_create_indexed_views.sql.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (read only).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 085_query_analytics_with_views.sql
-- Expected output: the month x channel rows and the market x distance-band rows of 070 (queries 1 and 2),
--   with the same SalesCount and Revenue, 085 without buyers per band (see below).
-- Stand-in: sqlserver-only — reads the indexed views, which exist only on SQL Server.
--
-- WITH (NOEXPAND) makes every edition read the view's own clustered index (Enterprise would match the
-- views automatically; Standard and Developer-as-Standard do not). What the views cannot hold stays
-- here: RANK, PARTITION BY, ratios, the distance. Buyers (COUNT DISTINCT) are not additive, so the
-- distance answer reports sales, revenue and average ticket per band; 070 still has buyers.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

DECLARE @FromYear INT = 2024;
DECLARE @ToYear INT = 2026;

-- 1. Month by month and channel (070, query 1).
WITH MonthlySales AS (
    SELECT
        v.SaleYear,
        v.SaleMonth,
        v.ChannelId,
        SUM(v.SalesCount) AS SalesCount,
        SUM(v.Revenue) AS Revenue
    FROM crm.vSalesByMonthChannelMarket AS v WITH (NOEXPAND)
    WHERE v.SaleYear BETWEEN @FromYear AND @ToYear
    GROUP BY v.SaleYear, v.SaleMonth, v.ChannelId
),

MonthlyInteractions AS (
    SELECT
        v.InteractionYear,
        v.InteractionMonth,
        v.ChannelId,
        SUM(v.Interactions) AS Interactions
    FROM crm.vInteractionsByMonthChannel AS v WITH (NOEXPAND)
    WHERE v.InteractionYear BETWEEN @FromYear AND @ToYear
    GROUP BY v.InteractionYear, v.InteractionMonth, v.ChannelId
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

-- 2. Distance bands per market (070, query 2): the haversine runs once per city-market pair.
WITH PairDistances AS (
    SELECT
        v.MarketId,
        SUM(v.SalesCount) AS SalesCount,
        SUM(v.Revenue) AS Revenue,
        2 * 6371 * ASIN(SQRT(
            POWER(SIN(RADIANS(CAST(hub.Latitude AS FLOAT) - CAST(home.Latitude AS FLOAT)) / 2), 2)
            + COS(RADIANS(CAST(home.Latitude AS FLOAT))) * COS(RADIANS(CAST(hub.Latitude AS FLOAT)))
            * POWER(SIN(RADIANS(CAST(hub.Longitude AS FLOAT) - CAST(home.Longitude AS FLOAT)) / 2), 2)
        )) AS DistanceKm
    FROM crm.vSalesByClientCityMarket AS v WITH (NOEXPAND)
    INNER JOIN crm.Cities AS home ON home.CityId = v.CityId
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = v.MarketId
    INNER JOIN crm.Cities AS hub ON hub.CityId = h.CityId
    WHERE v.SaleYear BETWEEN @FromYear AND @ToYear
    GROUP BY v.MarketId, home.Latitude, home.Longitude, hub.Latitude, hub.Longitude
),

Banded AS (
    SELECT
        pd.MarketId,
        pd.SalesCount,
        pd.Revenue,
        CASE
            WHEN pd.DistanceKm < 50 THEN '1: under 50 km'
            WHEN pd.DistanceKm < 500 THEN '2: 50-500 km'
            WHEN pd.DistanceKm < 2000 THEN '3: 500-2,000 km'
            ELSE '4: 2,000 km or more'
        END AS DistanceBand
    FROM PairDistances AS pd
)

SELECT
    b.MarketId,
    b.DistanceBand,
    SUM(b.SalesCount) AS SalesCount,
    SUM(b.Revenue) AS Revenue,
    CAST(SUM(b.Revenue) / SUM(b.SalesCount) AS DECIMAL(12, 2)) AS AverageTicket,
    RANK() OVER (PARTITION BY b.MarketId ORDER BY SUM(b.Revenue) DESC) AS BandRankInMarket,
    CAST(100.0 * SUM(b.Revenue) / SUM(SUM(b.Revenue)) OVER (PARTITION BY b.MarketId) AS DECIMAL(6, 2))
    AS ShareOfMarketRevenue
FROM Banded AS b
GROUP BY b.MarketId, b.DistanceBand
ORDER BY b.MarketId, b.DistanceBand;
GO
