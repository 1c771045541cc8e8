-- PromptAds (PA5): LTRIM and LOWER.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -I -S <server> -d PromptAds -i db-init/promptads/114_query_utm_sources.sql
-- Stand-in: query
--
-- Business question: agencies type utm_source by hand ("  Instagram", "INSTAGRAM", "instagram"). How
-- many spellings does each source really have, and how many ads use it? LTRIM removes the leading
-- spaces and LOWER the case, so the spellings group into one source.
-- The spellings are counted under a case-sensitive collation: the database's default
-- (SQL_Latin1_General_CP1_CI_AS, case-insensitive) would count "Instagram" and "INSTAGRAM" as one.
-- Trailing spaces never count as a spelling (SQL Server pads strings before comparing them).
--
-- Expected output with `promptsales seed --seed 42`: one row per source (facebook, google, instagram,
-- linkedin, newsletter, sms, tiktok, x, youtube); RawSpellings 9 for each (three cases x zero to two
-- leading spaces), 6 for x (its upper case and capitalised forms are both "X"); Ads summing to every ad.

-- The session options indexed views and XML methods require (why: docs/sqlserver-runbook.md).
SET ANSI_NULLS ON;
SET ANSI_PADDING ON;
SET ANSI_WARNINGS ON;
SET ARITHABORT ON;
SET CONCAT_NULL_YIELDS_NULL ON;
SET QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

SELECT
    LOWER(LTRIM(a.UtmSource)) AS NormalizedSource,
    COUNT(DISTINCT a.UtmSource COLLATE Latin1_General_100_CS_AS) AS RawSpellings,
    COUNT(*) AS Ads
FROM ads.Ads AS a
GROUP BY LOWER(LTRIM(a.UtmSource))
ORDER BY NormalizedSource;
