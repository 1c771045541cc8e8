"""CR12 on the PostgreSQL stand-in: each broken procedure's twin shows its problem with real concurrent
connections, its fixed twin does the same work without it, and every twin rejects bad input as its
T-SQL procedure does (same error number and message, read from the T-SQL) and changes nothing.

Timing: the first session pauses PAUSE seconds inside its transaction; the others start STAGGER seconds
later, well inside that window, so the interleaving is the one each demo script describes. PostgreSQL
looks for deadlocks after deadlock_timeout (1 s by default) of waiting.
"""

from __future__ import annotations

import re
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
CLIENTS = (1, 2, 3, 4)
MISSING_CLIENT = 99
# The T-SQL's own messages, the expected value of every rejection test.
THROWS = dict(
    re.findall(
        r"THROW (\d+), N'((?:[^']|'')*)', 1;",
        (crm_init.SQL_DIR / "100_create_procedures_concurrency.sql").read_text(),
    )
)


@pytest.fixture(scope="module")
def crm_schema(session_world) -> Settings:
    """A fresh database with the CRM schema from the T-SQL and four clients."""
    settings = session_world("test_crm12", postgres=("crm_standin_database",))
    crm_init.apply(settings)
    with clients.crm_standin(settings) as conn:
        conn.execute(
            "INSERT INTO crm.Cities (CityId, Name, CountryCode, Latitude, Longitude) "
            "VALUES (1, 'San Jose', 'CR', 9.93, -84.09)"
        )
        for client_id in CLIENTS:
            conn.execute(
                "INSERT INTO crm.Clients (ClientId, FirstName, LastName, Email, CityId) "
                "VALUES (%s, 'Ana', 'Mora', %s, 1)",
                (client_id, f"c{client_id}@example.com"),
            )
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
        return [
            conn.execute("SELECT LoyaltyPoints FROM crm.Clients WHERE ClientId = %s", (c,)).fetchone()[0]
            for c in client_ids
        ]


def _after(transfers: list[tuple[int, int, int]]) -> list[int]:
    """Every client's points after the given (from, to, points) transfers, worked out by hand."""
    points = dict.fromkeys(CLIENTS, START_POINTS)
    for source, target, amount in transfers:
        points[source] -= amount
        points[target] += amount
    return [points[c] for c in CLIENTS]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_lost_update(crm_small: Settings, fixed: bool) -> None:
    add = scenarios.add_points if fixed else scenarios.add_points_unsafe
    results = _run_together(
        crm_small, [lambda conn: add(conn, 1, 10, PAUSE), lambda conn: add(conn, 1, 20, 0)]
    )
    # Each returns the balance it wrote. Broken: the second writes 120 at once, then the first writes the
    # 100 it read + 10. Fixed: the second waits, reads the first one's 110 and writes 130.
    assert results == ([110, 130] if fixed else [110, 120])
    assert _points(crm_small, 1) == [START_POINTS + 10 + 20 if fixed else START_POINTS + 10]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_incorrect_summary(crm_small: Settings, fixed: bool) -> None:
    report = scenarios.report_total if fixed else scenarios.report_total_unsafe
    real_total = len(CLIENTS) * START_POINTS
    results = _run_together(
        crm_small,
        [
            lambda conn: report(conn, split_client_id=2, delay_seconds=PAUSE),
            lambda conn: scenarios.transfer_points(conn, 1, 4, 50),  # counted -> not yet counted
        ],
    )
    assert results[1] is None and _points(crm_small, *CLIENTS) == _after([(1, 4, 50)])
    assert results[0] == (real_total if fixed else real_total + 50)


@pytest.mark.parametrize("read", [scenarios.get_points_unsafe, scenarios.get_points], ids=["broken", "fixed"])
def test_no_dirty_read_on_postgresql(crm_small: Settings, read) -> None:
    """SQL Server's broken version returns 40 here (130_demo_dirty_read_*.sql); PostgreSQL returns the
    committed 100 even when asked for READ UNCOMMITTED, so the stand-in cannot show a dirty read."""
    results = _run_together(
        crm_small,
        [
            lambda conn: scenarios.transfer_points(conn, 1, 2, 60, PAUSE, roll_back_at_end=True),
            lambda conn: read(conn, 1),
        ],
    )
    assert isinstance(results[0], scenarios.LoyaltyError) and results[0].number == 51205
    assert results[1] == START_POINTS
    assert _points(crm_small, *CLIENTS) == _after([])


