"""The stand-in must hold exactly the tables and columns the T-SQL declares (PA1 drift test).

The expected side is read from the T-SQL with sqlglot directly (not through the transpiler), the
actual side from information_schema of a database where `db init` ran.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import sqlglot
from promptsales import clients
from promptsales.dbinit.ads import SQL_DIR
from promptsales.standin import marker
from sqlglot import exp

GO_RE = re.compile(r"^\s*GO\s*;?\s*$", re.MULTILINE | re.IGNORECASE)
# What each T-SQL type is on PostgreSQL (information_schema.columns.data_type).
TYPE_MAP = {"INT": "integer", "BIGINT": "bigint", "SMALLINT": "smallint", "TINYINT": "smallint",
            "NVARCHAR": "character varying", "VARCHAR": "character varying", "CHAR": "character",
            "NCHAR": "character", "DATE": "date", "DATETIME2": "timestamp without time zone",
            "DECIMAL": "numeric", "BIT": "boolean", "ROWVERSION": "bigint"}


def declared_columns(directory: Path) -> set[tuple[str, str, str, str]]:
    """(table, column, PostgreSQL type, nullable YES/NO) for every CREATE TABLE of the transpiled files."""
    declared = set()
    for path in sorted(directory.glob("*.sql")):
        if marker(path) != "transpile":
            continue
        for batch in GO_RE.split(path.read_text()):
            for tree in sqlglot.parse(batch, read="tsql"):
                for create in (tree.find_all(exp.Create) if tree else []):
                    if create.kind != "TABLE":
                        continue
                    table = create.this.this
                    name = f"{table.db}.{table.name}".lower()
                    for column in create.this.expressions:
                        if not isinstance(column, exp.ColumnDef):
                            continue
                        kind = column.args["kind"].this.name
                        not_null = kind == "ROWVERSION" or any(
                            isinstance(c.kind, exp.PrimaryKeyColumnConstraint)
                            or (isinstance(c.kind, exp.NotNullColumnConstraint) and not c.kind.args.get("allow_null"))
                            for c in column.constraints)
                        declared.add((name, column.name.lower(), TYPE_MAP[kind], "NO" if not_null else "YES"))
    return declared


def standin_columns(conn) -> set[tuple[str, str, str, str]]:
    rows = conn.execute(
        "SELECT table_schema || '.' || table_name, column_name, data_type, is_nullable "
        "FROM information_schema.columns WHERE table_schema = 'ads'").fetchall()
    return set(rows)


def test_standin_matches_the_tsql(fresh_ads) -> None:
    with clients.ads_standin(fresh_ads) as conn:
        actual = standin_columns(conn)
    expected = declared_columns(SQL_DIR)
    assert len({t for t, *_ in expected}) >= 13
    assert actual == expected, {"only in T-SQL": expected - actual, "only on the stand-in": actual - expected}


def test_a_column_added_only_to_the_tsql_is_caught(fresh_ads, tmp_path: Path) -> None:
    """The check above can fail: a T-SQL change the stand-in did not follow shows up as a difference."""
    copy = tmp_path / "promptads"
    shutil.copytree(SQL_DIR, copy)
    tables = copy / "010_create_tables.sql"
    tables.write_text(tables.read_text().replace(
        "    Region NVARCHAR(40) NOT NULL\n", "    Region NVARCHAR(40) NOT NULL,\n    Currency CHAR(3) NULL\n"))
    with clients.ads_standin(fresh_ads) as conn:
        difference = declared_columns(copy) - standin_columns(conn)
    assert difference == {("ads.markets", "currency", "character", "YES")}


def test_db_init_is_safe_to_re_run(fresh_ads) -> None:
    from promptsales.dbinit import ads as ads_dbinit

    lines = ads_dbinit.apply(fresh_ads)
    assert lines[0].startswith("applied 010_create_tables.sql")
    assert "skipped 040_create_procedure_create_campaign.sql (sqlserver-only)" in lines
