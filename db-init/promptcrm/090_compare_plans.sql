-- CR10: the execution plans of the CR8 distance question (070, query 2) three ways, over the same sales
-- (the years 2024-2026, which hold every generated sale): A from the tables alone (clustered indexes only,
-- as if nothing had been tuned), B from covering nonclustered indexes, C from the indexed view of 080. Each
-- runs once with its plan returned; then the estimated cost of each is read out of its plan, and the
-- answers of the tables and of the view are compared.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (the covering index is created once; everything else reads).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 090_compare_plans.sql -o plans.txt -y 0
--   (-y 0 keeps the plan XML whole); open each <ShowPlanXML> in SSMS or Azure Data Studio to see it drawn,
--   or select one variant in SSMS and press Ctrl+L for its estimated plan alone. The cost table reads the
--   plan cache: if the server has 'optimize for ad hoc workloads' on, the first run caches stubs only, so
--   run the script twice.
-- Stand-in: sqlserver-only — plan XML, index hints and indexed views are SQL Server features.
--
-- The plans come from SET STATISTICS XML: each is the plan the optimizer estimated (its operators,
-- estimated rows and StatementSubTreeCost, the estimated cost) with the actual rows beside them, so every
-- query is written once and both kinds of figure are in one document. How the three are kept apart:
-- OPTION (EXPAND VIEWS) stops Enterprise and Developer editions from answering A or B from the indexed
-- view by themselves; A's INDEX hints keep it off the covering indexes. The period is written as
-- literals, not variables: with variables the estimates would use average density instead of the
-- histogram, and the plans would not be compared on the same footing.
--
-- Expected output (the numbers are the optimizer's own estimates and depend on the data; not measured
-- here, where no SQL Server runs):
-- 1. For each variant its rows, then its <ShowPlanXML>, then "Table '...'. Scan count ..., logical reads ..."
--    and "SQL Server Execution Times" lines. A: Clustered Index Scans of crm.Sales (every sale) and
--    crm.Clients (500,000 rows), hash joins, a Compute Scalar with the haversine per sale, a hash
--    aggregate, then Sort + Window Aggregate for RANK. B: the same shape over Index Scans of
--    IX_Sales_SaleDate_Covering and IX_Clients_CityId (narrow rows, a fraction of the pages). C: a
--    Clustered Index Scan of UX_vSalesByClientCityMarket (at most cities x markets x years rows, a few
--    hundred), small joins to crm.Cities, the same Sort + Window Aggregate over a few dozen rows; it reads
--    neither crm.Sales nor crm.Clients.
-- 2. One row per variant: EstimatedCost (StatementSubTreeCost of the plan's root) falling from A to B by
--    about the ratio of their pages, and from B to C by orders of magnitude; EstimatedRows the same
--    number of result rows for all three; LastLogicalReads in the same order.
-- 3. RowsThatDiffer 0: the tables and the view hold the same sales and revenue per market and pair of
--    cities, so A and C answer alike (B is A's query without the hints).

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

-- The covering indexes of variant B: every column the query reads from each table, nothing else.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Sales_SaleDate_Covering')
    CREATE INDEX IX_Sales_SaleDate_Covering ON crm.Sales (SaleDate) INCLUDE (ClientId, MarketId, Amount);
GO

-- 1. The three, each returning its plan, its reads per table and its times.
SET STATISTICS XML ON;
SET STATISTICS IO ON;
SET STATISTICS TIME ON;
GO

SELECT
    /* CR10 variant A: the tables alone */
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
    FROM crm.Sales AS s WITH (INDEX (PK_Sales))
    INNER JOIN crm.Clients AS c WITH (INDEX (PK_Clients)) ON c.ClientId = s.ClientId
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
    WHERE s.SaleDate >= '2024-01-01' AND s.SaleDate < '2027-01-01'
) AS b
GROUP BY b.MarketId, b.DistanceBand
OPTION (EXPAND VIEWS);
GO

SELECT
    /* CR10 variant B: the covering indexes */
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
    WHERE s.SaleDate >= '2024-01-01' AND s.SaleDate < '2027-01-01'
) AS b
GROUP BY b.MarketId, b.DistanceBand
OPTION (EXPAND VIEWS);
GO

SELECT
    /* CR10 variant C: the indexed view */
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

SET STATISTICS XML OFF;
SET STATISTICS IO OFF;
SET STATISTICS TIME OFF;
GO

-- 2. The estimated cost of each, from the plan the runs above cached (one statement per batch, so the
--    first StmtSimple of the plan is the variant's).
SELECT
    SUBSTRING(st.text, CHARINDEX(N'CR10 variant', st.text) + 13, 1) AS Variant,
    qp.query_plan.value(
        'declare namespace p="http://schemas.microsoft.com/sqlserver/2004/07/showplan";
         (//p:StmtSimple/@StatementSubTreeCost)[1]', 'float'
    ) AS EstimatedCost,
    qp.query_plan.value(
        'declare namespace p="http://schemas.microsoft.com/sqlserver/2004/07/showplan";
         (//p:StmtSimple/@StatementEstRows)[1]', 'float'
    ) AS EstimatedRows,
    qs.last_logical_reads AS LastLogicalReads,
    qs.last_elapsed_time / 1000 AS LastElapsedMs
FROM sys.dm_exec_query_stats AS qs
CROSS APPLY sys.dm_exec_sql_text(qs.sql_handle) AS st
CROSS APPLY sys.dm_exec_query_plan(qs.plan_handle) AS qp
WHERE st.text LIKE N'%/* CR10 variant %' AND st.text NOT LIKE N'%dm_exec_query_stats%'
ORDER BY Variant;
GO

-- 3. The same answer from the tables and from the view: the rows of A that C lacks, and the other way round.
WITH A AS (
    SELECT
        s.MarketId,
        c.CityId AS HomeCityId,
        h.CityId AS HubCityId,
        COUNT(*) AS SalesCount,
        SUM(s.Amount) AS Revenue
    FROM crm.Sales AS s WITH (INDEX (PK_Sales))
    INNER JOIN crm.Clients AS c WITH (INDEX (PK_Clients)) ON c.ClientId = s.ClientId
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = s.MarketId
    WHERE s.SaleDate >= '2024-01-01' AND s.SaleDate < '2027-01-01'
    GROUP BY s.MarketId, c.CityId, h.CityId
),

C AS (
    SELECT
        v.MarketId,
        v.CityId AS HomeCityId,
        h.CityId AS HubCityId,
        SUM(v.SalesCount) AS SalesCount,
        SUM(v.Revenue) AS Revenue
    FROM crm.vSalesByClientCityMarket AS v WITH (NOEXPAND)
    INNER JOIN crm.MarketHubs AS h ON h.MarketId = v.MarketId
    WHERE v.SaleYear BETWEEN 2024 AND 2026
    GROUP BY v.MarketId, v.CityId, h.CityId
)

SELECT COUNT(*) AS RowsThatDiffer
FROM (
    (SELECT * FROM A EXCEPT SELECT * FROM C)
    UNION ALL
    (SELECT * FROM C EXCEPT SELECT * FROM A)
) AS differences;
GO
