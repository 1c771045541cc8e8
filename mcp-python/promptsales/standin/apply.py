"""Applying a db-init T-SQL directory to a PostgreSQL stand-in database."""

from __future__ import annotations

from pathlib import Path

import psycopg

from promptsales.standin.script import StandinError, marker, postgres_file, transpile_tsql


def apply_standin(conn: psycopg.Connection, directory: Path) -> list[str]:
    """Apply every "-- Stand-in: transpile" file of `directory` in name order, and for each "-- Stand-in:
    postgres-file" file the PostgreSQL file it names, unchanged; one transaction per file.

    Returns one line per file saying what happened to it. A file that fails is rolled back whole and
    raises StandinError naming the file and the PostgreSQL message; the files before it stay applied.
    """
    lines: list[str] = []
    for path in sorted(directory.glob("*.sql")):
        kind = marker(path)
        if kind == "postgres-file":
            standin = postgres_file(path)
            statements = [standin.read_text()]
            done = f"applied {path.name} (stand-in: {standin.relative_to(directory)})"
        elif kind == "transpile":
            statements = transpile_tsql(path.read_text(), source=path.name)
            done = f"applied {path.name} ({len(statements)} statements)"
        else:
            lines.append(f"skipped {path.name} ({kind})")
            continue
        try:
            with conn.transaction():
                for statement in statements:
                    conn.execute(statement)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0]
            raise StandinError(f"{directory.name}/{path.name} failed on the stand-in: {message}") from exc
        lines.append(done)
    return lines
