"""`promptsales seed`: fill the databases with the seeded, cross-consistent generated data."""

from __future__ import annotations

import argparse
import importlib
import time

from generators.options import SeedOptions
from promptsales import interrupts, progress
from promptsales.errors import Interrupted, UserError
from promptsales.settings import get_settings

# Order matters: the CRM generator reads PromptAds campaigns; content reads both for campaign requests.
TARGETS = {
    "promptads": "generators.ads:load",
    "promptcrm": "generators.crm:load",
    "promptcontent": "generators.content:load",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    defaults = SeedOptions()
    parser = subparsers.add_parser("seed", help="generate and load the seeded data")
    parser.add_argument("--images", type=int, default=defaults.images, help="images in PromptContent (>= 1)")
    parser.add_argument("--campaigns", type=int, default=defaults.campaigns, help="campaigns in PromptAds (>= 1)")
    parser.add_argument("--clients", type=int, default=defaults.clients, help="clients in PromptCrm")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed; same seed, same data")
    parser.add_argument("--only", nargs="+", choices=list(TARGETS), help="only these databases")
    parser.set_defaults(handler=_seed)


def _seed(args: argparse.Namespace) -> int:
    try:
        options = SeedOptions(seed=args.seed, images=args.images, campaigns=args.campaigns, clients=args.clients)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    settings = get_settings()
    targets = list(args.only or TARGETS)
    done: list[str] = []
    with progress.activity("seed"):
        for target in targets:
            module, function = TARGETS[target].split(":")
            progress.report(f"{target}: generating")
            started = time.perf_counter()
            with interrupts.watch() as watch:
                try:
                    summary = getattr(importlib.import_module(module), function)(settings, options)
                except KeyboardInterrupt as exc:
                    raise Interrupted(_interrupted(target, target in watch.committed, done,
                                                   targets[targets.index(target) + 1:])) from exc
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
