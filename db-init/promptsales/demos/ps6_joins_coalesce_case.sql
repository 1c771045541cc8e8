-- Purpose: PS6 COALESCE, CASE and LEFT / RIGHT / CROSS JOIN on the PromptSales data, each answering
--          a question the portal asks.
-- Dialect: PostgreSQL 18. Safe to re-run: yes (read-only).
-- How to run: psql -d promptsales -f this file. Each query starts with "-- query: <name>".

-- query: left_join_coalesce
-- Every portal campaign with its results so far; COALESCE shows 0 for campaigns the ETL has not
-- summarized yet (a LEFT JOIN keeps them, with NULL measures).
SELECT p.campaign_id, p.name, COALESCE(s.reach, 0) AS reach, COALESCE(s.revenue, 0) AS revenue,
       COALESCE(s.status, p.status) AS status
FROM portal.campaigns p
LEFT JOIN analytics.campaign_summary s ON s.campaign_id = p.campaign_id
ORDER BY p.campaign_id;

-- query: right_join
-- Which summarized campaigns have no portal record yet (created directly in PromptAds)?
SELECT s.campaign_id, s.campaign_name
FROM portal.campaigns p
RIGHT JOIN analytics.campaign_summary s ON s.campaign_id = p.campaign_id
WHERE p.campaign_id IS NULL
ORDER BY s.campaign_id;

-- query: case_bands
-- How do campaigns perform, in bands a marketer reads at a glance?
SELECT campaign_id,
       CASE
           WHEN roi IS NULL THEN 'no cost recorded'
           WHEN roi >= 1 THEN 'excellent (ROI >= 100%)'
           WHEN roi >= 0 THEN 'profitable'
           ELSE 'losing money'
       END AS performance
FROM analytics.campaign_summary
ORDER BY campaign_id;

-- query: cross_join_calendar
-- Which months of 2025 had no result at all for each channel? CROSS JOIN builds every
-- channel x month pair; the LEFT JOIN finds the empty ones.
SELECT ch.channel_name, m.month::date AS month
FROM (SELECT DISTINCT channel_name FROM analytics.campaign_channel_summary) ch
CROSS JOIN generate_series(DATE '2025-01-01', DATE '2025-12-01', interval '1 month') AS m(month)
LEFT JOIN (SELECT DISTINCT s.month, c.channel_name
           FROM analytics.campaign_month_summary s
           JOIN analytics.campaign_channel_summary c ON c.campaign_id = s.campaign_id) seen
       ON seen.month = m.month::date AND seen.channel_name = ch.channel_name
WHERE seen.month IS NULL
ORDER BY ch.channel_name, month;
