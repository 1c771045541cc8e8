"""Benchmark: generate and load PromptCrm (500,000 clients with links, leads, interactions and sales) into the stand-in.

Target (issue #5): generate + load in <= 60 s with a peak memory <= 1.5 GB, on the project machine.
Runs against a throwaway pair of stand-in databases on the local stack: PromptAds is generated first (by
its own generator, in its own process, not timed), then each CRM run happens in a fresh process, so its
peak resident memory is its own. The figures include reading the campaigns from PromptAds.

    promptsales bench crm_load [--clients 500000] [--campaigns 1000] [--seed 42] [--repeat 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

from promptsales.localstack.stack import ensure_local_secrets
from promptsales.settings import Settings
from promptsales_testkit.world import isolated_world

TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 1536.0


def _seed_ads(settings: Settings, options) -> None:
    from promptsales.dbinit import ads as ads_dbinit
    from promptsales.dbinit import crm as crm_dbinit
    from promptsales.generators import ads as ads_generator

    ads_dbinit.apply(settings)
    crm_dbinit.apply(settings)
    ads_generator.load(settings, options)


def _crm_run(settings: Settings, options) -> dict:
    from promptsales import clients
    from promptsales.generators.crm.build import build
    from promptsales.generators.crm.sink import load_standin
    from promptsales.generators.crm.source import read_ads_facts

    started = time.perf_counter()
    facts = read_ads_facts(settings)
    read = time.perf_counter()
    tables = build(facts, options.clients, options.seed)
    built = time.perf_counter()
    with clients.crm_standin(settings) as conn:
        counts = load_standin(conn, tables)
    finished = time.perf_counter()
    return {
        "read": read - started,
        "build": built - read,
        "load": finished - built,
        "total": finished - started,
        "rows": sum(counts.values()),
        "counts": counts,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    from promptsales.generators.options import SeedOptions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500_000)
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=2, help="runs; the figures of each are printed")
    args = parser.parse_args()
    options = SeedOptions(seed=args.seed, campaigns=args.campaigns, clients=args.clients)

    context = multiprocessing.get_context("spawn")
    worst, peak = 0.0, 0.0
    sources = ("ads_standin_database", "crm_standin_database")
    with isolated_world(
        ensure_local_secrets(), "bench", postgres=sources, redis=False, sources="standin"
    ) as settings:
        with context.Pool(1, maxtasksperchild=1) as pool:
            pool.apply(_seed_ads, (settings, options))
        print(
            f"crm_load: {args.clients:,} clients against {args.campaigns:,} freshly generated PromptAds "
            f"campaigns, seed {args.seed}, into throwaway stand-in databases"
        )
        for run in range(1, args.repeat + 1):
            with context.Pool(1, maxtasksperchild=1) as pool:
                result = pool.apply(_crm_run, (settings, options))
            worst, peak = max(worst, result["total"]), max(peak, result["peak_mb"])
            counts = ", ".join(f"{name.split('.')[1]} {count:,}" for name, count in result["counts"].items())
            print(f"run {run}: {result['rows']:,} rows ({counts})")
            print(
                f"       read PromptAds {result['read']:.2f} s, generate {result['build']:.2f} s, "
                f"load {result['load']:.2f} s, total {result['total']:.2f} s; "
                f"{result['rows'] / result['total']:,.0f} rows/s overall, "
                f"{result['rows'] / result['load']:,.0f} rows/s loading; peak RSS {result['peak_mb']:,.0f} MB"
            )
        ok = worst <= TARGET_SECONDS and peak <= TARGET_PEAK_MB
        print(
            f"slowest run {worst:.2f} s, highest peak RSS {peak:,.0f} MB: "
            f"{'meets' if ok else 'MISSES'} the <= {TARGET_SECONDS:.0f} s and <= {TARGET_PEAK_MB:,.0f} MB target"
        )
    return 0 if worst <= TARGET_SECONDS and peak <= TARGET_PEAK_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
