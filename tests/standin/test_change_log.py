"""The change logs the ETL reads (ads.ResultChanges, crm.CampaignChanges), kept by the stand-in triggers.

After every kind of write, each group's SUM over the log must equal the live aggregate of that group:
that is what lets the ETL apply "RowVer > watermark" by adding. Checked on the real stand-in schemas
(built by `db init`, loaded by the real generators) and on the ETL tests' contract schema (built the
sandbox's way, loaded by promptsales_testkit.etl_sample), where measures and dates may be NULL and checks are
absent, so rows can become invalid and valid again (the real schemas' constraints forbid that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import psycopg
import pytest
from promptsales import clients
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.generators import ads as ads_generator
from promptsales.generators import crm as crm_generator
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings
from promptsales_testkit import etl_sample
from promptsales_testkit.etl_world import apply_contract_schema

pytestmark = pytest.mark.stack

ADS_MEASURES = (
    "audiencereached",
    "views",
    "likes",
    "interactions",
    "sales",
    "exposurehours",
    "cost",
    "revenue",
)
# The contract's definition of a result the summaries count (NULL compares as not true, so it is invalid).
ADS_VALID = " AND ".join(
    ["r.resultdate IS NOT NULL", "a.marketid IS NOT NULL", *(f"r.{m} >= 0" for m in ADS_MEASURES)]
)
ADS_LIVE = (
    f"SELECT a.campaignid, r.channelid, a.marketid, r.resultdate, count(*), "
    f"{', '.join(f'sum(r.{m})' for m in ADS_MEASURES)} "
    f"FROM ads.adresults AS r JOIN ads.ads AS a ON a.adid = r.adid WHERE {ADS_VALID} GROUP BY 1, 2, 3, 4"
)
ADS_LOG = (
    f"SELECT campaignid, channelid, marketid, resultdate, sum(results), "
    f"{', '.join(f'sum({m})' for m in ADS_MEASURES)} FROM ads.resultchanges GROUP BY 1, 2, 3, 4"
)
CRM_LIVE = """
    SELECT campaignid, day, sum(leads), sum(converted), sum(clients), sum(salescount), sum(salesamount) FROM (
        SELECT campaignid, createdat::date AS day, 1 AS leads, (status = 'converted')::int AS converted,
               0 AS clients, 0 AS salescount, 0 AS salesamount
        FROM crm.leads WHERE createdat IS NOT NULL
        UNION ALL SELECT campaignid, linkedat, 0, 0, 1, 0, 0 FROM crm.clientcampaigns WHERE linkedat IS NOT NULL
        UNION ALL SELECT campaignid, saledate, 0, 0, 0, 1, amount FROM crm.sales
                  WHERE saledate IS NOT NULL AND amount >= 0
    ) AS live GROUP BY campaignid, day"""
CRM_LOG = (
    "SELECT campaignid, activitydate, sum(leads), sum(convertedleads), sum(clients), sum(salescount), "
    "sum(salesamount) FROM crm.campaignchanges GROUP BY campaignid, activitydate"
)


def by_group(rows: list[tuple], keys: int) -> dict[tuple, tuple]:
    """{group: values}; a group whose values are all zero is one that emptied, the same as no group."""
    return {row[:keys]: tuple(row[keys:]) for row in rows if any(value != 0 for value in row[keys:])}


def assert_ads_log_matches(conn: psycopg.Connection) -> None:
    assert by_group(conn.execute(ADS_LOG).fetchall(), 4) == by_group(conn.execute(ADS_LIVE).fetchall(), 4)


def assert_crm_log_matches(conn: psycopg.Connection) -> None:
    assert by_group(conn.execute(CRM_LOG).fetchall(), 2) == by_group(conn.execute(CRM_LIVE).fetchall(), 2)


def log_rows(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def checked_runner(
    conn: psycopg.Connection, log_table: str, check: Callable[[psycopg.Connection], None]
) -> Callable[..., int]:
    """run(statement, params): run one statement, check the invariant, return how many log rows it wrote."""

    def run(statement: str, params: tuple | None = None) -> int:
        before = log_rows(conn, log_table)
        conn.execute(statement, params)
        check(conn)
        return log_rows(conn, log_table) - before

    return run


SOURCES = ("ads_standin_database", "crm_standin_database")


@pytest.fixture(scope="module")
def real_sources(session_world) -> Settings:
    settings = session_world("test_log", postgres=SOURCES)
    ads_lines, crm_lines = ads_init.apply(settings), crm_init.apply(settings)
    assert ads_init.apply(settings) == ads_lines and crm_init.apply(settings) == crm_lines  # safe to re-run
    assert (
        "applied 055_create_result_change_log_triggers.sql "
        "(stand-in: standin/055_create_result_change_log_triggers.sql)" in ads_lines
    )
    assert (
        "applied 035_create_campaign_change_log_triggers.sql "
        "(stand-in: standin/035_create_campaign_change_log_triggers.sql)" in crm_lines
    )
    # Loaded twice, as `promptsales seed` run again does: the second load replaces the first.
    for options in (
        SeedOptions(campaigns=4, clients=1600, seed=2),
        SeedOptions(campaigns=5, clients=2000, seed=3),
    ):
        ads_generator.load(settings, options)
        crm_generator.load(settings, options)
    return settings


@pytest.fixture(scope="module")
def contract_sources(session_world) -> Settings:
    settings = session_world("test_logc", postgres=SOURCES)
    with (
        clients.ads_standin(settings, autocommit=True) as ads,
        clients.crm_standin(settings, autocommit=True) as crm,
    ):
        for conn in (ads, crm):
            apply_contract_schema(conn)
            apply_contract_schema(conn)  # safe to re-run
        etl_sample.load_sources(ads, crm, etl_sample.SampleSize(campaigns=6, days=45))
    return settings


@pytest.fixture(params=["real", "contract"])
def sources(request) -> Iterator[tuple[Settings, bool]]:
    yield request.getfixturevalue(f"{request.param}_sources"), request.param == "contract"


def test_db_init_applies_the_change_logs_on_sql_server_too() -> None:
    names = [path.name for path in ads_init.schema_files()]
    assert names.index("050_create_result_change_log.sql") < names.index(
        "055_create_result_change_log_triggers.sql"
    )
    files = list(crm_init.SQLSERVER_INIT_FILES)
    assert (
        files.index("010_create_tables.sql")
        < files.index("030_create_campaign_change_log.sql")
        < files.index("035_create_campaign_change_log_triggers.sql")
    )


def test_a_change_log_of_the_earlier_grain_is_created_again(fresh_world) -> None:
    """Before the day grain, ads.ResultChanges was kept per month and crm.CampaignChanges per campaign: db init
    drops them and creates the new shape (the central upgrade makes the next ETL run read in full)."""
    settings = fresh_world("test_grain", postgres=SOURCES)
    with (
        clients.ads_standin(settings, autocommit=True) as ads,
        clients.crm_standin(settings, autocommit=True) as crm,
    ):
        ads.execute("CREATE SCHEMA ads")
        ads.execute("CREATE TABLE ads.resultchanges (changeid BIGINT, resultmonth CHAR(7))")
        crm.execute("CREATE SCHEMA crm")
        crm.execute("CREATE TABLE crm.campaignchanges (changeid BIGINT, leads INT)")
        ads_init.apply(settings)
        crm_init.apply(settings)
        columns = (
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
        )
        ads_columns = {c for (c,) in ads.execute(columns, ("ads", "resultchanges")).fetchall()}
        crm_columns = {c for (c,) in crm.execute(columns, ("crm", "campaignchanges")).fetchall()}
    assert "resultdate" in ads_columns and "resultmonth" not in ads_columns
    assert {"activitydate", "convertedleads"} <= crm_columns


def test_a_generator_reload_is_in_the_log(real_sources) -> None:
    """The stand-in loads TRUNCATE (no trigger fires), so they delete the logged rows first: the log then
    holds the first load's removal as well as the second load."""
    with clients.ads_standin(real_sources) as ads, clients.crm_standin(real_sources) as crm:
        assert_ads_log_matches(ads)
        assert_crm_log_matches(crm)
        assert ads.execute("SELECT count(*) FROM ads.resultchanges WHERE results < 0").fetchone()[0] > 0
        assert crm.execute("SELECT count(*) FROM crm.campaignchanges WHERE clients < 0").fetchone()[0] > 0


