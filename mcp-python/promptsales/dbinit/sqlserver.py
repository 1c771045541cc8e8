"""The SQL Server databases (PromptAds, PromptCrm) from their db-init folders: the T-SQL files unchanged on a
real SQL Server through pyodbc (production), or transpiled onto the PostgreSQL stand-in (local)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from promptsales import clients, interrupts, progress
from promptsales.errors import Unavailable
from promptsales.settings import Settings
from promptsales.standin import apply_standin, marker, split_batches


def apply_files(settings: Settings, database: Literal["ads", "crm"], paths: Iterable[Path]) -> list[str]:
    """Run each file unchanged, batch by batch as sqlcmd does, one commit per file; stop at the first error."""
    lines: list[str] = []
    connection = clients.sqlserver(settings, database)
    current = None
    try:
        for path in paths:
            current = path
            marker(path)  # every file must declare how the stand-in treats it, SQL Server or not
            progress.report(f"{path.parent.name}: applying {path.name} on SQL Server")
            cursor = connection.cursor()
            for batch in split_batches(path.read_text()):
                cursor.execute(batch)
            with interrupts.held():
                connection.commit()
                interrupts.committed(f"{path.parent.name}/{path.name}")
            lines.append(f"applied {path.name} on SQL Server")
    except Exception as exc:
        connection.rollback()
        where = f"{current.parent.name}/{current.name}" if current else "db-init"
        raise Unavailable(f"{where} failed on SQL Server: {exc}") from exc
    finally:
        connection.close()
    return lines


def apply_database(
    settings: Settings, database: Literal["ads", "crm"], sql_dir: Path, sqlserver_files: Iterable[Path]
) -> list[str]:
    """`sources = "sqlserver"`: `sqlserver_files`, unchanged. `sources = "standin"`: the folder's
    "-- Stand-in: transpile" files, transpiled, on the stand-in. Both are safe to re-run."""
    if settings.sources == "sqlserver":
        return apply_files(settings, database, sqlserver_files)
    connect = clients.ads_standin if database == "ads" else clients.crm_standin
    with connect(settings) as conn:
        return apply_standin(conn, sql_dir)
