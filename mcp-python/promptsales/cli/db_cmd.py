"""`promptsales db init`: apply db-init/ to every configured database, in dependency order."""

from __future__ import annotations

import argparse
import importlib

from promptsales import interrupts, progress
from promptsales.errors import Interrupted
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
    targets = list(args.only or TARGETS)
    with progress.activity("db init"), interrupts.watch() as watch:
        for target in targets:
            progress.report(target)
            try:
                lines = resolve(target)(settings)
            except KeyboardInterrupt as exc:
                raise Interrupted(_interrupted(target, watch.committed, targets)) from exc
            for line in lines:
                print(f"{target}: {line}")
    return 0


def _interrupted(target: str, committed: list[str], targets: list[str]) -> str:
    """Each file is applied in its own transaction: name the ones applied and say the rest are untouched."""
    rest = targets[targets.index(target) + 1 :]
    applied = ", ".join(committed) or "none"
    return (
        f"stopped in {target}; files applied whole: {applied}; the file under way was rolled back whole"
        f"{'; not started: ' + ', '.join(rest) if rest else ''}. Every file is safe to re-run: "
        "run `promptsales db init` again"
    )
