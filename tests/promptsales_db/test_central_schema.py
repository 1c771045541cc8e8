"""db-init/promptsales: safe to re-run, the PS2 contract columns, and the triggers (PS6)."""

from __future__ import annotations

import pytest
from promptsales.dbinit import central

pytestmark = pytest.mark.stack

CONTRACT = [
    "campaign_id",
    "ads_campaign_id",
    "campaign_name",
    "brand_name",
    "status",
    "start_date",
    "end_date",
    "budget",
    "reach",
    "views",
    "likes",
    "interactions",
    "reactions",
    "exposure_hours",
    "leads",
    "converted_leads",
    "clients",
    "sales_count",
    "revenue",
    "cost",
    "roi",
    "conversion_rate",
    "success_rate",
    "channels",
    "markets",
    "content_used",
    "last_source_change",
    "last_etl_run_id",
    "updated_at",
]
BREAKDOWN_METRICS = {"reach", "views", "likes", "interactions", "reactions", "sales_count", "revenue", "cost"}


def test_init_is_safe_to_rerun(central_db, db):
    settings, _ = central_db
    before = db.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('analytics', 'portal', 'etl')"
    ).fetchone()[0]
    lines = central.apply(settings)
    assert lines[-1] == f"etl.config: sources={settings.sources}"
    after = db.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('analytics', 'portal', 'etl')"
    ).fetchone()[0]
    assert before == after >= 15
    assert db.execute("SELECT count(*) FROM analytics.campaign_summary").fetchone()[0] == 3


def test_the_change_log_marks_are_reset_once_when_they_switch_to_rowver(central_db, db):
    """A database from before the change-log marks followed RowVer (no config row) has ChangeId values
    there: init sets them to 0 once, so the next run reads in full; later inits leave every mark alone."""
    settings, _ = central_db
    db.execute("DELETE FROM etl.config WHERE key = 'change_log_marks'")
    db.execute("UPDATE etl.watermarks SET mark = 500")
    central.apply(settings)
    marks = dict(db.execute("SELECT entity, mark FROM etl.watermarks").fetchall())
    assert marks.pop("resultchanges") == marks.pop("campaignchanges") == 0
    assert set(marks.values()) == {500}
    db.execute("UPDATE etl.watermarks SET mark = 700")
    central.apply(settings)
    assert {m for (m,) in db.execute("SELECT mark FROM etl.watermarks").fetchall()} == {700}
    db.execute("UPDATE etl.watermarks SET mark = 0")


def test_the_day_grain_upgrade_resets_the_change_log_marks_once(central_db, db):
    """A database from before the facts were kept per day has them per month (etl.ads_cells) and per
    campaign (etl.crm_counts), which cannot be split into days: init drops them and sets the change-log
    marks to 0 once, so the next run reads both sources in full into the new facts; later inits leave the
    marks alone."""
    settings, _ = central_db
    db.execute("DELETE FROM etl.config WHERE key = 'fact_grain'")
    db.execute("CREATE TABLE etl.ads_cells (campaign_id BIGINT)")
    db.execute("CREATE TABLE etl.crm_counts (campaign_id BIGINT)")
    db.execute("UPDATE etl.watermarks SET mark = 500")
    central.apply(settings)
    marks = dict(db.execute("SELECT entity, mark FROM etl.watermarks").fetchall())
    assert marks.pop("resultchanges") == marks.pop("campaignchanges") == 0
    assert set(marks.values()) == {500}
    assert db.execute("SELECT to_regclass('etl.ads_cells'), to_regclass('etl.crm_counts')").fetchone() == (
        None,
        None,
    )
    db.execute("UPDATE etl.watermarks SET mark = 700")
    central.apply(settings)
    assert {m for (m,) in db.execute("SELECT mark FROM etl.watermarks").fetchall()} == {700}
    db.execute("UPDATE etl.watermarks SET mark = 0")


def test_summary_tables_follow_the_contract(db):
    columns = [
        r[0]
        for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'analytics' "
            "AND table_name = 'campaign_summary' ORDER BY ordinal_position"
        ).fetchall()
    ]
    assert columns == CONTRACT
    for table, key in [
        ("campaign_channel_summary", "channel_name"),
        ("campaign_market_summary", "market_name"),
        ("campaign_month_summary", "month"),
    ]:
        cols = {
            r[0]
            for r in db.execute(
                "SELECT column_name FROM information_schema.columns WHERE "
                "table_schema = 'analytics' AND table_name = %s",
                (table,),
            ).fetchall()
        }
        assert {"campaign_id", key} | BREAKDOWN_METRICS <= cols


def test_trigger_derives_rates(db):
    # Campaign 1 by hand: reactions 300 + 200; ROI (4000 - 1000) / 1000; conversion 40 sales of 200
    # interactions; success 20 converted of 50 leads.
    row = db.execute(
        "SELECT reactions, roi, conversion_rate, success_rate FROM analytics.campaign_summary "
        "WHERE campaign_id = 1"
    ).fetchone()
    assert [str(v) for v in row] == ["500", "3.0000", "0.200000", "0.400000"]
    # no cost, no interactions, no leads -> NULL rates, never a division error
    assert db.execute(
        "SELECT roi, conversion_rate, success_rate FROM analytics.campaign_summary WHERE campaign_id = 3"
    ).fetchone()[:2] == (None, None)
    assert db.execute(
        "SELECT success_rate FROM analytics.campaign_summary WHERE campaign_id = 2"
    ).fetchone() == (None,)


def test_audit_trigger_records_changed_figures_only(db):
    db.execute(
        "UPDATE analytics.campaign_summary SET reach = reach + 5, last_etl_run_id = 77 WHERE campaign_id = 2"
    )
    db.execute(
        "UPDATE analytics.campaign_summary SET updated_at = now() WHERE campaign_id = 2"
    )  # no tracked change
    rows = db.execute(
        "SELECT etl_run_id, old_values, new_values FROM analytics.campaign_summary_audit "
        "WHERE campaign_id = 2"
    ).fetchall()
    assert rows == [(77, {"reach": 5000}, {"reach": 5005})]
    db.execute("UPDATE analytics.campaign_summary SET reach = reach - 5 WHERE campaign_id = 2")


def test_cursor_function_walks_campaigns_in_order(db):
    rows = db.execute(
        "SELECT campaign_id, revenue, running_revenue, share_of_brand "
        "FROM analytics.brand_revenue_ladder('Brand A')"
    ).fetchall()
    assert [(c, str(r), str(run), str(s)) for c, r, run, s in rows] == [
        (1, "4000.00", "4000.00", "0.8889"),
        (2, "500.00", "4500.00", "1.0000"),
    ]
    assert (
        db.execute("SELECT count(*) FROM analytics.brand_revenue_ladder('No such brand')").fetchone()[0] == 0
    )
