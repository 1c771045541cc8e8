"""Benchmark: the n8n delta ETL, a full first run for all campaigns, then runs after 1% of the source
rows changed. Prints both times and their ratio (targets: full <= 60 s, delta <= 10% of full).

Runs in an isolated world (promptsales.etl.sandbox: fresh databases, n8n credentials pointed at them,
restored afterwards), so the stack's own data is untouched. Needs the local stack with n8n running.

  promptsales bench etl_runs [--campaigns 1000] [--clients-per-campaign 400] [--seed 42]
  promptsales bench etl_runs --generators [--campaigns 1000 --clients 500000]   # the real generators

Two kinds of 1% change are measured, because the ETL re-sums every campaign a change touches:
  clustered - 1% of the result rows, all in the newest campaigns (new days of results arriving);
  spread    - 1% of the result rows drawn uniformly, touching most campaigns (the worst case).
"""

from __future__ import annotations

import argparse
import time

from promptsales.etl import runner, sample
from promptsales.etl.sandbox import isolated_etl
from promptsales.settings import get_settings


def _timed_run(world) -> tuple[float, dict]:
    started = time.perf_counter()
    entry = runner.run_once(world.n8n, world.central)
    return time.perf_counter() - started, entry


def _change(world, fraction: float, clustered: bool, seed: int) -> int:
    total = world.ads.execute("SELECT count(*) FROM ads.adresults").fetchone()[0]
    k = max(1, int(total * fraction))
    if clustered:
        picked = "SELECT r.ctid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid " \
                 "ORDER BY a.campaignid DESC, r.resultdate DESC LIMIT %s"
        params: tuple = (k,)
    else:
        picked = "SELECT ctid FROM ads.adresults ORDER BY md5(ctid::text || %s) LIMIT %s"
        params = (str(seed), k)
    world.ads.execute(f"UPDATE ads.adresults SET views = views + 1, revenue = revenue + 1 "
                      f"WHERE ctid IN ({picked})", params)
    crm_total = world.crm.execute("SELECT count(*) FROM crm.sales").fetchone()[0]
    order = "campaignid DESC" if clustered else "md5(saleid::text)"
    world.crm.execute(f"UPDATE crm.sales SET amount = amount + 1 WHERE saleid IN ("
                      f"SELECT saleid FROM crm.sales ORDER BY {order} LIMIT %s)", (max(1, crm_total // 100),))
    return k


def main() -> None:
    parser = argparse.ArgumentParser(prog="promptsales bench etl_runs", description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--clients-per-campaign", type=int, default=400)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--generators", action="store_true",
                        help="load the real PromptAds/PromptCrm generators into the real stand-in schemas")
    parser.add_argument("--clients", type=int, default=500_000, help="with --generators: CRM clients")
    args = parser.parse_args()
    if args.campaigns < 1 or args.clients_per_campaign < 1:
        parser.error("--campaigns and --clients-per-campaign must be at least 1")
    size = sample.SampleSize(campaigns=args.campaigns, ads_per_campaign=4, days=30,
                             clients_per_campaign=args.clients_per_campaign, leads_per_campaign=40, images=120)
    with isolated_etl(get_settings(), real_schemas=args.generators) as world:
        started = time.perf_counter()
        if args.generators:
            import generators.ads
            import generators.crm
            from generators.options import SeedOptions

            options = SeedOptions(campaigns=args.campaigns, clients=args.clients, seed=args.seed)
            generators.ads.load(world.settings, options)
            generators.crm.load(world.settings, options)
            for conn in (world.ads, world.crm):
                conn.execute("ANALYZE")
        else:
            sample.load_sources(world.ads, world.crm, size, seed=args.seed)
        sample.load_images(world.mongo_db, size)
        results = world.ads.execute("SELECT count(*) FROM ads.adresults").fetchone()[0]
        links = world.crm.execute("SELECT count(*) FROM crm.clientcampaigns").fetchone()[0]
        print(f"sources: {args.campaigns} campaigns, {results} ad results, {links} client links "
              f"(loaded in {time.perf_counter() - started:.1f} s)")
        full, entry = _timed_run(world)
        print(f"full run:            {full:6.2f} s  ({entry['rows_changed'].get('campaign_summary')} campaign "
              f"summaries written, run {entry['run_id']})")
        idle, entry = _timed_run(world)
        print(f"no-change run:       {idle:6.2f} s  ({entry['rows_changed'].get('campaign_summary')} written)")
        for label, clustered in (("clustered", True), ("spread", False)):
            k = _change(world, 0.01, clustered, args.seed)
            delta, entry = _timed_run(world)
            touched = entry["rows_read"].get("promptads.campaigns")
            print(f"1% {label:9s} run:  {delta:6.2f} s  ({k} result rows changed, {touched} campaigns re-summed, "
                  f"ratio {delta / full:.1%} of full)")
        print(f"targets: full <= 60 s: {'met' if full <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