def test_every_logged_table_has_one_trigger_per_event(real_sources) -> None:
    """public.standin_statement_triggers makes one statement trigger per event, named after it; re-applying
    replaces them, and removes the one a stand-in made before the helper (log_result_moves, no event in its
    name), which would otherwise log every ad move twice."""
    with clients.ads_standin(real_sources, autocommit=True) as conn:
        conn.execute(
            "CREATE TRIGGER log_result_moves AFTER UPDATE ON ads.ads REFERENCING OLD TABLE AS deleted "
            "NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ads.log_result_moves()"
        )
    ads_init.apply(real_sources)
    crm_init.apply(real_sources)
    query = (
        "SELECT c.relname || ':' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname <> 'touch_rowver' ORDER BY 1"
    )
    with clients.ads_standin(real_sources) as ads, clients.crm_standin(real_sources) as crm:
        assert [name for (name,) in ads.execute(query).fetchall()] == [
            "adresults:log_result_changes_delete",
            "adresults:log_result_changes_insert",
            "adresults:log_result_changes_update",
            "ads:log_result_moves_update",
            "ads:touch_campaign_left_delete",
            "ads:touch_campaign_left_update",
            "campaigns:log_campaign_deletes_delete",
        ]
        assert [name for (name,) in crm.execute(query).fetchall()] == [
            f"{table}:log_campaign_changes_{event}"
            for table in ("clientcampaigns", "leads", "sales")
            for event in ("delete", "insert", "update")
        ]
        with pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE is not INSERT, UPDATE or DELETE"):
            ads.execute(
                "SELECT public.standin_statement_triggers('ads.ads', 'x', 'ads.log_result_moves', 'TRUNCATE')"
            )


