"""The stand-in must hold exactly the tables and columns the T-SQL declares (PA1 drift test).

The expected side is read from the T-SQL with sqlglot directly (not through the transpiler), the
actual side from information_schema of a database where `db init` ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from promptsales import clients
from promptsales.dbinit.ads import SQL_DIR
from promptsales_testkit.standin_drift import declared_columns, standin_columns


def test_standin_matches_the_tsql(fresh_ads) -> None:
    with clients.ads_standin(fresh_ads) as conn:
        actual = standin_columns(conn, "ads")
    expected = declared_columns(SQL_DIR)
    assert len({t for t, *_ in expected}) >= 13
    assert actual == expected, {"only in T-SQL": expected - actual, "only on the stand-in": actual - expected}


def test_a_column_added_only_to_the_tsql_is_caught(fresh_ads, tmp_path: Path) -> None:
    """The check above can fail: a T-SQL change the stand-in did not follow shows up as a difference."""
    copy = tmp_path / "promptads"
    shutil.copytree(SQL_DIR, copy)
    tables = copy / "010_create_tables.sql"
    tables.write_text(
        tables.read_text().replace(
            "    Region NVARCHAR(40) NOT NULL,\n",
            "    Region NVARCHAR(40) NOT NULL,\n    Currency CHAR(3) NULL,\n",
        )
    )
    with clients.ads_standin(fresh_ads) as conn:
        difference = declared_columns(copy) - standin_columns(conn, "ads")
    assert difference == {("ads.markets", "currency", "character", "YES")}


def test_db_init_is_safe_to_re_run(fresh_ads) -> None:
    from promptsales.dbinit import ads as ads_dbinit

    lines = ads_dbinit.apply(fresh_ads)
    assert lines[0].startswith("applied 010_create_tables.sql")
    assert "skipped 040_create_procedure_create_campaign.sql (sqlserver-only)" in lines
