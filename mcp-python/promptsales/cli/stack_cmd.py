"""`promptsales stack up|down|status`: the local services on 127.0.0.1, state under .promptsales/."""

from __future__ import annotations

import argparse

from promptsales import progress
from promptsales.settings import get_settings

SERVICE_NAMES = ["postgres", "redis", "mongodb", "n8n"]


def _stack():
    # Imported when a stack command runs, not when the CLI starts: `promptsales mcp serve` has no use for
    # it, and it was a fifth of the content server's time to `tools/list` (0.24 of 1.28 s of imports).
    from promptsales.localstack import stack

    return stack


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stack", help="run the local stack (PostgreSQL, Redis, MongoDB-wire, n8n)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    up = actions.add_parser("up", help="start every service (idempotent) and wait until each answers")
    up.add_argument("--only", nargs="+", choices=SERVICE_NAMES, help="start only these services")
    up.set_defaults(handler=_up)
    actions.add_parser("down", help="stop what `stack up` started").set_defaults(handler=_down)
    actions.add_parser("status", help="each service, its address and health").set_defaults(handler=_status)


def _print(statuses) -> bool:
    width = max(len(s.name) for s in statuses)
    for s in statuses:
        state = "healthy" if s.healthy else ("running, unhealthy" if s.running else "stopped")
        pid = f"pid {s.pid}" if s.pid else "-"
        print(f"{s.name:<{width}}  {state:<18}  {s.address:<28}  {pid:<10}  {s.detail}")
    return all(s.healthy for s in statuses)


def _up(args: argparse.Namespace) -> int:
    stack = _stack()
    settings = stack.ensure_local_secrets()
    with progress.activity("stack up"):
        statuses = stack.up(settings, set(args.only) if args.only else None)
    return 0 if _print(statuses) else 1


def _down(args: argparse.Namespace) -> int:
    stopped = _stack().down(get_settings())
    print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def _status(args: argparse.Namespace) -> int:
    return 0 if _print(_stack().status(get_settings())) else 1
