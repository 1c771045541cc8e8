"""CR12 on the PostgreSQL stand-in: each broken procedure shows its problem with real concurrent
connections, and its fixed version does the same work without it.

Timing: the first session pauses PAUSE seconds inside its transaction; the others start STAGGER seconds
later, well inside that window, so the interleaving is the one each demo script describes.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from promptsales import clients
from promptsales.crm_demos import scenarios
from promptsales.dbinit import crm as crm_init
from promptsales.settings import Settings

pytestmark = pytest.mark.stack
PAUSE = 1.0
STAGGER = 0.2
START_POINTS = 100


@pytest.fixture(scope="module")
def crm_schema(stack: Settings, session_database, standin_settings) -> Settings:
    """A fresh database with the CRM schema from the T-SQL and four clients."""
    settings = standin_settings(stack, session_database("test_crm12"), stack.postgres.ads_standin_database)
    crm_init.apply(settings)
    with clients.crm_standin(settings) as conn:
        conn.execute("INSERT INTO crm.Cities (CityId, Name, CountryCode, Latitude, Longitude) "
                     "VALUES (1, 'San Jose', 'CR', 9.93, -84.09)")
        for client_id in range(1, 5):
            conn.execute("INSERT INTO crm.Clients (ClientId, FirstName, LastName, Email, CityId) "
                         "VALUES (%s, 'Ana', 'Mora', %s, 1)", (client_id, f"c{client_id}@example.com"))
    return settings


@pytest.fixture
def crm_small(crm_schema: Settings) -> Iterator[Settings]:
    """Every test starts with the four clients at 100 points each."""
    with clients.crm_standin(crm_schema) as conn:
        conn.execute("UPDATE crm.Clients SET LoyaltyPoints = %s", (START_POINTS,))
    yield crm_schema


def _run_together(settings: Settings, work: list[Callable[[psycopg.Connection], object]]) -> list[object]:
    """Run each callable on its own connection and thread, STAGGER seconds apart; return results or exceptions."""
    results: list[object] = [None] * len(work)
    connections = [clients.crm_standin(settings, autocommit=True) for _ in work]

    def target(index: int) -> None:
        try:
            results[index] = work[index](connections[index])
        except Exception as exc:  # noqa: BLE001 - collected and asserted on by the test
            results[index] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(work))]
    try:
        for thread in threads:
            thread.start()
            time.sleep(STAGGER)
        for thread in threads:
            thread.join(timeout=30)
    finally:
        for conn in connections:
            conn.close()
    return results


def _points(settings: Settings, *client_ids: int) -> list[int]:
    with clients.crm_standin(settings) as conn:
        return [conn.execute("SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = %s", (c,)).fetchone()[0]
                for c in client_ids]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_lost_update(crm_small: Settings, fixed: bool) -> None:
    _run_together(crm_small, [
        lambda conn: scenarios.add_points(conn, 1, 10, PAUSE, fixed),
        lambda conn: scenarios.add_points(conn, 1, 20, 0, fixed),
    ])
    expected = START_POINTS + 10 + 20 if fixed else START_POINTS + 10  # broken: the +20 is overwritten
    assert _points(crm_small, 1) == [expected]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_incorrect_summary(crm_small: Settings, fixed: bool) -> None:
    real_total = 4 * START_POINTS
    results = _run_together(crm_small, [
        lambda conn: scenarios.report_total(conn, split_client=2, pause=PAUSE, fixed=fixed),
        lambda conn: scenarios.transfer_points(conn, 1, 4, 50, 0, fixed=True),  # counted -> not yet counted
    ])
    assert results[1] is None and sum(_points(crm_small, 1, 2, 3, 4)) == real_total
    assert results[0] == (real_total if fixed else real_total + 50)


@pytest.mark.parametrize("isolation", ["read uncommitted", "read committed"])
def test_no_dirty_read_on_postgresql(crm_small: Settings, isolation: str) -> None:
    """SQL Server's broken version returns 40 here; PostgreSQL returns the committed 100 even when asked
    for READ UNCOMMITTED, so the stand-in has no broken version to show (130_demo_dirty_read_*.sql)."""
    results = _run_together(crm_small, [
        lambda conn: scenarios.transfer_points(conn, 1, 2, 60, PAUSE, fixed=True, roll_back_at_end=True),
        lambda conn: scenarios.read_points(conn, 1, isolation),
    ])
    assert isinstance(results[0], scenarios.PlannedRollback)
    assert results[1] == START_POINTS
    assert _points(crm_small, 1, 2) == [START_POINTS, START_POINTS]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_cascading_deadlock_of_three(crm_small: Settings, fixed: bool) -> None:
    results = _run_together(crm_small, [
        lambda conn: scenarios.transfer_points(conn, 1, 2, 10, PAUSE, fixed),
        lambda conn: scenarios.transfer_points(conn, 2, 3, 10, PAUSE, fixed),
        lambda conn: scenarios.transfer_points(conn, 3, 1, 10, PAUSE, fixed),
    ])
    victims = [r for r in results if isinstance(r, psycopg.errors.DeadlockDetected)]
    assert [r for r in results if r is not None and r not in victims] == []
    assert len(victims) == (0 if fixed else 1)
    assert sum(_points(crm_small, 1, 2, 3)) == 3 * START_POINTS  # the victim rolled back whole


@pytest.mark.parametrize("mode", ["broken", "fixed"])
def test_two_client_deadlock_with_the_demo_client(crm_small: Settings, mode: str) -> None:
    """The two-computer client, as two real processes with roles a and b."""
    database = crm_small.postgres.crm_standin_database
    processes = []
    for role in ("a", "b"):
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "promptsales.crm_demos.deadlock_client", "--role", role, "--mode", mode,
             "--backend", "standin", "--database", database, "--hold-seconds", "1.5"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        time.sleep(0.5)
    outputs = [p.communicate(timeout=30)[0] for p in processes]
    codes = sorted(p.returncode for p in processes)
    assert codes == ([0, 0] if mode == "fixed" else [0, 3]), outputs
    if mode == "broken":
        assert "DEADLOCK VICTIM" in "".join(outputs)
    assert sum(_points(crm_small, 1, 2)) == 2 * START_POINTS


def test_demo_client_rejects_bad_arguments() -> None:
    result = subprocess.run([sys.executable, "-m", "promptsales.crm_demos.deadlock_client", "--role", "a",
                             "--mode", "broken", "--hold-seconds", "600"], check=False, capture_output=True, text=True)
    assert result.returncode == 2 and "--hold-seconds" in result.stderr