def test_a_campaign_that_loses_an_ad_is_touched(sources) -> None:
    """TR_Ads_TouchCampaignLeft's stand-in: a deleted ad or one moved away moves its old campaign's RowVer
    (a row that left has none to show it), and writes no log entry; an ad updated in place touches nothing."""
    settings, _ = sources
    with clients.ads_standin(settings, autocommit=True) as conn:

        def versions() -> dict:
            return dict(conn.execute("SELECT campaignid, rowver FROM ads.campaigns").fetchall())

        # Two ads without results (no log entry to bring their campaign back), the first on a channel and
        # market its campaign has (the real schema's composite foreign keys).
        (one, ch, mk), (other,) = (
            conn.execute(
                "SELECT campaignid, channelid, marketid FROM ads.ads ORDER BY campaignid LIMIT 1"
            ).fetchone(),
            conn.execute("SELECT max(campaignid) FROM ads.campaigns").fetchone(),
        )
        conn.execute(
            "INSERT INTO ads.campaignchannels (campaignid, channelid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (other, ch),
        )
        conn.execute(
            "INSERT INTO ads.campaignmarkets (campaignid, marketid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (other, mk),
        )
        (adid,) = conn.execute("SELECT max(adid) + 1 FROM ads.ads").fetchone()
        # Copies of an ad of that campaign (whatever other columns the schema requires), with no results.
        columns = ", ".join(
            c
            for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'ads' AND table_name = 'ads' "
                "AND column_name NOT IN ('adid', 'rowver')"
            ).fetchall()
        )
        for offset in (0, 1):
            conn.execute(
                f"INSERT INTO ads.ads (adid, {columns}) OVERRIDING SYSTEM VALUE "
                f"SELECT %s, {columns} FROM ads.ads WHERE campaignid = %s AND channelid = %s "
                f"AND marketid = %s LIMIT 1",
                (adid + offset, one, ch, mk),
            )
        logged = log_rows(conn, "ads.resultchanges")

        before = versions()
        conn.execute("UPDATE ads.ads SET imagecode = 'img-0990' WHERE adid = %s", (adid,))
        assert versions() == before  # still in its campaign: the ad's own RowVer shows the change
        conn.execute("UPDATE ads.ads SET campaignid = %s WHERE adid = %s", (other, adid))
        moved = versions()
        assert moved[one] > before[one] and {c: v for c, v in moved.items() if c != one} == {
            c: v for c, v in before.items() if c != one
        }
        conn.execute("DELETE FROM ads.ads WHERE adid = %s", (adid + 1,))
        deleted = versions()
        assert deleted[one] > moved[one] and deleted[other] == moved[other]
        assert log_rows(conn, "ads.resultchanges") == logged
        conn.execute("DELETE FROM ads.ads WHERE adid = %s", (adid,))  # leave the world as it was


