"""Benchmark: generate and load PromptAds (1,000 campaigns with every child row) into the stand-in.

Target (issue #4): generate + load in <= 20 s on the project machine. Runs against a throwaway
database on the local stack (created, given the schema by `db init`'s own code, dropped afterwards),
so the demo data is never touched.

    promptsales bench ads_load [--campaigns 1000] [--seed 42] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from promptsales import clients
from promptsales.dbinit import ads as ads_dbinit
from promptsales.generators.ads.loaders import load_standin
from promptsales.generators.ads.world import generate
from promptsales.generators.options import SeedOptions
from promptsales.localstack.stack import ensure_local_secrets
from promptsales_testkit.world import isolated_world

TARGET_SECONDS = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the figures of each are printed")
    args = parser.parse_args()
    options = SeedOptions(seed=args.seed, campaigns=args.campaigns)

    worst = 0.0
    with isolated_world(
        ensure_local_secrets(), "bench", postgres=("ads_standin_database",), redis=False, sources="standin"
    ) as settings:
        ads_dbinit.apply(settings)
        print(f"ads_load: {args.campaigns:,} campaigns, seed {args.seed}, into a throwaway stand-in database")
        for run in range(1, args.repeat + 1):
            started = time.perf_counter()
            world = generate(options)
            generated = time.perf_counter()
            with clients.ads_standin(settings, autocommit=True) as conn:
                load_standin(conn, world)
            finished = time.perf_counter()
            rows = sum(len(table) for table in world.values())
            total = finished - started
            worst = max(worst, total)
            print(
                f"run {run}: {rows:,} rows; generate {generated - started:.2f} s, "
                f"load {finished - generated:.2f} s, total {total:.2f} s; "
                f"{rows / total:,.0f} rows/s overall, {rows / (finished - generated):,.0f} rows/s loading"
            )
        verdict = "meets" if worst <= TARGET_SECONDS else "MISSES"
        print(f"slowest run {worst:.2f} s: {verdict} the <= {TARGET_SECONDS:.0f} s target")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
