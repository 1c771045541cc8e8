"""`promptsales etl run|log`: run the n8n ETL workflow once now and print what changed; show the run log."""

from __future__ import annotations

import argparse

from promptsales import clients, progress
from promptsales.errors import Interrupted, InvalidInput
from promptsales.etl import runner
from promptsales.n8n_client import N8nClient
from promptsales.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("etl", help="the delta ETL into PromptSales (an n8n workflow)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run the ETL workflow once now and print what changed")
    run.add_argument(
        "--full",
        action="store_true",
        help="read every source row again, not only the deltas (catches rows deleted at a source; "
        "the workflow also does this every day at 03:00 UTC)",
    )
    run.set_defaults(handler=_run)
    log = actions.add_parser("log", help="print the latest entries of etl.run_log")
    log.add_argument("-n", "--limit", type=int, default=5, help="how many runs (default 5)")
    log.set_defaults(handler=_log)


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    n8n = N8nClient(settings, timeout=600)
    try:
        with clients.postgres(settings, autocommit=True) as central, progress.activity("etl run"):
            progress.report(
                f"waiting for n8n's ETL workflow to finish its {'full ' if args.full else ''}run "
                f"(the webhook answers when the run has ended)"
            )
            try:
                entry = runner.run_once(n8n, central, full=args.full)
            except KeyboardInterrupt as exc:
                raise Interrupted(_stopped_waiting(central)) from exc
    finally:
        n8n.close()
    print(runner.format_run(entry))
    return 0 if entry["status"] == "succeeded" else 1


def _stopped_waiting(central) -> str:
    """Ctrl-C stops the waiting, not the run: n8n finishes it on its own, committing or rolling back."""
    running = central.execute(
        "SELECT run_id FROM etl.run_log WHERE status = 'running' AND trigger = 'manual' "
        "ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    which = f"run {running[0]}" if running else "the run"
    return (
        f"stopped waiting; {which} goes on in n8n and ends by itself (its steps commit one after another "
        "so that a run stopped at any point loses or double-counts nothing: the next run completes it; see "
        "docs/promptsales-etl.md); `promptsales etl log` shows how it ended"
    )


def _log(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InvalidInput(f"--limit must be at least 1 (got {args.limit})")
    with clients.postgres(get_settings(), autocommit=True) as central:
        for entry in runner.recent_runs(central, args.limit):
            print(runner.format_run(entry))
    return 0
