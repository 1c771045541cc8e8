"""`promptsales`: drive the local stack, databases, generators, n8n, the ETL and the MCP servers.

Each subcommand lives in its own module beside this one and exposes `register(subparsers)`,
which adds its parser and sets `handler(args) -> int`. Errors are turned into exit codes here and nowhere
else: 0 ok; 2 usage (argparse) or invalid input (`InvalidInput`: a bad value, a bad setting); 1 anything
else a person can act on (`NotFound`, `Unavailable`, a server that is not reachable); 130 interrupted;
141 output closed early (e.g. piped into `head`). `-v` is accepted before the subcommand and after it.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

import psycopg
import pymongo.errors
import redis.exceptions

from promptsales.errors import Interrupted, InvalidInput, PromptSalesError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# Connection failures to the stack's servers, and how the one-line error names each.
UNREACHABLE = {
    psycopg.OperationalError: "PostgreSQL",
    pymongo.errors.ConnectionFailure: "MongoDB",
    redis.exceptions.ConnectionError: "Redis",
}

COMMAND_MODULES = [
    "promptsales.cli.stack_cmd",
    "promptsales.cli.db_cmd",
    "promptsales.cli.seed_cmd",
    "promptsales.cli.n8n_cmd",
    "promptsales.cli.mcp_cmd",
    "promptsales.cli.bench_cmd",
    "promptsales.cli.etl_cmd",
]


def _verbose_flag(default) -> argparse.ArgumentParser:
    flag = argparse.ArgumentParser(add_help=False)
    flag.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log more detail to stderr"
    )
    return flag


class _Parser(argparse.ArgumentParser):
    """Every subcommand's parser (argparse builds nested ones of the same class) takes `-v` too; its
    default is left unset there, so a `-v` given before the subcommand still counts."""

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, parents=[*parents, _verbose_flag(argparse.SUPPRESS)], **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="promptsales", description=__doc__.splitlines()[0], parents=[_verbose_flag(False)]
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with usage on a bad command or flag
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or EXIT_OK)
    except PromptSalesError as exc:
        print(f"promptsales {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, InvalidInput) else EXIT_FAILURE
    except tuple(UNREACHABLE) as exc:
        if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is not None:
            raise  # the server answered (a lock or statement timeout...): not a connection problem
        # A server that is down or unreachable is the user's to fix, not a bug: one line, not a traceback.
        server = next(name for kind, name in UNREACHABLE.items() if isinstance(exc, kind))
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        print(
            f"promptsales {args.command}: {server} is not reachable ({reason}); is the stack up? "
            "See `promptsales stack status`.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except Interrupted as exc:
        print(f"promptsales {args.command}: interrupted (Ctrl-C): {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print(f"promptsales {args.command}: interrupted (Ctrl-C)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`promptsales etl log -n 500 | head`): nothing more to say, and Python's
        # flush at exit must not fail on the closed pipe either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
