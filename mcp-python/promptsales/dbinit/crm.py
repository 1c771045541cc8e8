"""PromptCrm: apply db-init/promptcrm/ to the configured PromptCrm database.

`sources = "standin"`: the "-- Stand-in: transpile" files, transpiled, on the PostgreSQL stand-in.
`sources = "sqlserver"`: the files in SQLSERVER_INIT_FILES, unchanged, batch by batch (split on GO, as
sqlcmd does) through pyodbc. The other scripts are administration (database, certificates, backup,
linked server: they take sqlcmd -v secrets) or demos that a person runs with sqlcmd as their headers say.
Both paths are safe to re-run: the T-SQL guards every CREATE or uses CREATE OR ALTER.
"""

from __future__ import annotations

from promptsales.dbinit import sqlserver
from promptsales.settings import PROJECT_ROOT, Settings

SQL_DIR = PROJECT_ROOT / "db-init" / "promptcrm"
# The schema, the change log the ETL reads (and its triggers) and the procedures the application and
# the demos call; none needs a sqlcmd variable.
SQLSERVER_INIT_FILES = (
    "010_create_tables.sql",
    "020_create_procedure_log.sql",
    "030_create_campaign_change_log.sql",
    "035_create_campaign_change_log_triggers.sql",
    "080_create_indexed_views.sql",
    "100_create_procedures_concurrency.sql",
)


def apply(settings: Settings) -> list[str]:
    return sqlserver.apply_database(
        settings, "crm", SQL_DIR, [SQL_DIR / name for name in SQLSERVER_INIT_FILES]
    )
