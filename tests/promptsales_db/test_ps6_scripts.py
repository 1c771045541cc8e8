"""PS6 scripts run for real: GRANT/REVOKE roles, a detected deadlock, catalog metadata, query
monitoring, and COALESCE / CASE / LEFT / RIGHT / CROSS JOIN."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from promptsales import clients
from psycopg import errors

from .conftest import DEMOS, blocks

pytestmark = pytest.mark.stack


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO portal.roles (role_code, description) VALUES ('hacker', 'x')",
        "UPDATE analytics.campaign_summary SET reach = 0",
        "DELETE FROM analytics.campaign_channel_summary",
        "UPDATE etl.watermarks SET mark = 0",
    ],
)
def test_readonly_role_cannot_write(db, statement):
    db.execute("SET ROLE promptsales_readonly")
    try:
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute(statement)
    finally:
        db.execute("RESET ROLE")


def test_readonly_role_reads_and_readwrite_writes_but_not_the_watermarks(db):
    db.execute("SET ROLE promptsales_readonly")
    assert db.execute("SELECT count(*) FROM analytics.campaign_summary").fetchone()[0] == 3
    db.execute("RESET ROLE")
    db.execute("SET ROLE promptsales_readwrite")
    try:
        with db.transaction(force_rollback=True):
            db.execute("UPDATE analytics.campaign_summary SET budget = 1 WHERE campaign_id = 1")
            db.execute("INSERT INTO portal.client_companies (legal_name, country_code) VALUES ('Acme', 'CR')")
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("UPDATE etl.watermarks SET mark = 0")
        # PromptAds: 8 rowversion entities + its change log; PromptCrm: 3 + its change log; PromptContent: 1.
        assert db.execute("SELECT count(*) FROM etl.watermarks").fetchone()[0] == 14
    finally:
        db.execute("RESET ROLE")


def test_two_sessions_deadlock_and_postgres_detects_it(central_db):
    settings, _ = central_db
    steps = blocks(DEMOS / "ps6_deadlock.sql", "step")
    a = clients.postgres(settings, autocommit=True)
    b = clients.postgres(settings, autocommit=True)
    outcomes: dict[str, object] = {}

    def run(name: str, conn: psycopg.Connection, sql_text: str) -> None:
        try:
            conn.execute(sql_text)
            outcomes[name] = "ok"
        except psycopg.Error as exc:
            outcomes[name] = exc

    try:
        a.execute(steps["A1"])
        b.execute(steps["B1"])
        waiter = threading.Thread(target=run, args=("A2", a, steps["A2"]))
        waiter.start()
        time.sleep(0.3)  # A2 is now waiting for B's row lock
        run("B2", b, steps["B2"])
        waiter.join(10)
        failures = [k for k, v in outcomes.items() if isinstance(v, errors.DeadlockDetected)]
        assert len(failures) == 1, outcomes
        assert [k for k, v in outcomes.items() if v == "ok"] == [{"A2": "B2", "B2": "A2"}[failures[0]]]
    finally:
        for conn in (a, b):
            conn.execute("ROLLBACK")
            conn.close()


def _run_queries(db: psycopg.Connection, script: str) -> dict[str, list]:
    return {name: db.execute(body).fetchall() for name, body in blocks(DEMOS / script, "query").items()}


def test_catalog_metadata_queries(db):
    results = _run_queries(db, "ps6_catalog_metadata.sql")
    assert results["summary_columns"][0] == ("campaign_id", "bigint", "NO")
    assert {r[1] for r in results["table_sizes"]} >= {"campaign_summary", "run_log", "campaigns"}
    assert ("campaign_summary_audit", "campaign_summary", "audit_campaign_summary") in results["triggers"]
    grants = {g: p for g, _, p in results["grants"]}
    assert grants["promptsales_readonly"] == "SELECT"
    assert grants["promptsales_readwrite"] == "DELETE, INSERT, SELECT, UPDATE"


def test_query_monitoring_queries(db):
    db.execute("SELECT brand_name, count(*) FROM analytics.campaign_summary GROUP BY brand_name").fetchall()
    results = _run_queries(db, "ps6_query_monitoring.sql")
    assert any("campaign_summary" in row[0] for row in results["top_statements"])
    assert any(row[0] for row in results["activity"])
    plan = results["plan"][0][0][0]
    assert "Execution Time" in plan and plan["Plan"]["Actual Rows"] == 1  # one active campaign, one brand


def test_joins_coalesce_case_queries(db):
    results = _run_queries(db, "ps6_joins_coalesce_case.sql")
    assert [(r[0], r[2], str(r[3]), r[4]) for r in results["left_join_coalesce"]] == [
        (1, 10000, "4000.00", "finished"),
        (7, 0, "0", "approved"),
    ]
    assert [r[0] for r in results["right_join"]] == [2, 3]
    assert dict(results["case_bands"]) == {
        1: "excellent (ROI >= 100%)",
        2: "losing money",
        3: "no cost recorded",
    }
    missing = results["cross_join_calendar"]
    assert len(missing) == 11 and all(channel == "Email" for channel, _ in missing)  # only March 2025 seen
