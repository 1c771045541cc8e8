"""Create the PromptAds and PromptCrm databases on their SQL Servers, before `promptsales db init`.

`db init` connects to each database by name, so the databases must exist first. PromptCrm has its own
creation script (db-init/promptcrm/000_create_database.sql: snapshot isolation settings for CR12, which
the ETL's SNAPSHOT reads use too), run here unchanged; PromptAds needs CREATE DATABASE and snapshot
isolation allowed. Both are safe to re-run. Runs in the Python image
as an init container of the bootstrap Job, as sa, connected to master.
"""

from __future__ import annotations

import sys

from promptsales import clients
from promptsales.settings import PROJECT_ROOT, get_settings
from promptsales.standin import split_batches

CREATE_PROMPTADS = "IF DB_ID(N'PromptAds') IS NULL CREATE DATABASE PromptAds;"
# The ETL reads a source in full under SNAPSHOT isolation (live rows and change log at one point in time).
PROMPTADS_SNAPSHOT = "ALTER DATABASE PromptAds SET ALLOW_SNAPSHOT_ISOLATION ON;"
PROMPTCRM_SCRIPT = PROJECT_ROOT / "db-init" / "promptcrm" / "000_create_database.sql"


def database_batches() -> list[tuple[str, str, list[str]]]:
    """What runs, in order: (settings key, database, its batches split on GO as sqlcmd splits them)."""
    return [
        ("ads", "PromptAds", [CREATE_PROMPTADS, PROMPTADS_SNAPSHOT]),
        ("crm", "PromptCrm", split_batches(PROMPTCRM_SCRIPT.read_text())),
    ]


def run_batches(database: str, batches: list[str]) -> None:
    connection = clients.sqlserver(get_settings(), database)
    # CREATE DATABASE and ALTER DATABASE cannot run inside a transaction.
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        for batch in batches:
            cursor.execute(batch)
    finally:
        connection.close()


def main() -> int:
    settings = get_settings()
    for config in (settings.promptads_mssql, settings.promptcrm_mssql):
        if config.database != "master":
            print(f"connect to master, not {config.database} (set *_MSSQL_DATABASE=master)", file=sys.stderr)
            return 2
    for key, name, batches in database_batches():
        run_batches(key, batches)
        print(f"{name}: database present ({len(batches)} batches applied)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
