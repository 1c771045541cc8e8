"""PromptAds: apply db-init/promptads/ to the configured PromptAds database.

`sources = "standin"`: the "-- Stand-in: transpile" files, transpiled, on the PostgreSQL stand-in.
`sources = "sqlserver"`: every file, unchanged, batch by batch (split on GO, as sqlcmd does) through pyodbc.
Both are safe to re-run: the T-SQL guards every CREATE.
"""

from __future__ import annotations

import re
from pathlib import Path

from promptsales import clients
from promptsales.errors import UserError
from promptsales.settings import PROJECT_ROOT, Settings
from promptsales.standin import StandinError, apply_standin, marker

SQL_DIR = PROJECT_ROOT / "db-init" / "promptads"
GO_RE = re.compile(r"^\s*GO\s*;?\s*$", re.MULTILINE | re.IGNORECASE)
# Scripts a person runs on purpose (queries, demos, monitoring) are not part of `db init`.
SQLSERVER_INIT_PREFIXES = ("0",)


def apply(settings: Settings) -> list[str]:
    if settings.sources == "sqlserver":
        return apply_sqlserver(settings)
    with clients.ads_standin(settings) as conn:
        try:
            return apply_standin(conn, SQL_DIR)
        except StandinError as exc:
            raise UserError(str(exc)) from exc


def schema_files(directory: Path = SQL_DIR) -> list[Path]:
    """The numbered scripts that build the database (0NN_); 1NN_ and later are queries and demos."""
    return [p for p in sorted(directory.glob("*.sql")) if p.name.startswith(SQLSERVER_INIT_PREFIXES)]


def apply_sqlserver(settings: Settings) -> list[str]:
    lines: list[str] = []
    connection = clients.sqlserver(settings, "ads")
    try:
        for path in schema_files():
            marker(path)  # every file must declare how the stand-in treats it, SQL Server or not
            cursor = connection.cursor()
            for batch in GO_RE.split(path.read_text()):
                if batch.strip():
                    cursor.execute(batch)
            connection.commit()
            lines.append(f"applied {path.name} on SQL Server")
    except Exception as exc:
        connection.rollback()
        raise UserError(f"db-init/promptads failed on SQL Server: {exc}") from exc
    finally:
        connection.close()
    return lines