def test_ads_log_follows_every_write(sources) -> None:
    settings, contract = sources
    with clients.ads_standin(settings, autocommit=True) as conn:
        run = checked_runner(conn, "ads.resultchanges", assert_ads_log_matches)

        # The bulk load (one COPY) was logged, netted: one log row per group (the real sources were loaded
        # twice: the first load and its removal come before).
        assert_ads_log_matches(conn)
        added = conn.execute(
            "SELECT count(*) FROM ads.resultchanges WHERE changeid > "
            "(SELECT COALESCE(max(changeid), 0) FROM ads.resultchanges WHERE results < 0)"
        ).fetchone()[0]
        assert added == len(conn.execute(ADS_LIVE).fetchall()) > 0

        # No measure changed: nothing logged, and RowVer still moves (touch_rowver is untouched).
        last_version = conn.execute("SELECT max(rowver) FROM ads.adresults").fetchone()[0]
        assert run("UPDATE ads.adresults SET revenue = revenue") == 0
        assert conn.execute("SELECT min(rowver) FROM ads.adresults").fetchone()[0] > last_version
        assert run("UPDATE ads.ads SET imagecode = imagecode") == 0

        ads = conn.execute(
            "SELECT a.adid, a.campaignid, a.channelid, a.marketid FROM ads.ads AS a "
            "WHERE EXISTS (SELECT 1 FROM ads.adresults AS r WHERE r.adid = a.adid) "
            "ORDER BY a.campaignid, a.adid"
        ).fetchall()
        first, second = ads[0], next(ad for ad in ads if ad[1] != ads[0][1])
        third = next(ad for ad in ads if ad[1] not in (first[1], second[1]))

        # Measures change: one netted row per cell (channel and day) of the ad's results.
        groups = conn.execute(
            "SELECT count(DISTINCT (channelid, resultdate)) FROM ads.adresults WHERE adid = %s", (first[0],)
        ).fetchone()[0]
        assert (
            run(
                "UPDATE ads.adresults SET revenue = revenue + 10, views = views + 5, "
                "audiencereached = audiencereached + 1 WHERE adid = %s",
                (first[0],),
            )
            == groups
        )

        # A result moves to another day (past the ad's last day, so the key stays unique): out of one
        # cell, into another.
        channel, last_day = conn.execute(
            "SELECT channelid, resultdate FROM ads.adresults WHERE adid = %s "
            "ORDER BY resultdate DESC, channelid LIMIT 1",
            (first[0],),
        ).fetchone()
        assert (
            run(
                "UPDATE ads.adresults SET resultdate = resultdate + 45 WHERE adid = %s AND channelid = %s "
                "AND resultdate = %s",
                (first[0], channel, last_day),
            )
            == 2
        )

        # A new result, then the same result moved to another ad (another campaign).
        new_result = (
            "INSERT INTO ads.adresults (adid, channelid, resultdate, likes, views, interactions, sales, "
            "exposurehours, audiencereached, cost, revenue) "
            "VALUES (%s, %s, %s, 1, 10, 3, 1, 1.5, 5, 2.5, 9.99)"
        )
        assert run(new_result, (second[0], second[2], date(2030, 1, 15))) == 1
        assert (
            run(
                "UPDATE ads.adresults SET adid = %s WHERE adid = %s AND resultdate = %s",
                (third[0], second[0], date(2030, 1, 15)),
            )
            == 2
        )

        # An ad moves to another market, then to another campaign: its results move with it. The links
        # first, as the real schema's foreign keys want them.
        market = conn.execute(
            "SELECT min(marketid) FROM ads.markets WHERE marketid <> %s", (first[3],)
        ).fetchone()[0]
        target = third[1]
        for table, campaign, column, value in (
            ("campaignmarkets", first[1], "marketid", market),
            ("campaignmarkets", target, "marketid", market),
            ("campaignchannels", target, "channelid", first[2]),
            ("campaignmarkets", second[1], "marketid", third[3]),
            ("campaignmarkets", third[1], "marketid", second[3]),
        ):
            conn.execute(
                f"INSERT INTO ads.{table} (campaignid, {column}) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (campaign, value),
            )
        assert run("UPDATE ads.ads SET marketid = %s WHERE adid = %s", (market, first[0])) > 0
        assert run("UPDATE ads.ads SET campaignid = %s WHERE adid = %s", (target, first[0])) > 0
        # Two ads swap markets in one statement.
        run(
            "UPDATE ads.ads SET marketid = CASE adid WHEN %s THEN %s ELSE %s END WHERE adid IN (%s, %s)",
            (second[0], third[3], second[3], second[0], third[0]),
        )

        # Many groups in one statement, then deletes.
        run(
            "UPDATE ads.adresults SET cost = cost * 2, likes = likes + 1 WHERE resultdate < "
            "(SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY resultdate) FROM ads.adresults)"
        )
        assert run("DELETE FROM ads.adresults WHERE adid = %s", (second[0],)) > 0
        run(
            "DELETE FROM ads.adresults WHERE adid = %s AND resultdate = "
            "(SELECT min(resultdate) FROM ads.adresults WHERE adid = %s)",
            (third[0], third[0]),
        )

        if contract:
            # Invalid and valid again: a negative or NULL measure, a NULL date, an ad without a market.
            key = (third[0], date(2030, 1, 15))
            where = " WHERE adid = %s AND resultdate = %s"
            assert run("UPDATE ads.adresults SET revenue = -1" + where, key) == 1
            assert run("UPDATE ads.adresults SET revenue = NULL" + where, key) == 0
            assert run("UPDATE ads.adresults SET revenue = 7" + where, key) == 1
            assert run("UPDATE ads.adresults SET views = NULL, resultdate = NULL" + where, key) == 1
            assert (
                run(
                    "UPDATE ads.adresults SET views = 10, resultdate = %s "
                    "WHERE adid = %s AND resultdate IS NULL",
                    (date(2030, 2, 1), third[0]),
                )
                == 1
            )
            assert run("UPDATE ads.ads SET marketid = NULL WHERE adid = %s", (third[0],)) > 0
            # Its results do not count while it has no market, whatever happens to them.
            assert run("UPDATE ads.adresults SET revenue = revenue + 1 WHERE adid = %s", (third[0],)) == 0
            assert run(new_result, (third[0], third[2], date(2030, 3, 1))) == 0
            assert run(new_result.replace("1.5", "NULL"), (third[0], third[2], date(2030, 3, 2))) == 0
            assert run("UPDATE ads.ads SET marketid = %s WHERE adid = %s", (third[3], third[0])) > 0


