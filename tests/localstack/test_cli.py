"""The `promptsales` command: usage errors exit 2, taken ports are named, stack up/down repeat cleanly."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROMPTSALES = [sys.executable, "-m", "promptsales.cli.main"]


def run(args, env=None, timeout=120):
    return subprocess.run(
        PROMPTSALES + args,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["stack", "sideways"],
        ["stack", "up", "--bogus"],
        ["seed", "--images", "many"],
        [],
    ],
)
def test_bad_usage_prints_usage_and_exits_2(args):
    result = run(args)
    assert result.returncode == 2
    assert "usage: promptsales" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_taken_port_is_reported_by_name(tmp_path: Path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = run(
            ["stack", "up", "--only", "redis"],
            env={"PROMPTSALES_STATE_DIR": str(tmp_path), "REDIS_PORT": str(port)},
        )
    assert result.returncode == 1
    assert (
        f"port {port}" in result.stderr
        and "already in use" in result.stderr
        and "REDIS_PORT" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_seed_rejects_impossible_counts():
    result = run(["seed", "--campaigns", "0"])
    assert result.returncode == 2  # invalid input, as a usage error (issue #25: it was 1)
    assert "--campaigns must be at least 1" in result.stderr


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_etl_log_rejects_a_limit_below_one(limit):
    result = run(["etl", "log", "-n", limit])
    assert result.returncode == 2  # invalid input, as a usage error (issue #25: it was 1)
    assert f"--limit must be at least 1 (got {limit})" in result.stderr and "Traceback" not in result.stderr


def test_output_piped_into_a_reader_that_stops_early_is_no_error():
    """`promptsales etl log -n 500 | head -1`: the reader goes away; no traceback, exit 141 (as for SIGPIPE)."""
    script = """
import os, sys
from promptsales.cli import etl_cmd, main
read_end, write_end = os.pipe()
os.close(read_end)
os.dup2(write_end, sys.stdout.fileno())  # stdout is a pipe whose reader is gone
etl_cmd._log = lambda args: [print("run 1 (manual, sources=standin): succeeded") for _ in range(10_000)]
sys.exit(main.main(["etl", "log"]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("args", [["etl", "log"], ["etl", "run"], ["db", "init", "--only", "promptsales"]])
def test_a_server_that_is_down_is_named_in_one_line(args):
    result = run(args, env={"POSTGRES_PORT": str(_free_port())})
    assert result.returncode == 1
    assert "PostgreSQL is not reachable" in result.stderr and "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.fixture
def private_state_dir():
    # Not under pytest's tmp_path: pytest resets its base folder to mode 700 at every session start,
    # which would cut the unprivileged postgres user off from a data directory below it.
    path = Path(tempfile.mkdtemp(prefix="promptsales-stacktest-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_stack_up_status_down_twice_in_a_row(private_state_dir: Path):
    """A private stack (own state dir and ports) so the shared one is untouched."""
    env = {
        "PROMPTSALES_STATE_DIR": str(private_state_dir / "state"),
        "POSTGRES_PORT": str(_free_port()),
        "REDIS_PORT": str(_free_port()),
        "MONGODB_PORT": str(_free_port()),
    }
    for _ in range(2):
        up = run(["stack", "up", "--only", "postgres", "redis", "mongodb"], env=env)
        assert up.returncode == 0, up.stderr
        again = run(["stack", "up", "--only", "postgres", "redis", "mongodb"], env=env)  # idempotent
        assert again.returncode == 0, again.stderr
        status = run(["stack", "status"], env=env)
        assert status.stdout.count("healthy") == 3 and "n8n" in status.stdout
        down = run(["stack", "down"], env=env)
        assert down.returncode == 0
        assert "postgres" in down.stdout and "redis" in down.stdout and "mongodb" in down.stdout
        after = run(["stack", "status"], env=env)
        assert "healthy" not in after.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["-v", "stack", "status"],
        ["stack", "-v", "status"],
        ["stack", "status", "-v"],
        ["etl", "log", "--verbose", "-n", "3"],
        ["mcp", "serve", "sales", "-v"],
    ],
)
def test_verbose_is_accepted_before_and_after_every_subcommand(args):
    from promptsales.cli.main import build_parser

    parser = build_parser()
    assert parser.parse_args(args).verbose is True
    assert parser.parse_args([a for a in args if a not in ("-v", "--verbose")]).verbose is False


def test_an_invalid_value_exits_2_in_one_line_and_a_missing_thing_exits_1():
    invalid = run(["mcp", "serve", "sales", "--port", "0"])
    assert (
        invalid.returncode == 2
        and invalid.stderr == "promptsales mcp: --port must be between 1 and 65535 (got 0)\n"
    )
    missing = run(["bench", "no-such-benchmark"])
    assert missing.returncode == 1 and missing.stderr.startswith("promptsales bench: no benchmark named ")
    assert "Traceback" not in invalid.stderr + missing.stderr
