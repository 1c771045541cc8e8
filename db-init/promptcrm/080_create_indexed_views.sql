-- CR9: three indexed views (SCHEMABINDING + unique clustered index) that pre-aggregate what CR8 reads.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes (CREATE OR ALTER VIEW drops a view's indexes, so each index is then created again).
-- How to run: sqlcmd -I -S <crm-server> -d PromptCrm -i 080_create_indexed_views.sql (also applied by `promptsales db init`)
-- Expected output: nothing. A Msg 1934 names a session option that is off (the first batch sets them all);
--   a base table created with ANSI_NULLS OFF would fail the index too (010 sets it before its tables).
-- Stand-in: sqlserver-only — indexed views do not exist in PostgreSQL (a materialized view would need a
--   REFRESH and is not what CR9 asks for).
--
-- Why they are shaped this way:
-- * Indexed views allow only deterministic expressions, inner joins, GROUP BY with COUNT_BIG(*) and SUM
--   of non-nullable columns: no window functions, no CTEs, no COUNT(DISTINCT), no AVG. So each view holds
--   the additive building blocks (counts and sums) and the CR8 queries keep RANK, PARTITION BY and the
--   ratios on top (085_query_analytics_with_views.sql).
-- * The grain is the one the questions group by: campaign x channel x market x month for sales,
--   campaign x channel x month for interactions, and client city x market for distance. The distance
--   view turns about 400,000 sale rows joined to 500,000 clients into a few hundred city-market pairs, so
--   the haversine runs a few hundred times instead of once per sale.
-- * Year and month are separate integer columns (YEAR(), MONTH() are deterministic; DATEFROMPARTS over
--   them would be too, but two small keys index better and match the GROUP BY of CR8 exactly).
-- * The cost is on writes: every insert into crm.Sales or crm.Interactions also updates one view row.
--   The CRM writes sales in small transactions and the generator loads in bulk, so that cost is acceptable.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

CREATE OR ALTER VIEW crm.vSalesByMonthChannelMarket
WITH SCHEMABINDING
AS
SELECT
    s.CampaignId,
    s.ChannelId,
    s.MarketId,
    YEAR(s.SaleDate) AS SaleYear,
    MONTH(s.SaleDate) AS SaleMonth,
    COUNT_BIG(*) AS SalesCount,
    SUM(s.Amount) AS Revenue
FROM crm.Sales AS s
GROUP BY s.CampaignId, s.ChannelId, s.MarketId, YEAR(s.SaleDate), MONTH(s.SaleDate);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_vSalesByMonthChannelMarket')
CREATE UNIQUE CLUSTERED INDEX UX_vSalesByMonthChannelMarket
ON crm.vSalesByMonthChannelMarket (SaleYear, SaleMonth, ChannelId, MarketId, CampaignId);
GO

CREATE OR ALTER VIEW crm.vInteractionsByMonthChannel
WITH SCHEMABINDING
AS
SELECT
    i.CampaignId,
    i.ChannelId,
    YEAR(i.OccurredAt) AS InteractionYear,
    MONTH(i.OccurredAt) AS InteractionMonth,
    COUNT_BIG(*) AS Interactions
FROM crm.Interactions AS i
GROUP BY i.CampaignId, i.ChannelId, YEAR(i.OccurredAt), MONTH(i.OccurredAt);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_vInteractionsByMonthChannel')
CREATE UNIQUE CLUSTERED INDEX UX_vInteractionsByMonthChannel
ON crm.vInteractionsByMonthChannel (InteractionYear, InteractionMonth, ChannelId, CampaignId);
GO

CREATE OR ALTER VIEW crm.vSalesByClientCityMarket
WITH SCHEMABINDING
AS
SELECT
    c.CityId,
    s.MarketId,
    YEAR(s.SaleDate) AS SaleYear,
    COUNT_BIG(*) AS SalesCount,
    SUM(s.Amount) AS Revenue
FROM crm.Sales AS s
INNER JOIN crm.Clients AS c ON c.ClientId = s.ClientId
GROUP BY c.CityId, s.MarketId, YEAR(s.SaleDate);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_vSalesByClientCityMarket')
CREATE UNIQUE CLUSTERED INDEX UX_vSalesByClientCityMarket
ON crm.vSalesByClientCityMarket (MarketId, CityId, SaleYear);
GO