def test_crm_log_follows_every_write(sources) -> None:
    settings, contract = sources
    with clients.crm_standin(settings, autocommit=True) as conn:
        run = checked_runner(conn, "crm.campaignchanges", assert_crm_log_matches)

        def link(client: int, campaign: int) -> int:
            return run(
                "INSERT INTO crm.clientcampaigns (clientid, campaignid, linkedat) VALUES (%s, %s, %s)",
                (client, campaign, date(2025, 2, 1)),
            )

        assert_crm_log_matches(conn)
        assert log_rows(conn, "crm.campaignchanges") > 0

        # Nothing counted changed: nothing logged.
        assert run("UPDATE crm.sales SET amount = amount") == 0
        assert run("UPDATE crm.leads SET status = status") == 0
        assert run("UPDATE crm.clientcampaigns SET campaignid = campaignid") == 0

        campaigns = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT campaignid FROM crm.clientcampaigns ORDER BY 1"
            ).fetchall()
        ]
        one, two = campaigns[0], campaigns[1]
        client = conn.execute(
            "SELECT min(clientid) FROM crm.clientcampaigns WHERE campaignid = %s AND clientid "
            "NOT IN (SELECT clientid FROM crm.clientcampaigns WHERE campaignid = %s)",
            (one, two),
        ).fetchone()[0]

        # Client links: a new one, moved to another campaign, deleted.
        assert link(client, two) == 1
        loner = conn.execute(
            "SELECT min(clientid) FROM crm.clientcampaigns WHERE clientid NOT IN "
            "(SELECT clientid FROM crm.clientcampaigns WHERE campaignid = %s)",
            (campaigns[2],),
        ).fetchone()[0]
        assert link(loner, campaigns[2]) == 1
        spare = next(
            c
            for c in campaigns[3:] + campaigns
            if not conn.execute(
                "SELECT 1 FROM crm.clientcampaigns WHERE clientid = %s AND campaignid = %s", (loner, c)
            ).fetchone()
        )
        assert (
            run(
                "UPDATE crm.clientcampaigns SET campaignid = %s WHERE clientid = %s AND campaignid = %s",
                (spare, loner, campaigns[2]),
            )
            == 2
        )
        assert (
            run("DELETE FROM crm.clientcampaigns WHERE clientid = %s AND campaignid = %s", (loner, spare))
            == 1
        )

        # Leads: inserted, a status change (not counted), converted and back (counted), moved to another
        # campaign and to another day, deleted.
        lead = conn.execute("SELECT max(leadid) + 1 FROM crm.leads").fetchone()[0]
        assert (
            run(
                "INSERT INTO crm.leads (leadid, clientid, campaignid, source, status, createdat) "
                "VALUES (%s, %s, %s, 'web_form', 'new', '2025-02-03 10:00')",
                (lead, client, one),
            )
            == 1
        )
        assert run("UPDATE crm.leads SET status = 'contacted' WHERE leadid = %s", (lead,)) == 0
        assert run("UPDATE crm.leads SET status = 'converted' WHERE leadid = %s", (lead,)) == 1
        assert run("UPDATE crm.leads SET campaignid = %s WHERE leadid = %s", (two, lead)) == 2
        assert (
            run("UPDATE crm.leads SET createdat = createdat + interval '3 days' WHERE leadid = %s", (lead,))
            == 2
        )
        assert run("UPDATE crm.leads SET status = 'lost' WHERE leadid = %s", (lead,)) == 1
        assert run("DELETE FROM crm.leads WHERE leadid = %s", (lead,)) == 1

        # Sales: inserted, amount changed, moved to another campaign with a new amount, deleted.
        sale = conn.execute("SELECT max(saleid) + 1 FROM crm.sales").fetchone()[0]
        assert (
            run(
                "INSERT INTO crm.sales (saleid, clientid, campaignid, channelid, marketid, amount, saledate) "
                "SELECT %s, %s, %s, channelid, marketid, 123.45, DATE '2025-03-01' FROM crm.sales LIMIT 1",
                (sale, client, one),
            )
            == 1
        )
        assert run("UPDATE crm.sales SET amount = 100 WHERE saleid = %s", (sale,)) == 1
        assert run("UPDATE crm.sales SET campaignid = %s, amount = 80 WHERE saleid = %s", (two, sale)) == 2
        assert run("UPDATE crm.sales SET campaignid = %s WHERE saleid = %s", (one, sale)) == 2

        # Many campaigns in one statement, a whole campaign's sales and leads deleted.
        run("UPDATE crm.sales SET amount = amount + 1 WHERE saleid % 3 = 0")
        sale_days = conn.execute(
            "SELECT count(DISTINCT saledate) FROM crm.sales WHERE campaignid = %s AND amount >= 0",
            (campaigns[-1],),
        ).fetchone()[0]
        assert run("DELETE FROM crm.sales WHERE campaignid = %s", (campaigns[-1],)) == sale_days
        run("DELETE FROM crm.leads WHERE campaignid = %s", (campaigns[-1],))

        if contract:
            # Not counted and counted again: a lead without CreatedAt, a negative or NULL amount, no date.
            assert (
                run(
                    "UPDATE crm.leads SET createdat = NULL WHERE leadid = (SELECT min(leadid) FROM crm.leads)"
                )
                == 1
            )
            assert run("UPDATE crm.leads SET createdat = '2025-01-05' WHERE createdat IS NULL") == 1
            assert run("UPDATE crm.sales SET amount = -5 WHERE saleid = %s", (sale,)) == 1
            assert run("UPDATE crm.sales SET amount = NULL WHERE saleid = %s", (sale,)) == 0
            assert run("UPDATE crm.sales SET amount = 0 WHERE saleid = %s", (sale,)) == 1
            assert run("UPDATE crm.sales SET saledate = NULL WHERE saleid = %s", (sale,)) == 1
            assert (
                run("UPDATE crm.sales SET saledate = '2025-03-02', amount = 50 WHERE saleid = %s", (sale,))
                == 1
            )
        assert run("DELETE FROM crm.sales WHERE saleid = %s", (sale,)) == 1


