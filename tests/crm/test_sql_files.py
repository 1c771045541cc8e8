"""db-init/promptcrm: every file parses as T-SQL and says how the stand-in treats it; the stand-in holds
exactly the tables and columns the T-SQL declares (drift test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from promptsales import clients
from promptsales.dbinit import crm as crm_init
from promptsales.dbinit.crm import SQL_DIR, SQLSERVER_INIT_FILES
from promptsales.standin import marker, postgres_file
from promptsales.standin.drift import declared_columns, standin_columns
from tsql_check import tsql_parse_errors

NAME_RE = re.compile(r"^\d{3}_[a-z]+(_[a-z0-9]+)+\.sql$")
SQL_FILES = sorted(SQL_DIR.glob("*.sql"))


def test_every_file_parses_with_sqlfluff_tsql() -> None:
    """One sqlfluff process for the whole folder (a process per file would cost a second each)."""
    assert tsql_parse_errors(SQL_DIR) == ""


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_every_file_has_a_header_and_one_marker(path: Path) -> None:
    assert NAME_RE.match(path.name), "files are named NNN_verb_object.sql"
    header = path.read_text().split("\n\n")[0]
    for part in ("Dialect: T-SQL for SQL Server 2022", "Safe to re-run:", "How to run"):
        assert part in header, f"{path.name} header lacks {part!r}"
    assert marker(path) in {"transpile", "query", "sqlserver-only", "postgres-file"}
    if marker(path) == "postgres-file":
        assert postgres_file(path).is_file()


def test_demo_scripts_that_need_sessions_say_which_window_runs_what() -> None:
    demos = [p for p in SQL_FILES if re.match(r"1[1-5]\d_demo_", p.name)]
    assert len(demos) >= 11
    for path in demos:
        header = path.read_text().split("\n\n")[0]
        assert re.search(r"(Window|computer) \w+", header, re.IGNORECASE), path.name


def test_sqlserver_init_files_need_no_sqlcmd_variables() -> None:
    """`db init` sends these through pyodbc, which knows nothing of sqlcmd's $(Variable)."""
    for name in SQLSERVER_INIT_FILES:
        assert "$(" not in (SQL_DIR / name).read_text(), name


@pytest.mark.stack
def test_standin_matches_the_tsql(stack, fresh_database, standin_settings) -> None:
    settings = standin_settings(stack, fresh_database("test_crmdrift"), stack.postgres.ads_standin_database)
    crm_init.apply(settings)
    crm_init.apply(settings)  # safe to re-run
    with clients.crm_standin(settings) as conn:
        actual = standin_columns(conn, "crm")
    declared = declared_columns(SQL_DIR)
    assert {t for t, *_ in declared} >= {"crm.clients", "crm.clientcampaigns", "crm.leads", "crm.interactions",
                                        "crm.sales", "crm.logs", "crm.cities", "crm.markethubs"}
    assert actual == declared
