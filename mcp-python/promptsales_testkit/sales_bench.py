"""Shared by the sales benchmarks (bench/sales_*.py): a throwaway database of synthetic summaries, the server
process, the workload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import date
from pathlib import Path

from mcp import Client
from promptsales import clients
from promptsales.cache import Cache
from promptsales.dbinit import central
from promptsales.localstack import stack as local_stack
from promptsales.sales.service import SalesService, open_pool
from promptsales.settings import Settings

from promptsales_testkit import sales_synthetic
from promptsales_testkit.world import isolated_world, process_env

CLI = str(Path(sys.executable).with_name("promptsales"))


@contextmanager
def bench_database(campaigns: int, seed: int = 42) -> Iterator[Settings]:
    """Settings for a new database holding `campaigns` synthetic summaries; dropped (and its keys) afterwards."""
    base = local_stack.ensure_local_secrets()
    for service in local_stack.services(base):
        if service.name in ("postgres", "redis"):
            service.start()
    with isolated_world(base, "sales_bench") as settings:
        central.apply(settings)
        with clients.postgres(settings) as conn:
            sales_synthetic.load(conn, sales_synthetic.generate(campaigns, seed))
            conn.commit()
        # As autovacuum leaves a loaded table: statistics, and the visibility map that lets the period
        # queries read the covering index alone (without it every fact row is fetched from the table too).
        with clients.postgres(settings, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        yield settings


@contextmanager
def bench_service(campaigns: int) -> Iterator[tuple[Settings, SalesService, list[str]]]:
    """`bench_database` with a `SalesService` on it (the code behind the tools, no MCP framing) and the
    names of five of its campaigns, for questions that name one."""
    with bench_database(campaigns) as settings:
        pool = open_pool(settings, max_size=4)
        pool.wait(timeout=10)
        try:
            service = SalesService(pool, Cache(clients.redis_client(settings), settings.redis.key_prefix))
            yield settings, service, [c.campaign_name for c in service.find_campaigns(limit=5).campaigns]
        finally:
            pool.close()


@contextmanager
def http_server(settings: Settings) -> Iterator[tuple[str, int]]:
    """`promptsales mcp serve sales --transport http` on a free loopback port; yields its MCP URL and pid."""
    with _serving(
        lambda port: [CLI, "mcp", "serve", "sales", "--transport", "http", "--port", str(port)],
        process_env(settings),
    ) as served:
        yield served


@contextmanager
def floor_server() -> Iterator[tuple[str, int]]:
    """A trivial tool on the same SDK, served the same way (promptsales_testkit.sdk_floor_server): the SDK's
    own cost."""
    with _serving(
        lambda port: [sys.executable, "-m", "promptsales_testkit.sdk_floor_server", str(port)],
        dict(os.environ),
    ) as served:
        yield served


@contextmanager
def _serving(command, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        command(port),
        env={**env, "PYTHONWARNINGS": "ignore"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the MCP server {command(port)[:4]} did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


# A period that cuts two months in half, a channel and a market: the costliest shape a question takes
# (whole months from the roll-up, edge days from the daily facts, both filtered).
CUT = {"period_from": "2025-02-11", "period_to": "2025-05-19", "channel": "TikTok", "market": "Mexico"}


def workload(campaign_names: list[str]) -> dict[str, list[dict]]:
    """Per tool, a few argument sets shaped like the questions people ask, each tool with at least one that
    has a period, a channel and a market."""
    return {
        "sales_overview": [{}],
        "find_campaigns": [
            {"brand": "Aurora Foods", "channel": "TikTok"},
            {"name_contains": "Holiday", "active_from": "2024-12-01", "active_to": "2025-01-31"},
            {"status": "active", "market": "Mexico", "limit": 50},
        ],
        "campaign_performance": [{"campaign": n} for n in campaign_names[:2]]
        + [{"campaign": 17}, {"campaign": 23, **CUT}],
        "compare_campaigns": [
            {"campaigns": campaign_names[:3]},
            {"campaigns": [10, 20, 30, 40], "period_from": CUT["period_from"], "period_to": CUT["period_to"]},
        ],
        "top_campaigns": [
            {"metric": "sales_count", "period_from": "2025-10-01", "period_to": "2025-12-31"},
            {"metric": "roi", "limit": 20},
            {"metric": "revenue", **CUT},
            {"metric": "leads", "period_from": "2024-11-20", "period_to": "2025-01-10"},
        ],
        "breakdown": [
            {"dimension": "channel", "period_from": "2025-11-15", "period_to": "2025-12-20"},
            {"dimension": "month", "brand": "Cafe Volcan"},
            {"dimension": "market", "campaign": campaign_names[0]},
            {"dimension": "channel", **CUT},
        ],
        "trends": [{"metric": "revenue"}, {"metric": "conversion_rate", **CUT}],
    }


def as_service_args(arguments: dict) -> dict:
    """The MCP layer parses ISO dates; calling the service directly needs them as dates."""
    return {
        k: date.fromisoformat(v) if k.startswith(("period_", "active_")) else v for k, v in arguments.items()
    }


async def interleaved_cpu_per_call(
    servers: list[tuple[str, int, list[tuple[str, dict]]]], rounds: int, block: int = 50
) -> list[float]:
    """Milliseconds of each server process's CPU per call, measured in alternating blocks of `block`
    sequential calls (one client per server, warmed up first) until each has answered `rounds` calls: a
    loaded machine slows both alike, so their ratio holds better than two runs one after the other."""
    spent = [0.0] * len(servers)
    done = [0] * len(servers)
    async with AsyncExitStack() as stack:
        sessions = [await stack.enter_async_context(Client(url)) for url, _, _ in servers]
        for session, (_, _, calls) in zip(sessions, servers):
            for tool, arguments in calls:
                await session.call_tool(tool, arguments)
        while min(done) < rounds:
            for i, (session, (_, pid, calls)) in enumerate(zip(sessions, servers)):
                before = cpu_seconds(pid)
                for _ in range(block):
                    tool, arguments = calls[done[i] % len(calls)]
                    result = await session.call_tool(tool, arguments)
                    assert not result.is_error, result.content
                    done[i] += 1
                spent[i] += cpu_seconds(pid) - before
    return [1000 * s / n for s, n in zip(spent, done)]


async def server_cpu_per_call(url: str, pid: int, calls: list[tuple[str, dict]], rounds: int) -> float:
    """Milliseconds of the server process's CPU per call, over `rounds` sequential calls from one client
    (after one warm-up pass, so the server's caches and the client's session are in place)."""
    async with Client(url) as client:
        for tool, arguments in calls:
            await client.call_tool(tool, arguments)
        before = cpu_seconds(pid)
        for i in range(rounds):
            tool, arguments = calls[i % len(calls)]
            result = await client.call_tool(tool, arguments)
            assert not result.is_error, result.content
        return 1000 * (cpu_seconds(pid) - before) / rounds


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
