-- Purpose: PS6 deadlock. Two sessions update the same two campaign summaries in opposite order;
--          PostgreSQL detects the cycle after deadlock_timeout and aborts one of them with
--          SQLSTATE 40P01 ("deadlock detected"); the other commits.
-- Dialect: PostgreSQL 18.
-- Safe to re-run: yes (the updates add 0; needs campaigns 1 and 2 in analytics.campaign_summary).
-- How to run: two psql windows on the promptsales database, steps in this order:
--   window A: step A1, window B: step B1, window A: step A2 (waits), window B: step B2 -> one of
--   the two gets "ERROR: deadlock detected"; then COMMIT in both. tests/promptsales_db runs exactly
--   these steps with two connections.

-- step A1
BEGIN;
UPDATE analytics.campaign_summary SET budget = budget + 0 WHERE campaign_id = 1;

-- step B1
BEGIN;
UPDATE analytics.campaign_summary SET budget = budget + 0 WHERE campaign_id = 2;

-- step A2
UPDATE analytics.campaign_summary SET budget = budget + 0 WHERE campaign_id = 2;

-- step B2
UPDATE analytics.campaign_summary SET budget = budget + 0 WHERE campaign_id = 1;

-- step end
COMMIT;
