"""What the charts of `trends` and `breakdown` cost: drawing one, and answering a cached question with its chart.

Targets (issue #26): drawing <= 60 ms p95 per chart; a cached answer with its chart <= 5 ms p95 (it draws
nothing: the chart comes from Redis beside the answer). Drawing = `charts.trend_chart` / `breakdown_chart`
on the answer's JSON, PNG encoding included, timed as wall clock and as the drawing thread's CPU time (the
CPU figure is what a quiet core would take; on a loaded machine the wall clock adds the wait for a core).
Cached = `SalesService` answering reply="if cached" (what the server does on its event loop), with and
without the chart, over the recurring questions of promptsales_testkit.sales_bench.workload.
Run: promptsales bench sales_charts [--campaigns 1000 --rounds 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from promptsales.sales import charts
from promptsales_testkit.sales_bench import as_service_args, bench_service, p95, workload

DRAW = {"trends": charts.trend_chart, "breakdown": charts.breakdown_chart}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=100, help="charts drawn and cached calls per tool")
    args = parser.parse_args()
    with bench_service(args.campaigns) as (_, service, names):
        questions = {tool: sets for tool, sets in workload(names).items() if tool in DRAW}
        rows = []
        for tool, argument_sets in questions.items():
            method = getattr(service, tool)
            answers = [
                method(**as_service_args(a)).model_dump(mode="json", exclude={"cache"}) for a in argument_sets
            ]
            for answer in answers:  # warm: fonts loaded, each kind's figure built
                DRAW[tool](answer)
            wall, cpu, sizes = [], [], []
            for i in range(args.rounds):
                answer = answers[i % len(answers)]
                start_wall, start_cpu = time.perf_counter(), time.thread_time()
                chart = DRAW[tool](answer)
                cpu.append((time.thread_time() - start_cpu) * 1000)
                wall.append((time.perf_counter() - start_wall) * 1000)
                if chart.png:
                    sizes.append(len(chart.png))
            for arguments in argument_sets:  # fill the cache: answers and their charts
                method(**as_service_args(arguments), chart=True, reply=True)
            cached = {True: [], False: []}
            for with_chart in (False, True):
                for i in range(args.rounds):
                    arguments = as_service_args(argument_sets[i % len(argument_sets)])
                    start = time.perf_counter()
                    result = method(**arguments, chart=with_chart, reply="if cached")
                    cached[with_chart].append((time.perf_counter() - start) * 1000)
                    assert result is not None and result.structured_content["cache"]["hit"]
                    assert len(result.content) == (2 if with_chart else 1)
            rows.append(
                (
                    tool,
                    p95(wall),
                    statistics.median(wall),
                    p95(cpu),
                    statistics.median(cpu),
                    statistics.median(sizes) / 1024 if sizes else 0,
                    p95(cached[True]),
                    p95(cached[False]),
                )
            )

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(
        f"sales_charts: {args.campaigns} campaigns, {args.rounds} charts drawn and cached calls per tool, "
        f"{charts.WIDTH}x{charts.HEIGHT} PNG; ms"
    )
    print(
        f"{'tool':<11}{'draw p95':>10}{'(median)':>10}{'CPU p95':>9}{'(median)':>10}{'PNG KiB':>9}"
        f"{'cached+chart p95':>18}{'cached alone p95':>18}"
    )
    for tool, wall_p95, wall_median, cpu_p95, cpu_median, kib, cached_chart, cached_alone in rows:
        print(
            f"{tool:<11}{wall_p95:>10.2f}{wall_median:>10.2f}{cpu_p95:>9.2f}{cpu_median:>10.2f}{kib:>9.1f}"
            f"{cached_chart:>18.2f}{cached_alone:>18.2f}"
        )
    draw_worst, cpu_worst, cached_worst = (
        max(r[1] for r in rows),
        max(r[3] for r in rows),
        max(r[6] for r in rows),
    )
    print(
        f"targets: drawing <= 60 ms p95: {'met' if draw_worst <= 60 else 'NOT met'} (wall {draw_worst:.2f}, "
        f"CPU {cpu_worst:.2f}); cached with its chart <= 5 ms p95: "
        f"{'met' if cached_worst <= 5 else 'NOT met'} ({cached_worst:.2f})"
    )


if __name__ == "__main__":
    main()
