-- CR10: estimated execution plans of the CR8 distance question, straight from the tables (070) and from
-- the indexed view (085), plus the I/O of both, to compare them.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (SHOWPLAN only compiles; the STATISTICS part only reads).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 090_compare_plans.sql -o plans.txt -y 0
--   (-y 0 keeps the showplan XML whole); open each <ShowPlanXML> in SSMS or Azure Data Studio to see it
--   drawn, or press Ctrl+L ("Display Estimated Execution Plan") on each query in SSMS.
-- Stand-in: sqlserver-only — SHOWPLAN_XML and indexed views are SQL Server features.
--
-- What to compare (estimated plans, so nothing runs in part 1):
-- * Before: a scan of crm.Sales (every sale in the period), hash or merge joins to crm.Clients (500,000 rows)
--   and the two crm.Cities lookups, a Compute Scalar evaluating the haversine once per sale, a hash
--   aggregate, then Sort + Window Aggregate for RANK and the share. Estimated rows of the scan and the
--   join are in the hundreds of thousands; the estimated subtree cost of the root is the number to note.
-- * After: a Clustered Index Scan of UX_vSalesByClientCityMarket returning a few hundred rows (one per
--   city, market and year), tiny nested-loop lookups into crm.Cities, and the same Sort + Window
--   Aggregate over a few dozen rows. The root's estimated subtree cost should fall by orders of magnitude,
--   and part 2 shows the logical reads of crm.Sales and crm.Clients disappear.
-- Record both costs and the logical reads in the README (docs of CR10) when run against the real server.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- The period is written as literals, not variables: with variables the estimates would use average
-- density instead of the histogram, and the two plans would not be compared on the same footing.
SET SHOWPLAN_XML ON;
GO

-- Before: from the tables.
SELECT
    b.MarketId,
    b.DistanceBand,
    COUNT(*) AS SalesCount,
    SUM(b.Amount) AS Revenue,
    RANK() OVER (PARTITION BY b.MarketId ORDER BY SUM(b.Amount) DESC) AS BandRankInMarket
FROM (
    SELECT
        s.MarketId,
        s.Amount,
        CASE
            WHEN d.DistanceKm < 50 THEN '1: under 50 km'
            WHEN d.DistanceKm < 500 THEN '2: 50-500 km'
            WHEN d.DistanceKm < 2000 THEN '3: 500-2,000 km'
            ELSE '4: 2,000 km or more'
        END AS DistanceBand
    FROM crm.Sales AS s
    INNER JOIN crm.Clients AS c ON c.ClientId = s.ClientId
    INNER JOIN crm.Cities AS home ON home.CityId = c.CityId
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = s.MarketId
    INNER JOIN crm.Cities AS hub ON hub.CityId = h.CityId
    CROSS APPLY (
        SELECT
            2 * 6371 * ASIN(SQRT(
                POWER(SIN(RADIANS(CAST(hub.Latitude AS FLOAT) - CAST(home.Latitude AS FLOAT)) / 2), 2)
                + COS(RADIANS(CAST(home.Latitude AS FLOAT))) * COS(RADIANS(CAST(hub.Latitude AS FLOAT)))
                * POWER(SIN(RADIANS(CAST(hub.Longitude AS FLOAT) - CAST(home.Longitude AS FLOAT)) / 2), 2)
            )) AS DistanceKm
    ) AS d
    WHERE s.SaleDate >= '2024-07-01' AND s.SaleDate < '2026-02-01'
) AS b
GROUP BY b.MarketId, b.DistanceBand;
GO

-- After: from the indexed view.
SELECT
    b.MarketId,
    b.DistanceBand,
    SUM(b.SalesCount) AS SalesCount,
    SUM(b.Revenue) AS Revenue,
    RANK() OVER (PARTITION BY b.MarketId ORDER BY SUM(b.Revenue) DESC) AS BandRankInMarket
FROM (
    SELECT
        v.MarketId,
        v.SalesCount,
        v.Revenue,
        CASE
            WHEN d.DistanceKm < 50 THEN '1: under 50 km'
            WHEN d.DistanceKm < 500 THEN '2: 50-500 km'
            WHEN d.DistanceKm < 2000 THEN '3: 500-2,000 km'
            ELSE '4: 2,000 km or more'
        END AS DistanceBand
    FROM crm.vSalesByClientCityMarket AS v WITH (NOEXPAND)
    INNER JOIN crm.Cities AS home ON home.CityId = v.CityId
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = v.MarketId
    INNER JOIN crm.Cities AS hub ON hub.CityId = h.CityId
    CROSS APPLY (
        SELECT
            2 * 6371 * ASIN(SQRT(
                POWER(SIN(RADIANS(CAST(hub.Latitude AS FLOAT) - CAST(home.Latitude AS FLOAT)) / 2), 2)
                + COS(RADIANS(CAST(home.Latitude AS FLOAT))) * COS(RADIANS(CAST(hub.Latitude AS FLOAT)))
                * POWER(SIN(RADIANS(CAST(hub.Longitude AS FLOAT) - CAST(home.Longitude AS FLOAT)) / 2), 2)
            )) AS DistanceKm
    ) AS d
    WHERE v.SaleYear BETWEEN 2024 AND 2026
) AS b
GROUP BY b.MarketId, b.DistanceBand;
GO

SET SHOWPLAN_XML OFF;
GO

-- Part 2: run both for real and compare "logical reads" per table and "CPU time" in the messages.
SET STATISTICS IO ON;
SET STATISTICS TIME ON;
GO

SELECT COUNT(*) AS SalesRowsReadBefore, SUM(s.Amount) AS Revenue
FROM crm.Sales AS s
INNER JOIN crm.Clients AS c ON c.ClientId = s.ClientId
WHERE s.SaleDate >= '2024-07-01' AND s.SaleDate < '2026-02-01';

SELECT SUM(v.SalesCount) AS SalesCountFromView, SUM(v.Revenue) AS Revenue
FROM crm.vSalesByClientCityMarket AS v WITH (NOEXPAND)
WHERE v.SaleYear BETWEEN 2024 AND 2026;
GO

SET STATISTICS IO OFF;
SET STATISTICS TIME OFF;
GO
