"""CR12: a deadlock between two clients on two computers. Run one copy per computer, each with its role.

Role a moves points from client 1 to client 2, role b from client 2 to client 1; each holds its first row
for --hold-seconds before asking for the second. Started within that window of each other, the broken
version deadlocks and the server ends one of them; the fixed version locks the lower ClientId first, so
one waits for the other and both commit.

On two computers against the PromptCrm SQL Server (PROMPTCRM_MSSQL_* settings on each computer):
    computer A:  python -m promptsales.crm_demos.deadlock_client --role a --mode broken --backend sqlserver
    computer B (within 10 s):  python -m promptsales.crm_demos.deadlock_client --role b --mode broken --backend sqlserver
    then both again with --mode fixed.
Against the local PostgreSQL stand-in (two terminals): the same with --backend standin.
Exit codes: 0 committed, 3 chosen as the deadlock victim (rolled back, nothing written), 1 other failure, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
import time

from promptsales import clients
from promptsales.crm_demos import scenarios
from promptsales.settings import get_settings

DEADLOCK_VICTIM = 3
SQLSERVER_DEADLOCK = "1205"
PROCEDURES = {
    "broken": "crm.PRCRMSP_TransferLoyaltyPointsUnsafe",
    "fixed": "crm.PRCRMSP_TransferLoyaltyPoints",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="deadlock_client", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--role", choices=["a", "b"], required=True, help="a: client 1 -> 2, b: client 2 -> 1"
    )
    parser.add_argument("--mode", choices=["broken", "fixed"], required=True)
    parser.add_argument(
        "--backend", choices=["standin", "sqlserver"], default=None, help="default: settings.sources"
    )
    parser.add_argument("--database", help="stand-in database name (default: settings)")
    parser.add_argument(
        "--hold-seconds", type=float, default=10.0, help="how long the first row is held (0-60)"
    )
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--first-client", type=int, default=1)
    parser.add_argument("--second-client", type=int, default=2)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    backend = args.backend or settings.sources
    source, target = (
        (args.first_client, args.second_client)
        if args.role == "a"
        else (args.second_client, args.first_client)
    )
    started = time.monotonic()
    print(
        f"role {args.role} ({args.mode}, {backend}): moving {args.points} points from client {source} "
        f"to client {target}, holding the first row {args.hold_seconds:g} s",
        flush=True,
    )
    try:
        if backend == "sqlserver":
            _run_sqlserver(settings, args, source, target)
        else:
            database = args.database or settings.postgres.crm_standin_database
            with clients.postgres(settings, database, autocommit=True) as conn:
                scenarios.TWINS[PROCEDURES[args.mode]](conn, source, target, args.points, args.hold_seconds)
    except Exception as exc:  # the driver's error types differ; both carry the deadlock code
        if _is_deadlock(exc):
            print(
                f"role {args.role}: DEADLOCK VICTIM after {time.monotonic() - started:.1f} s, rolled back: "
                f"{str(exc).strip().splitlines()[0]}",
                flush=True,
            )
            return DEADLOCK_VICTIM
        raise
    print(f"role {args.role}: COMMITTED after {time.monotonic() - started:.1f} s", flush=True)
    return 0


def _run_sqlserver(settings, args: argparse.Namespace, source: int, target: int) -> None:
    connection = clients.sqlserver(settings, "crm")
    # The procedure owns its transaction, as in a sqlcmd session: no implicit transaction around the call.
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute(
            f"EXEC {PROCEDURES[args.mode]} @FromClientId = ?, @ToClientId = ?, @Points = ?, @DelaySeconds = ?",
            source,
            target,
            args.points,
            round(args.hold_seconds),
        )
        while cursor.nextset():  # an error raised after a result set arrives with the next one
            pass
    finally:
        connection.close()


def _is_deadlock(exc: Exception) -> bool:
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate == "40P01":  # PostgreSQL deadlock_detected
        return True
    return SQLSERVER_DEADLOCK in str(exc) and "deadlock" in str(exc).lower()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not 0 <= args.hold_seconds <= 60 or args.points <= 0 or args.first_client == args.second_client:
        print(
            "deadlock_client: --hold-seconds must be 0-60, --points positive, and the clients different",
            file=sys.stderr,
        )
        return 2
    try:
        return run(args)
    except Exception as exc:  # noqa: BLE001 - a demo tool: one line for the person at the keyboard
        print(f"role {args.role}: FAILED: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