def _deadlock_outcome(settings: Settings, transfers: list[tuple[int, int, int]], fixed: bool) -> list[object]:
    transfer = scenarios.transfer_points if fixed else scenarios.transfer_points_unsafe
    results = _run_together(
        settings, [(lambda conn, t=t: transfer(conn, t[0], t[1], t[2], PAUSE)) for t in transfers]
    )
    victims = [i for i, r in enumerate(results) if isinstance(r, psycopg.errors.DeadlockDetected)]
    assert [r for i, r in enumerate(results) if r is not None and i not in victims] == []
    assert len(victims) == (0 if fixed else 1), results
    # The victim rolled back whole; every other transfer committed whole.
    assert _points(settings, *CLIENTS) == _after([t for i, t in enumerate(transfers) if i not in victims])
    return results


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_deadlock_of_two(crm_small: Settings, fixed: bool) -> None:
    _deadlock_outcome(crm_small, [(1, 2, 10), (2, 1, 30)], fixed)


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
def test_cascading_deadlock_of_three(crm_small: Settings, fixed: bool) -> None:
    _deadlock_outcome(crm_small, [(1, 2, 10), (2, 3, 20), (3, 1, 40)], fixed)


@pytest.mark.parametrize("mode", ["broken", "fixed"])
def test_two_client_deadlock_with_the_demo_client(crm_small: Settings, mode: str) -> None:
    """The two-computer client, as two real processes with roles a and b."""
    database = crm_small.postgres.crm_standin_database
    processes = []
    for role in ("a", "b"):
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "promptsales.crm_demos.deadlock_client",
                    "--role",
                    role,
                    "--mode",
                    mode,
                    "--backend",
                    "standin",
                    "--database",
                    database,
                    "--hold-seconds",
                    "1.5",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
        time.sleep(0.5)
    outputs = [p.communicate(timeout=30)[0] for p in processes]
    codes = [p.returncode for p in processes]
    assert sorted(codes) == ([0, 0] if mode == "fixed" else [0, 3]), outputs
    if mode == "broken":
        assert "DEADLOCK VICTIM" in "".join(outputs)
    # a moves 10 points from client 1 to 2, b 10 from 2 to 1; the victim's move is rolled back.
    committed = [move for move, code in zip([(1, 2, 10), (2, 1, 10)], codes) if code == 0]
    assert _points(crm_small, *CLIENTS) == _after(committed)


def test_demo_client_rejects_bad_arguments() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "promptsales.crm_demos.deadlock_client",
            "--role",
            "a",
            "--mode",
            "broken",
            "--hold-seconds",
            "600",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "--hold-seconds" in result.stderr


REJECTIONS = [
    ("add, unknown client", 51201, lambda c, add, _t, _r: add(c, MISSING_CLIENT, 10)),
    ("add, zero points", 51202, lambda c, add, _t, _r: add(c, 1, 0)),
    ("add, negative points", 51202, lambda c, add, _t, _r: add(c, 1, -5)),
    ("add, delay too long", 51203, lambda c, add, _t, _r: add(c, 1, 10, 61)),
    ("transfer, unknown source", 51201, lambda c, _a, transfer, _r: transfer(c, MISSING_CLIENT, 2, 10)),
    # The broken transfer has debited client 1 by then: the rollback must undo it.
    ("transfer, unknown target", 51201, lambda c, _a, transfer, _r: transfer(c, 1, MISSING_CLIENT, 10)),
    ("transfer, negative points", 51202, lambda c, _a, transfer, _r: transfer(c, 1, 2, -10)),
    ("transfer, negative delay", 51203, lambda c, _a, transfer, _r: transfer(c, 1, 2, 10, -1)),
    ("transfer, same client", 51204, lambda c, _a, transfer, _r: transfer(c, 3, 3, 10)),
    ("transfer, failing late", 51205, lambda c, _a, transfer, _r: transfer(c, 1, 2, 10, 0, True)),
    ("report, delay too long", 51203, lambda c, _a, _t, report: report(c, 2, 61)),
]


@pytest.mark.parametrize("fixed", [False, True], ids=["broken", "fixed"])
@pytest.mark.parametrize("case, number, call", REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_bad_input_is_rejected_with_the_tsql_error_and_changes_nothing(crm_small, case, number, call, fixed):
    twins = (
        (scenarios.add_points, scenarios.transfer_points, scenarios.report_total)
        if fixed
        else (scenarios.add_points_unsafe, scenarios.transfer_points_unsafe, scenarios.report_total_unsafe)
    )
    with (
        clients.crm_standin(crm_small, autocommit=True) as conn,
        pytest.raises(scenarios.LoyaltyError) as caught,
    ):
        call(conn, *twins)
    assert (caught.value.number, caught.value.message) == (number, THROWS[str(number)].replace("''", "'"))
    assert _points(crm_small, *CLIENTS) == _after([])


@pytest.mark.parametrize(
    "transfer", [scenarios.transfer_points_unsafe, scenarios.transfer_points], ids=["broken", "fixed"]
)
def test_an_overdraft_is_refused_by_the_check_constraint(crm_small, transfer) -> None:
    """crm.Clients' CHECK (LoyaltyPoints >= 0) refuses the debit (error 547 on SQL Server)."""
    with (
        clients.crm_standin(crm_small, autocommit=True) as conn,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        transfer(conn, 1, 2, START_POINTS + 1)
    assert _points(crm_small, *CLIENTS) == _after([])
