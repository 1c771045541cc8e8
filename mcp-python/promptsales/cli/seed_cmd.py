"""`promptsales seed`: fill the databases with the seeded, cross-consistent generated data."""

from __future__ import annotations

import argparse
import importlib
import time

from generators.options import SeedOptions
from promptsales.errors import UserError
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
    for target in args.only or TARGETS:
        module, function = TARGETS[target].split(":")
        started = time.perf_counter()
        summary = getattr(importlib.import_module(module), function)(settings, options)
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in summary.items())
        print(f"{target}: {counts} ({elapsed:.1f} s)")
    return 0
