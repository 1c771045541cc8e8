"""Every PromptAds script: parses as T-SQL (sqlfluff), has the agreed header, and PA2 validates its input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from promptsales.dbinit.ads import SQL_DIR
from promptsales.standin import marker, postgres_file
from tsql_check import tsql_parse_errors

SQL_FILES = sorted(SQL_DIR.glob("*.sql"))
PROCEDURE = SQL_DIR / "040_create_procedure_create_campaign.sql"


def test_every_script_parses_as_tsql() -> None:
    assert tsql_parse_errors(SQL_DIR) == ""


def test_the_parse_check_catches_broken_tsql(tmp_path: Path) -> None:
    (tmp_path / "010_create_broken.sql").write_text("CREATE TABLE ads.X (Id INT NOT NULL,, Name);\n")
    assert "PRS" in tsql_parse_errors(tmp_path)


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_every_script_has_the_agreed_header(path: Path) -> None:
    assert re.fullmatch(r"\d{3}_[a-z]+(_[a-z0-9]+)+\.sql", path.name)
    header = path.read_text().split("\n\n")[0]
    for part in ("Dialect: T-SQL for SQL Server 2022", "Safe to re-run:", "How to run:"):
        assert part in header, f"{path.name} header lacks {part!r}"
    assert marker(path) in ("transpile", "query", "sqlserver-only", "postgres-file")
    if marker(path) == "postgres-file":
        assert postgres_file(path).is_file()


def test_procedure_follows_the_name_template_and_is_all_or_nothing() -> None:
    text = PROCEDURE.read_text()
    name = re.search(r"CREATE OR ALTER PROCEDURE ads\.(\w+)", text).group(1)
    assert re.fullmatch(r"[A-Z]{5}SP_[A-Z][a-z]+[A-Z][a-z]+", name), name
    for needed in (
        "SET XACT_ABORT ON",
        "BEGIN TRY",
        "BEGIN CATCH",
        "ROLLBACK TRANSACTION",
        "THROW;",
        "@Channels ads.ChannelList READONLY",
        "@Markets ads.MarketList READONLY",
        "@Ads ads.AdList READONLY",
    ):
        assert needed in text
    # Every check runs before the transaction opens, so a rejected call writes nothing.
    last_throw = max(m.start() for m in re.finditer(r"THROW 500\d\d", text))
    assert last_throw < text.index("BEGIN TRANSACTION;") < text.index("INSERT INTO ads.Campaigns")


@pytest.mark.parametrize(
    "case, pattern",
    [
        ("unknown brand", r"THROW 50001, @Message"),
        ("end before start", r"THROW 50004, @Message"),
        ("negative budget", r"THROW 50005, N'[^']*budget must be zero or more"),
        ("empty channel list", r"THROW 50006, N'[^']*channel list is empty"),
        ("duplicate markets", r"THROW 50010, N'[^']*duplicate markets"),
    ],
)
def test_each_bad_input_has_its_own_error(case: str, pattern: str) -> None:
    text = PROCEDURE.read_text()
    assert re.search(pattern, text), case
    numbers = re.findall(r"THROW (500\d\d)", text)
    assert len(numbers) == len(set(numbers)), "two checks share an error number"
    assert f"{case} ->" in (SQL_DIR / "100_call_create_campaign.sql").read_text()


def test_procedure_and_call_script_use_columns_that_exist() -> None:
    """SQL Server is not here to bind names, so check them: every INSERT column list names real columns."""
    from .test_drift import declared_columns

    columns = {(table, column) for table, column, _, _ in declared_columns(SQL_DIR)}
    types_text = (SQL_DIR / "030_create_table_types.sql").read_text()
    type_bodies = re.findall(r"CREATE TYPE ads\.(\w+) AS TABLE \((.*?)\n\);", types_text, re.DOTALL)
    type_columns = {
        name.lower(): {c.lower() for c in re.findall(r"^\s+(\w+) [A-Z]", body, re.MULTILINE)}
        for name, body in type_bodies
    }
    assert set(type_columns) == {"channellist", "marketlist", "adlist"}
    checked = 0
    for path in (PROCEDURE, SQL_DIR / "100_call_create_campaign.sql"):
        text = path.read_text()
        for target, listed in re.findall(r"INSERT INTO ([@\w.]+) \(([^)]*)\)", text):
            names = {c.strip().lower() for c in listed.split(",")}
            if target.startswith("ads."):
                assert {(target.lower(), n) for n in names} <= columns, (path.name, target)
            else:
                declared = re.search(rf"DECLARE {target} ads\.(\w+);", text).group(1).lower()
                assert names <= type_columns[declared], (path.name, target)
            checked += 1
    assert checked >= 8


def test_plan_cache_monitoring_sees_ad_hoc_and_prepared_statements() -> None:
    """PA7: sys.dm_exec_sql_text's dbid is NULL for ad hoc and prepared statements; the plan's "dbid"
    attribute names the database for every kind of plan."""
    text = (SQL_DIR / "130_monitor_query_performance.sql").read_text()
    assert "st.dbid" not in text
    assert re.search(
        r"sys\.dm_exec_plan_attributes\(qs\.plan_handle\) AS pa\s+"
        r"WHERE pa\.attribute = N'dbid'",
        text,
    )
    assert "WHERE plan_database.dbid = DB_ID()" in text
