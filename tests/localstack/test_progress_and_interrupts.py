"""Progress on a terminal only, and Ctrl-C that leaves every database whole (promptsales.progress, .interrupts).

Ctrl-C is a real SIGINT: sent to this process inside `held`/`atomic`, and to a real `promptsales seed` while
PostgreSQL shows its COPY running. Each database is judged by its own rows, counted here.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from promptsales import interrupts

pytestmark = pytest.mark.stack
PROMPTSALES = [sys.executable, "-m", "promptsales.cli.main"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _sigint_in(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def _table(stack, database: str) -> psycopg.Connection:
    conn = psycopg.connect(stack.postgres.dsn(database), autocommit=True)
    conn.execute("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY)")
    return conn


def test_held_waits_for_its_block_then_raises():
    finished = []
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the signal is delivered here and held
        finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the usual handler is back


def test_ctrl_c_inside_atomic_rolls_the_transaction_back(stack, fresh_database):
    conn = _table(stack, fresh_database("atomic"))
    with interrupts.watch() as watch, pytest.raises(KeyboardInterrupt), interrupts.atomic(conn, "t"):
        conn.execute("INSERT INTO t VALUES (1)")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0 and watch.committed == []
    conn.close()


def test_ctrl_c_during_the_commit_waits_for_it(stack, fresh_database):
    conn = _table(stack, fresh_database("atomic"))
    # A deferred constraint trigger runs at COMMIT: this one makes the commit take 1.5 s.
    conn.execute(
        "CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$"
    )
    conn.execute(
        "CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION slow_commit()"
    )
    with interrupts.watch() as watch, pytest.raises(KeyboardInterrupt), interrupts.atomic(conn, "t"):
        conn.execute("INSERT INTO t VALUES (1)")
        _sigint_in(0.5)  # arrives while the commit sleeps
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1 and watch.committed == ["t"]
    conn.close()


# -- the commands ---------------------------------------------------------------------------------------------
@pytest.fixture
def seed_env(stack, fresh_database) -> dict[str, str]:
    """Fresh PromptAds and PromptCrm stand-ins, schemas applied by `promptsales db init`."""
    env = {
        **os.environ,
        "POSTGRES_ADS_STANDIN_DATABASE": fresh_database("ads_int"),
        "POSTGRES_CRM_STANDIN_DATABASE": fresh_database("crm_int"),
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("CI", None)
    init = subprocess.run(
        PROMPTSALES + ["db", "init", "--only", "promptads", "promptcrm"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    return env


def _counts(stack, env) -> dict[str, int]:
    counts = {}
    for key, tables in (
        ("POSTGRES_ADS_STANDIN_DATABASE", ("ads.campaigns", "ads.adresults")),
        ("POSTGRES_CRM_STANDIN_DATABASE", ("crm.clients", "crm.leads", "crm.sales")),
    ):
        with psycopg.connect(stack.postgres.dsn(env[key])) as conn:
            for table in tables:
                counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


def test_ctrl_c_during_a_seed_says_which_database_is_complete_and_which_is_as_before(stack, seed_env):
    seed = PROMPTSALES + ["seed", "--only", "promptads", "promptcrm"]
    first = subprocess.run(
        seed + ["--campaigns", "20", "--clients", "12000", "--seed", "1"],
        env=seed_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    before = _counts(stack, seed_env)
    process = subprocess.Popen(
        seed + ["--campaigns", "200", "--clients", "150000", "--seed", "2"],
        env=seed_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    crm = seed_env["POSTGRES_CRM_STANDIN_DATABASE"]
    with psycopg.connect(stack.postgres.dsn(), autocommit=True) as watcher:
        deadline = time.monotonic() + 240
        while not watcher.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = %s AND query ILIKE 'COPY crm.%%')",
            (crm,),
        ).fetchone()[0]:
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    after = _counts(stack, seed_env)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == [stderr.strip()]  # one line, no traceback
    assert "promptads seeded completely" in stderr and "promptcrm left as it was" in stderr
    assert (
        stdout.startswith("promptads: ") and "rows/s" in stdout and "\x1b" not in stdout + stderr
    )  # piped: plain
    assert after["ads.campaigns"] == 200 != before["ads.campaigns"]  # the new PromptAds world, whole
    assert {k: after[k] for k in ("crm.clients", "crm.leads", "crm.sales")} == {
        k: before[k] for k in ("crm.clients", "crm.leads", "crm.sales")
    }  # PromptCrm exactly as before
    assert before["crm.clients"] == 12000


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with stdout and stderr on a pseudo-terminal; its exit code and everything it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        PROMPTSALES + args, env=env, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command exited and closed its end
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=60), output.decode(errors="replace")


def test_db_init_draws_its_progress_on_a_terminal_and_plain_lines_in_ci(stack, fresh_database):
    env = {**os.environ, "POSTGRES_DATABASE": fresh_database("dbinit_tty")}
    env.pop("CI", None)
    code, drawn = _on_a_terminal(["db", "init", "--only", "promptsales"], env)
    # The live line (escape codes, redrawn) names the file under way; the files go fast, so any of them.
    assert code == 0 and "\x1b[" in drawn and "db init: promptsales: applying 0" in ANSI.sub("", drawn)
    code, plain = _on_a_terminal(["db", "init", "--only", "promptsales"], {**env, "CI": "true"})
    assert code == 0 and "applying" not in plain and "\x1b[" not in plain
    assert "promptsales: applied 010_" in plain


def test_stack_up_interrupted_stops_the_service_it_was_starting(tmp_path):
    """A Redis of its own (own state dir and port): Ctrl-C while it starts leaves it stopped, and says so."""
    env = {**os.environ, "PROMPTSALES_STATE_DIR": str(tmp_path), "REDIS_PORT": str(_free_port())}
    # Under the real redis-server, a stand-in binary first on PATH that never answers: the wait is certain.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "redis-server").write_text("#!/bin/sh\nexec sleep 60\n")
    (fake / "redis-server").chmod(0o755)
    env["PATH"] = f"{fake}:{env['PATH']}"
    process = subprocess.Popen(
        PROMPTSALES + ["stack", "up", "--only", "redis"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pid_file = tmp_path / "redis" / "redis.pid"
    deadline = time.monotonic() + 60
    while not pid_file.exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    started = int(pid_file.read_text().split()[0])
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "while redis was starting: stopped it again; up: none" in stderr and "Traceback" not in stderr
    assert not pid_file.exists()
    deadline = time.monotonic() + 10
    while _running(started):  # killed; gone once its new parent has reaped it
        assert time.monotonic() < deadline, "the interrupted redis-server still runs"
        time.sleep(0.05)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
