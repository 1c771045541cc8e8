-- PromptAds (PA5): LTRIM and LOWER.
-- Dialect: T-SQL for SQL Server 2022.
-- Safe to re-run: yes, read-only.
-- How to run: sqlcmd -S <server> -d PromptAds -i db-init/promptads/114_query_utm_sources.sql
-- Stand-in: query
--
-- Business question: agencies type utm_source by hand ("  Instagram", "INSTAGRAM", "instagram"). How
-- many spellings does each source really have, and how many ads use it? LTRIM removes the leading
-- spaces and LOWER the case, so the spellings group into one source.

SELECT
    LOWER(LTRIM(a.UtmSource)) AS NormalizedSource,
    COUNT(DISTINCT a.UtmSource) AS RawSpellings,
    COUNT(*) AS Ads
FROM ads.Ads AS a
GROUP BY LOWER(LTRIM(a.UtmSource))
ORDER BY NormalizedSource;
