"""`promptsales db init`: apply db-init/ to every configured database, in dependency order."""

from __future__ import annotations

import argparse
import importlib

from promptsales.settings import get_settings

# database -> "module:function"; each function takes Settings and returns lines describing what it applied.
# PromptAds before PromptCrm (the CRM refers to Ads campaigns); PromptSales last (it summarizes them all).
TARGETS = {
    "promptcontent": "promptsales.dbinit.content:apply",
    "promptads": "promptsales.dbinit.ads:apply",
    "promptcrm": "promptsales.dbinit.crm:apply",
    "promptsales": "promptsales.dbinit.central:apply",
}


def resolve(target: str):
    module, function = TARGETS[target].split(":")
    return getattr(importlib.import_module(module), function)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="create the database schemas from db-init/")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="apply db-init/ (safe to re-run)")
    init.add_argument("--only", nargs="+", choices=list(TARGETS), help="only these databases")
    init.set_defaults(handler=_init)


def _init(args: argparse.Namespace) -> int:
    settings = get_settings()
    for target in args.only or TARGETS:
        for line in resolve(target)(settings):
            print(f"{target}: {line}")
    return 0
