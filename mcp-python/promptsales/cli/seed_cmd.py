"""`promptsales seed`: fill the databases with the seeded, cross-consistent generated data.

The generators replace what they load (TRUNCATE / DELETE / delete_many first). `--if-empty` is the guard
for places where data may already be real (a cluster's bootstrap): a database that holds any row of its
first generated table is left untouched and named, and only empty ones are loaded.
"""

from __future__ import annotations

import argparse
import importlib
import time

from promptsales import clients, interrupts, progress
from promptsales.errors import Interrupted, InvalidInput
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings, get_settings

# Order matters: the CRM generator reads PromptAds campaigns; content reads both for campaign requests.
TARGETS = {
    "promptads": "promptsales.generators.ads:load",
    "promptcrm": "promptsales.generators.crm:load",
    "promptcontent": "promptsales.generators.content:load",
}
# The table (collection) each generator fills first: any row in it means the database holds data.
FIRST_TABLES = {"promptads": "ads.Campaigns", "promptcrm": "crm.Clients", "promptcontent": "images"}


def register(subparsers: argparse._SubParsersAction) -> None:
    defaults = SeedOptions()
    parser = subparsers.add_parser("seed", help="generate and load the seeded data")
    parser.add_argument("--images", type=int, default=defaults.images, help="images in PromptContent (>= 1)")
    parser.add_argument(
        "--campaigns", type=int, default=defaults.campaigns, help="campaigns in PromptAds (>= 1)"
    )
    parser.add_argument("--clients", type=int, default=defaults.clients, help="clients in PromptCrm")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed; same seed, same data")
    parser.add_argument("--only", nargs="+", choices=list(TARGETS), help="only these databases")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only databases that hold no data yet; leave the others untouched",
    )
    parser.set_defaults(handler=_seed)


def _seed(args: argparse.Namespace) -> int:
    try:
        options = SeedOptions(
            seed=args.seed, images=args.images, campaigns=args.campaigns, clients=args.clients
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    settings = get_settings()
    targets = list(args.only or TARGETS)
    done: list[str] = []
    with progress.activity("seed"):
        for target in targets:
            if args.if_empty and holds_data(settings, target):
                print(
                    f"{target}: not seeded: {FIRST_TABLES[target]} already has rows (--if-empty leaves data alone)"
                )
                continue
            module, function = TARGETS[target].split(":")
            progress.report(f"{target}: generating")
            started = time.perf_counter()
            with interrupts.watch() as watch:
                try:
                    summary = getattr(importlib.import_module(module), function)(settings, options)
                except KeyboardInterrupt as exc:
                    raise Interrupted(
                        _interrupted(
                            target, target in watch.committed, done, targets[targets.index(target) + 1 :]
                        )
                    ) from exc
            elapsed = time.perf_counter() - started
            done.append(target)
            counts = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in summary.items())
            total = sum(v for v in summary.values() if isinstance(v, int))
            # PromptContent's time goes to drawing and embedding images, not to rows: no rate for it.
            rate = "" if target == "promptcontent" else f", {total / elapsed:,.0f} rows/s"
            print(f"{target}: {counts} ({total:,} rows in {elapsed:.1f} s{rate})")
    return 0


def _interrupted(target: str, complete: bool, done: list[str], rest: list[str]) -> str:
    """Which databases hold the new data and which were left as they were: each loads in one transaction
    (PromptContent's writes are held together), so there is no third state."""
    parts = [f"{', '.join(done)} seeded completely"] if done else []
    if complete:
        parts.append(f"{target} seeded completely (Ctrl-C came as it committed)")
    else:
        parts.append(f"{target} left as it was before this seed (its load was rolled back)")
    if rest:
        parts.append(f"{', '.join(rest)} not started (left as before)")
    return "; ".join(parts) + ". Run `promptsales seed` again to seed everything with one seed."


def holds_data(settings: Settings, target: str) -> bool:
    """Whether the target's first generated table has a row (the names are constants, never user input)."""
    table = FIRST_TABLES[target]
    if target == "promptcontent":
        mongo = clients.mongo(settings)
        try:
            return clients.mongo_db(mongo, settings)[table].find_one({}, {"_id": 1}) is not None
        finally:
            mongo.close()
    if settings.sources == "sqlserver":
        connection = clients.sqlserver(settings, "ads" if target == "promptads" else "crm")
        try:
            return connection.cursor().execute(f"SELECT TOP (1) 1 FROM {table}").fetchone() is not None
        finally:
            connection.close()
    connect = clients.ads_standin if target == "promptads" else clients.crm_standin
    with connect(settings) as conn:
        return conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
