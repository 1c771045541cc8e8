"""Tool calls per second and p95 over streamable HTTP at 50 and 300 concurrent MCP clients, against one server.

Each client is its own MCP session (the SDK's streamable HTTP client) that calls the workload's tools in
turn (recurring questions, so mostly cache hits, as in production after the first asker) until the
duration or the call budget runs out. Load generator and server share this machine's cores (loopback only),
so the figure is a floor for one replica. N2 asks for 100,000 operations per minute = 1,667 per second.
Run: promptsales bench sales_throughput [--campaigns 5000 --clients 50 300 --seconds 20 --max-calls 20000]
"""

from __future__ import annotations

import argparse
import math
import os
import time

import anyio
from mcp import Client
from promptsales_testkit.sales_bench import bench_database, cpu_seconds, http_server, p95, workload

N2_PER_SECOND = 100_000 / 60


async def run_load(
    url: str, clients: int, seconds: float, max_calls: int, calls: list[tuple[str, dict]], server_pid: int
) -> dict:
    """Open every session first, then let all clients start calls for `seconds`. Calls started in that
    window are waited for; the measurement runs from the first start to the last answer, so the CPU the
    server and this load generator used is divided by exactly the calls that used it."""
    latencies: list[float] = []
    errors = 0
    connected = 0
    in_flight = 0
    budget = {"left": max_calls}
    start_gate = anyio.Event()
    window = {"end": float("inf")}
    finish: dict[str, float] = {}
    all_done = anyio.Event()

    async def one_client(index: int) -> None:
        nonlocal errors, connected, in_flight
        async with Client(url, read_timeout_seconds=120) as client:
            connected += 1
            await start_gate.wait()
            i = index
            while time.perf_counter() < window["end"] and budget["left"] > 0:
                budget["left"] -= 1
                tool, arguments = calls[i % len(calls)]
                i += 1
                in_flight += 1
                began = time.perf_counter()
                try:
                    failed = (await client.call_tool(tool, arguments)).is_error
                except Exception:  # noqa: BLE001 - a timeout or dropped connection is a failed call; the load goes on
                    failed = True
                latencies.append((time.perf_counter() - began) * 1000)
                errors += failed
                in_flight -= 1
            if in_flight == 0 and not all_done.is_set():
                finish.update(t=time.perf_counter(), server=cpu_seconds(server_pid), load=time.process_time())
                all_done.set()
            await all_done.wait()  # keep every session open until the last answer, so closing costs nothing

    async with anyio.create_task_group() as group:
        for index in range(clients):
            group.start_soon(one_client, index)
        while connected < clients:
            await anyio.sleep(0.05)
        server_cpu, load_cpu = cpu_seconds(server_pid), time.process_time()
        began = time.perf_counter()
        window["end"] = began + seconds
        start_gate.set()
    elapsed = finish["t"] - began
    done = max(1, len(latencies))
    return {
        "clients": clients,
        "calls": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "p95": p95(latencies) if latencies else float("nan"),
        "server_cpu_ms_per_call": 1000 * (finish["server"] - server_cpu) / done,
        "load_cpu_ms_per_call": 1000 * (finish["load"] - load_cpu) / done,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=5000)
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 300])
    parser.add_argument("--seconds", type=float, default=20, help="measured time per concurrency level")
    parser.add_argument("--max-calls", type=int, default=20_000, help="call budget per concurrency level")
    args = parser.parse_args()
    results = []
    with bench_database(args.campaigns) as settings, http_server(settings) as (url, pid):
        names = []

        async def warm() -> None:
            async with Client(url) as client:
                found = await client.call_tool("find_campaigns", {"limit": 5})
                names.extend(c["campaign_name"] for c in found.structured_content["campaigns"])
                for tool, argument_sets in workload(names).items():
                    for arguments in argument_sets:
                        await client.call_tool(tool, arguments)

        anyio.run(warm)
        calls = [(tool, arguments) for tool, sets in workload(names).items() for arguments in sets]
        for clients in args.clients:
            results.append(anyio.run(run_load, url, clients, args.seconds, args.max_calls, calls, pid))

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(
        f"sales_throughput: one server process, {args.campaigns} campaigns, streamable HTTP on loopback, "
        f"{len(calls)} recurring questions (cached)"
    )
    print(
        f"{'clients':>8}{'calls':>8}{'errors':>8}{'seconds':>9}{'calls/s':>9}{'p95 ms':>9}"
        f"{'server CPU ms/call':>20}{'loadgen CPU ms/call':>21}"
    )
    for r in results:
        print(
            f"{r['clients']:>8}{r['calls']:>8}{r['errors']:>8}{r['seconds']:>9.1f}{r['per_second']:>9.1f}"
            f"{r['p95']:>9.1f}{r['server_cpu_ms_per_call']:>20.2f}{r['load_cpu_ms_per_call']:>21.2f}"
        )
    # Replicas for N2: the measured rate of one replica sharing 2 cores with its load generator, and the
    # rate one replica would reach with a whole core of its own (1000 ms / server CPU ms per call),
    # taken at the highest concurrency, where a call costs the server most.
    worst = min(results, key=lambda r: r["per_second"])
    per_core = 1000 / max(r["server_cpu_ms_per_call"] for r in results)
    print(
        f"N2 = {N2_PER_SECOND:,.0f} calls/s: {math.ceil(N2_PER_SECOND / worst['per_second'])} replicas at the "
        f"measured {worst['per_second']:.0f} calls/s (shared cores); {math.ceil(N2_PER_SECOND / per_core)} "
        f"replicas of 1 CPU each at {per_core:.0f} calls/s per core (server CPU per call)"
    )


if __name__ == "__main__":
    main()
