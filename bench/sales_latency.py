"""p95 per sales tool at N campaigns: uncached and cached server side, and cached end to end over streamable HTTP.

Targets (issues #7 and #20, N1): uncached <= 50 ms, cached <= 5 ms server side, cached end to end <= 400 ms,
every tool asked with a period, a channel and a market too; server CPU per cached call over HTTP <= 1.25x the
SDK's own floor (a trivial tool served the same way, measured in the same run).
Server side = `SalesService` (the code behind each tool: checks, Redis, PostgreSQL), without MCP framing.
Uncached = a cache miss after the ETL data version was bumped (Redis GET miss + PostgreSQL + Redis SET).
Run: promptsales bench sales_latency [--campaigns 5000 --rounds 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import anyio
from mcp import Client
from promptsales_testkit.sales_bench import (
    as_service_args,
    bench_service,
    floor_server,
    http_server,
    interleaved_cpu_per_call,
    p95,
    workload,
)

CHART_TOOLS = ("trends", "breakdown")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=60, help="calls per tool and mode")
    parser.add_argument("--cpu-rounds", type=int, default=600, help="sequential calls for the CPU per call")
    args = parser.parse_args()
    with bench_service(args.campaigns) as (settings, service, names):
        calls = workload(names)
        rows = []
        for tool, argument_sets in calls.items():
            method = getattr(service, tool)
            uncached, cached = [], []
            for arguments in argument_sets:  # PostgreSQL's buffers warm (a fresh database), not timed
                service.cache.bump_data_version("sales")
                method(**as_service_args(arguments))
            for i in range(args.rounds):  # a miss each time: the ETL's data version moves before every call
                arguments = as_service_args(argument_sets[i % len(argument_sets)])
                service.cache.bump_data_version("sales")
                start = time.perf_counter()
                answer = method(**arguments)
                uncached.append((time.perf_counter() - start) * 1000)
                assert not answer.cache.hit
            for arguments in argument_sets:  # the recurring questions, asked once to fill the cache
                method(**as_service_args(arguments))
            for i in range(args.rounds):
                arguments = as_service_args(argument_sets[i % len(argument_sets)])
                start = time.perf_counter()
                answer = method(**arguments)
                cached.append((time.perf_counter() - start) * 1000)
                assert answer.cache.hit
            rows.append([tool, p95(uncached), p95(cached), statistics.median(cached)])

        async def end_to_end(url: str) -> dict[str, list[float]]:
            timings: dict[str, list[float]] = {tool: [] for tool in calls}
            async with Client(url) as client:
                for tool, argument_sets in calls.items():
                    for arguments in argument_sets:  # warm the cache
                        await client.call_tool(tool, arguments)
                    for i in range(args.rounds):
                        start = time.perf_counter()
                        result = await client.call_tool(tool, argument_sets[i % len(argument_sets)])
                        timings[tool].append((time.perf_counter() - start) * 1000)
                        assert not result.is_error and result.structured_content["cache"]["hit"]
            return timings

        cached_calls = [(tool, arguments) for tool, sets in calls.items() for arguments in sets]
        # The structured answers alone (what a client that asks chart=false gets), and as served by default,
        # trends and breakdowns with their PNG chart: both against the same floor, in the same blocks.
        structured_calls = [
            (tool, {**arguments, "chart": False} if tool in CHART_TOOLS else arguments)
            for tool, arguments in cached_calls
        ]
        with http_server(settings) as (url, pid), floor_server() as (floor_url, floor_pid):
            e2e = anyio.run(end_to_end, url)
            sales_cpu, charts_cpu, floor_cpu = anyio.run(
                interleaved_cpu_per_call,
                [
                    (url, pid, structured_calls),
                    (url, pid, cached_calls),
                    (floor_url, floor_pid, [("echo", {"text": "ping"})]),
                ],
                args.cpu_rounds,
            )

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(f"sales_latency: {args.campaigns} campaigns, {args.rounds} calls per tool and mode, p95 in ms")
    print(f"{'tool':<22}{'uncached':>10}{'cached':>9}{'(median)':>10}{'e2e cached (HTTP)':>20}")
    for tool, uncached_p95, cached_p95, cached_median in rows:
        print(
            f"{tool:<22}{uncached_p95:>10.2f}{cached_p95:>9.2f}{cached_median:>10.2f}{p95(e2e[tool]):>20.2f}"
        )
    worst = [max(r[1] for r in rows), max(r[2] for r in rows), max(p95(v) for v in e2e.values())]
    verdict = worst[0] <= 50 and worst[1] <= 5 and worst[2] <= 400
    print(f"{'worst':<22}{worst[0]:>10.2f}{worst[1]:>9.2f}{'':>10}{worst[2]:>20.2f}")
    print(f"targets 50 / 5 / 400 ms: {'met' if verdict else 'NOT met'}")
    ratio = sales_cpu / floor_cpu
    print(
        f"server CPU per cached call over HTTP (JSON responses, stateless), {args.cpu_rounds} sequential calls "
        f"each in alternating blocks: sales {sales_cpu:.2f} ms (the workload above, structured answers), the "
        f"SDK's floor (a trivial async tool, same transport) {floor_cpu:.2f} ms: {ratio:.2f}x (target <= 1.25x: "
        f"{'met' if ratio <= 1.25 else 'NOT met'}); with the charts trends and breakdown send by default "
        f"{charts_cpu:.2f} ms ({charts_cpu / floor_cpu:.2f}x)"
    )


if __name__ == "__main__":
    main()