def test_a_deleted_campaign_leaves_a_tombstone(sources) -> None:
    """TR_Campaigns_LogDeletes' stand-in: a deleted campaign leaves its id in ads.deletedcampaigns with a
    RowVer above every version before it (the ETL reads it under the Campaigns marks); inserting or
    updating a campaign leaves none."""
    settings, _ = sources
    with clients.ads_standin(settings, autocommit=True) as conn:

        def tombstones() -> list:
            return conn.execute(
                "SELECT campaignid, rowver FROM ads.deletedcampaigns ORDER BY deletionid"
            ).fetchall()

        kept = tombstones()
        # A copy of a campaign (whatever other columns the schema requires) under new ids, with no children.
        columns = ", ".join(
            c
            for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'ads' "
                "AND table_name = 'campaigns' AND column_name NOT IN ('campaignid', 'rowver')"
            ).fetchall()
        )
        (first,) = conn.execute("SELECT max(campaignid) + 1 FROM ads.campaigns").fetchone()
        for campaign in (first, first + 1):
            conn.execute(
                f"INSERT INTO ads.campaigns (campaignid, {columns}) OVERRIDING SYSTEM VALUE "
                f"SELECT %s, {columns} FROM ads.campaigns ORDER BY campaignid LIMIT 1",
                (campaign,),
            )
        conn.execute(
            "UPDATE ads.campaigns SET name = name || ' (copy)' WHERE campaignid IN (%s, %s)",
            (first, first + 1),
        )
        assert tombstones() == kept
        (newest,) = conn.execute("SELECT max(rowver) FROM ads.campaigns").fetchone()
        conn.execute("DELETE FROM ads.campaigns WHERE campaignid IN (%s, %s)", (first, first + 1))
        added = tombstones()[len(kept) :]
        assert sorted(c for c, _ in added) == [first, first + 1]
        assert all(version > newest for _, version in added)
        assert not conn.execute("SELECT 1 FROM ads.campaigns WHERE campaignid >= %s", (first,)).fetchall()
