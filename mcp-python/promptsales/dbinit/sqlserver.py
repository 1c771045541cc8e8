"""Applying T-SQL files to a real SQL Server through pyodbc: the production path of `db init`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from promptsales import clients
from promptsales.errors import UserError
from promptsales.settings import Settings
from promptsales.standin import marker, split_batches


def apply_files(settings: Settings, database: Literal["ads", "crm"], paths: Iterable[Path]) -> list[str]:
    """Run each file unchanged, batch by batch as sqlcmd does, one commit per file; stop at the first error."""
    lines: list[str] = []
    connection = clients.sqlserver(settings, database)
    current = None
    try:
        for path in paths:
            current = path
            marker(path)  # every file must declare how the stand-in treats it, SQL Server or not
            cursor = connection.cursor()
            for batch in split_batches(path.read_text()):
                cursor.execute(batch)
            connection.commit()
            lines.append(f"applied {path.name} on SQL Server")
    except Exception as exc:
        connection.rollback()
        where = f"{current.parent.name}/{current.name}" if current else "db-init"
        raise UserError(f"{where} failed on SQL Server: {exc}") from exc
    finally:
        connection.close()
    return lines
