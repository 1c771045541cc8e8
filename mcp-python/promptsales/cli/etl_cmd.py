"""`promptsales etl run|log`: run the n8n ETL workflow once now and print what changed; show the run log."""

from __future__ import annotations

import argparse

from promptsales import clients
from promptsales.errors import UserError
from promptsales.etl import runner
from promptsales.n8n_client import N8nClient
from promptsales.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("etl", help="the delta ETL into PromptSales (an n8n workflow)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run the ETL workflow once now and print what changed")
    run.add_argument("--full", action="store_true",
                     help="read every source row again, not only the deltas (catches rows deleted at a source; "
                          "the workflow also does this every day at 03:00 UTC)")
    run.set_defaults(handler=_run)
    log = actions.add_parser("log", help="print the latest entries of etl.run_log")
    log.add_argument("-n", "--limit", type=int, default=5, help="how many runs (default 5)")
    log.set_defaults(handler=_log)


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    n8n = N8nClient(settings, timeout=600)
    try:
        with clients.postgres(settings, autocommit=True) as central:
            entry = runner.run_once(n8n, central, full=args.full)
    finally:
        n8n.close()
    print(runner.format_run(entry))
    return 0 if entry["status"] == "succeeded" else 1


def _log(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UserError(f"--limit must be at least 1 (got {args.limit})")
    with clients.postgres(get_settings(), autocommit=True) as central:
        for entry in runner.recent_runs(central, args.limit):
            print(runner.format_run(entry))
    return 0
