-- PromptAds stand-in: the PostgreSQL version of ../055_create_result_change_log_triggers.sql (the T-SQL
-- triggers the transpiler cannot translate); the same invariant, kept in ads.resultchanges.
-- Dialect: PostgreSQL 18 (PL/pgSQL).
-- Safe to re-run: yes (CREATE OR REPLACE FUNCTION; triggers dropped and re-created).
-- How to run: `promptsales db init` (the T-SQL file's "-- Stand-in: postgres-file" marker names this
--   file); promptsales.etl.sandbox also runs it on the smaller contract schema (etl/standin_contract.sql).
--
-- Why it differs from the T-SQL: PostgreSQL has no inserted/deleted pseudo-tables; a statement-level
-- trigger gets them as transition tables, and a trigger with transition tables may have only one event.
-- So each table has one function and a trigger per event (public.standin_statement_triggers), and the
-- function reads the rows of its event as signed rows (public.standin_transition_rows). Both helpers come
-- with the transpiled tables (promptsales/standin/transform.py). The touch_rowver BEFORE UPDATE row
-- triggers the transpiler adds are separate triggers and stay as they are.

-- The log rows of a statement, netted per cell, one INSERT for the statement: `signed` is a query of signed
-- result rows (sign, the result's columns, and the campaignid and marketid they count under); valid rows
-- only, and a cell that nets to nothing writes nothing. It returns the INSERT as text, for the trigger
-- function to EXECUTE: only the trigger function itself sees the transition tables.
CREATE OR REPLACE FUNCTION ads.result_log_insert(signed TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($sql$
        INSERT INTO ads.resultchanges (campaignid, channelid, marketid, resultdate, results, audiencereached,
            views, likes, interactions, sales, exposurehours, cost, revenue)
        SELECT c.campaignid, c.channelid, c.marketid, c.resultdate, sum(c.results), sum(c.audiencereached),
            sum(c.views), sum(c.likes), sum(c.interactions), sum(c.sales), sum(c.exposurehours), sum(c.cost),
            sum(c.revenue)
        FROM (
            SELECT r.campaignid, r.channelid, r.marketid, r.resultdate,
                r.sign AS results, r.sign * r.audiencereached::bigint AS audiencereached,
                r.sign * r.views::bigint AS views, r.sign * r.likes::bigint AS likes,
                r.sign * r.interactions::bigint AS interactions, r.sign * r.sales::bigint AS sales,
                r.sign * r.exposurehours AS exposurehours, r.sign * r.cost AS cost, r.sign * r.revenue AS revenue
            FROM (%s) AS r
            WHERE r.resultdate IS NOT NULL AND r.revenue >= 0 AND r.cost >= 0 AND r.sales >= 0 AND r.views >= 0
                AND r.likes >= 0 AND r.interactions >= 0 AND r.audiencereached >= 0 AND r.exposurehours >= 0
                AND r.marketid IS NOT NULL
        ) AS c
        GROUP BY c.campaignid, c.channelid, c.marketid, c.resultdate
        HAVING sum(c.results) <> 0 OR sum(c.audiencereached) <> 0 OR sum(c.views) <> 0 OR sum(c.likes) <> 0
            OR sum(c.interactions) <> 0 OR sum(c.sales) <> 0 OR sum(c.exposurehours) <> 0 OR sum(c.cost) <> 0
            OR sum(c.revenue) <> 0
    $sql$, signed)
$$;

-- Results written, changed or deleted: under their ad's current campaign and market.
CREATE OR REPLACE FUNCTION ads.log_result_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE ads.result_log_insert(format(
        'SELECT r.*, a.campaignid, a.marketid FROM (%s) AS r JOIN ads.ads AS a ON a.adid = r.adid',
        public.standin_transition_rows(TG_OP)));
    RETURN NULL;
END;
$$;

SELECT public.standin_statement_triggers('ads.adresults', 'log_result_changes', 'ads.log_result_changes',
                                         'INSERT', 'UPDATE', 'DELETE');

-- An ad moved to another campaign or market takes its results along: out of the old groups, into the new.
-- Its signed rows net to +1 under the new campaign and market and -1 under the old; an UPDATE of titles or
-- prices nets to nothing and reads no results.
CREATE OR REPLACE FUNCTION ads.log_result_moves() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE ads.result_log_insert(format(
        'SELECT m.sign, r.*, m.campaignid, m.marketid FROM ('
        '    SELECT sum(t.sign) AS sign, t.adid, t.campaignid, t.marketid FROM (%s) AS t'
        '    GROUP BY t.adid, t.campaignid, t.marketid HAVING sum(t.sign) <> 0'
        ') AS m JOIN ads.adresults AS r ON r.adid = m.adid',
        public.standin_transition_rows(TG_OP)));
    RETURN NULL;
END;
$$;

-- Upgrade: the trigger was named without its event before the shared helper.
DROP TRIGGER IF EXISTS log_result_moves ON ads.ads;
SELECT public.standin_statement_triggers('ads.ads', 'log_result_moves', 'ads.log_result_moves', 'UPDATE');

-- A campaign that lost an ad (deleted, or moved to another campaign: the signed rows of an ad net to -1
-- under its old campaign) is touched, so its rowver moves (the touch_rowver trigger) and the ETL reads its
-- image codes again.
CREATE OR REPLACE FUNCTION ads.touch_campaign_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        UPDATE ads.campaigns AS c SET name = c.name
        WHERE c.campaignid IN (SELECT r.campaignid FROM (%s) AS r GROUP BY r.adid, r.campaignid
                               HAVING sum(r.sign) < 0)
    $sql$, public.standin_transition_rows(TG_OP));
    RETURN NULL;
END;
$$;

SELECT public.standin_statement_triggers('ads.ads', 'touch_campaign_left', 'ads.touch_campaign_left',
                                         'UPDATE', 'DELETE');

-- A deleted campaign leaves its id in ads.deletedcampaigns (TR_Campaigns_LogDeletes), whose rowver the ETL reads.
CREATE OR REPLACE FUNCTION ads.log_campaign_deletes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO ads.deletedcampaigns (campaignid) SELECT r.campaignid FROM (%s) AS r',
                   public.standin_transition_rows(TG_OP));
    RETURN NULL;
END;
$$;

SELECT public.standin_statement_triggers('ads.campaigns', 'log_campaign_deletes', 'ads.log_campaign_deletes',
                                         'DELETE');
