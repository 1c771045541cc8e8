"""PromptAds: apply db-init/promptads/ to the configured PromptAds database.

`sources = "standin"`: the "-- Stand-in: transpile" files, transpiled, on the PostgreSQL stand-in.
`sources = "sqlserver"`: the schema files (0NN_), unchanged, batch by batch (split on GO, as sqlcmd does) through pyodbc.
Both are safe to re-run: the T-SQL guards every CREATE.
"""

from __future__ import annotations

from pathlib import Path

from promptsales.dbinit import sqlserver
from promptsales.settings import PROJECT_ROOT, Settings

SQL_DIR = PROJECT_ROOT / "db-init" / "promptads"
# Scripts a person runs on purpose (queries, demos, monitoring) are not part of `db init`.
SQLSERVER_INIT_PREFIXES = ("0",)


def apply(settings: Settings) -> list[str]:
    return sqlserver.apply_database(settings, "ads", SQL_DIR, schema_files())


def schema_files(directory: Path = SQL_DIR) -> list[Path]:
    """The numbered scripts that build the database (0NN_); 1NN_ and later are queries and demos."""
    return [p for p in sorted(directory.glob("*.sql")) if p.name.startswith(SQLSERVER_INIT_PREFIXES)]
