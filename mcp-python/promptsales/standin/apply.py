"""Applying a db-init T-SQL directory to a PostgreSQL stand-in database."""

from __future__ import annotations

from pathlib import Path

import psycopg

from promptsales import interrupts, progress
from promptsales.errors import Unavailable
from promptsales.standin.script import marker, postgres_file, statements_for_standin


def apply_standin(conn: psycopg.Connection, directory: Path) -> list[str]:
    """Apply every "-- Stand-in: transpile" file of `directory` in name order, and for each "-- Stand-in:
    postgres-file" file the PostgreSQL file it names, unchanged; one transaction per file.

    Returns one line per file saying what happened to it. A file that fails is rolled back whole and
    raises Unavailable naming the file and the PostgreSQL message; the files before it stay applied.
    """
    lines: list[str] = []
    for path in sorted(directory.glob("*.sql")):
        kind = marker(path)
        if kind not in ("transpile", "postgres-file"):
            lines.append(f"skipped {path.name} ({kind})")
            continue
        statements = statements_for_standin(path)
        done = (
            f"applied {path.name} (stand-in: {postgres_file(path).relative_to(directory)})"
            if kind == "postgres-file"
            else f"applied {path.name} ({len(statements)} statements)"
        )
        progress.report(f"{directory.name}: applying {path.name} ({len(statements)} statements)")
        try:
            with interrupts.atomic(conn, f"{directory.name}/{path.name}"):
                for statement in statements:
                    conn.execute(statement)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0]
            raise Unavailable(f"{directory.name}/{path.name} failed on the stand-in: {message}") from exc
        lines.append(done)
    return lines
