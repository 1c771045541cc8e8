"""The T-SQL -> PostgreSQL stand-in transpiler: each rewrite it adds to sqlglot, and its refusals."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from promptsales import clients
from promptsales.errors import InvalidInput, Unavailable
from promptsales.standin import (
    apply_standin,
    marker,
    postgres_file,
    query_for_standin,
    statements_for_standin,
    transpile_tsql,
)

HEADER = "-- test file\n-- Stand-in: {kind}\n"

TABLES = """
IF SCHEMA_ID(N'demo') IS NULL EXEC (N'CREATE SCHEMA demo');
GO
IF OBJECT_ID(N'demo.Things', N'U') IS NULL
CREATE TABLE demo.Things (
    ThingId INT IDENTITY (1, 1) NOT NULL CONSTRAINT PK_Things PRIMARY KEY,
    Name NVARCHAR(50) NOT NULL,
    Flag BIT NOT NULL CONSTRAINT DF_Things_Flag DEFAULT (1),
    Quiet BIT NOT NULL DEFAULT 0,
    Level TINYINT NOT NULL,
    CreatedAt DATETIME2(0) NOT NULL CONSTRAINT DF_Things_CreatedAt DEFAULT (SYSUTCDATETIME()),
    RowVer ROWVERSION NOT NULL
);
GO
IF OBJECT_ID(N'demo.Totals', N'U') IS NULL
CREATE TABLE demo.Totals (
    ThingId INT NOT NULL,
    Total INT NOT NULL,
    CONSTRAINT PK_Totals PRIMARY KEY (ThingId)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Things_Name')
CREATE NONCLUSTERED INDEX IX_Things_Name ON demo.Things (Name) INCLUDE (Level);
GO
"""


def write(directory: Path, name: str, kind: str, body: str) -> Path:
    path = directory / name
    path.write_text(HEADER.format(kind=kind) + body)
    return path


def test_guards_become_if_not_exists_and_rowversion_gets_a_trigger() -> None:
    statements = transpile_tsql(TABLES)
    text = "\n".join(statements)
    assert statements[0] == "CREATE SCHEMA IF NOT EXISTS demo"
    assert "CREATE TABLE IF NOT EXISTS demo.Things" in text
    assert "CREATE INDEX IF NOT EXISTS IX_Things_Name" in text and "NONCLUSTERED" not in text
    assert "RowVer BIGINT NOT NULL DEFAULT PUBLIC.STANDIN_NEXT_ROWVERSION()" in text
    assert "CREATE TRIGGER touch_rowver BEFORE UPDATE ON demo.Things" in text
    assert "BOOLEAN NOT NULL CONSTRAINT DF_Things_Flag DEFAULT TRUE" in text
    assert "Quiet BOOLEAN NOT NULL DEFAULT FALSE" in text
    assert "Level SMALLINT" in text
    assert "SYSUTCDATETIME" not in text and "TIMEZONE('utc', NOW())" in text
    assert text.count("CREATE OR REPLACE FUNCTION public.min_active_rowversion()") == 1


def test_numeric_types_keep_their_sql_server_meaning() -> None:
    [statement] = transpile_tsql("CREATE TABLE demo.M (Ratio FLOAT NOT NULL, Price MONEY NULL)")
    assert statement == "CREATE TABLE demo.M (Ratio DOUBLE PRECISION NOT NULL, Price DECIMAL(19, 4) NULL)"


def test_update_from_select_becomes_postgres_update_from() -> None:
    [statement] = transpile_tsql(
        "UPDATE t SET t.Total = s.Total FROM demo.Totals AS t INNER JOIN "
        "(SELECT ThingId, COUNT(*) AS Total FROM demo.Things GROUP BY ThingId) AS s ON s.ThingId = t.ThingId "
        "WHERE t.Total >= 0"
    )
    assert statement.startswith("UPDATE demo.Totals AS t SET Total = s.Total FROM (SELECT")
    assert statement.endswith("WHERE s.ThingId = t.ThingId AND t.Total >= 0")


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "UPDATE t SET t.x = 1 FROM demo.Totals AS t LEFT JOIN demo.Things AS s ON s.ThingId = t.ThingId",
            "INNER JOIN",
        ),
        (
            "UPDATE t SET t.x = 1 FROM demo.Things AS s INNER JOIN demo.Totals AS t ON s.ThingId = t.ThingId",
            "target first",
        ),
        ("IF OBJECT_ID(N'demo.X') IS NULL SELECT 1", "re-run guards"),
        ("DECLARE @x INT = 1", "query"),
        ("SELECT @x", "@variables"),
        (
            "SELECT COUNT(DISTINCT Name COLLATE SQL_Latin1_General_CP1_CI_AS) FROM demo.Things",
            "case- and accent",
        ),
    ],
)
def test_refuses_what_it_cannot_translate_faithfully(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        transpile_tsql(text)


@pytest.mark.parametrize(
    "header, message",
    [
        ("-- no marker here\n", "exactly one"),
        ("-- Stand-in: transpile\n-- Stand-in: query\n", "exactly one"),
        ("-- Stand-in: sqlserver-only\n", "must say why"),
        ("-- Stand-in: postgres-file\n", "must name a .sql file"),
        ("-- Stand-in: postgres-file — triggers\n", "must name a .sql file"),
        ("-- Stand-in: postgres-file standin/010_x.sql\n", "must say why"),
        ("-- Stand-in: postgres-file standin/010_x.sql —\n", "must say why"),
    ],
)
def test_every_file_must_declare_one_marker(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "010_x.sql"
    path.write_text(header + "SELECT 1;\n")
    with pytest.raises(InvalidInput, match=message):
        marker(path)


def test_sqlserver_only_files_give_no_statements(tmp_path: Path) -> None:
    path = write(
        tmp_path, "040_proc.sql", "sqlserver-only — uses TVPs", "CREATE TYPE demo.L AS TABLE (x INT);"
    )
    assert statements_for_standin(path) == []


def test_postgres_file_names_a_file_beside_the_tsql_that_runs_as_it_is(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "055_triggers.sql",
        "postgres-file standin/055_triggers.sql — pseudo-tables",
        "CREATE OR ALTER TRIGGER demo.T ON demo.Things AFTER INSERT AS BEGIN SET NOCOUNT ON; END;",
    )
    (tmp_path / "standin").mkdir()
    text = "CREATE FUNCTION demo.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$;\nSELECT 1;\n"
    (tmp_path / "standin" / "055_triggers.sql").write_text(text)
    assert marker(path) == "postgres-file"
    assert postgres_file(path) == tmp_path / "standin" / "055_triggers.sql"
    assert statements_for_standin(path) == [text]


def test_a_missing_postgres_file_is_an_error_that_names_it(stack, fresh_database, tmp_path: Path) -> None:
    path = write(tmp_path, "055_triggers.sql", "postgres-file standin/055_triggers.sql — pseudo-tables", "")
    for call in (postgres_file, statements_for_standin):
        with pytest.raises(
            InvalidInput,
            match=r"055_triggers.sql: its stand-in file standin/055_triggers.sql "
            r"does not exist",
        ):
            call(path)
    with (
        clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn,
        pytest.raises(InvalidInput, match="does not exist"),
    ):
        apply_standin(conn, tmp_path)
    with pytest.raises(InvalidInput, match="is not marked"):
        postgres_file(write(tmp_path, "010_tables.sql", "transpile", TABLES))


def test_query_files_become_parameterized_statements(tmp_path: Path) -> None:
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    path = write(
        tmp_path,
        "110_query.sql",
        "query",
        "DECLARE @Since DATE = '2025-01-01';\nDECLARE @Name NVARCHAR(50) = N'b%';\n"
        "SELECT Name FROM demo.Things WHERE Flag = 1 AND Name LIKE @Name AND CreatedAt >= @Since "
        "AND Level % 2 = 0;",
    )
    query = query_for_standin(path)
    assert query.parameters == {"since": date(2025, 1, 1), "name": "b%"}
    [statement] = query.statements
    assert "Flag = TRUE" in statement
    assert "LIKE %(name)s" in statement and "CreatedAt >= %(since)s" in statement
    assert "Level %% 2 = 0" in statement  # a literal % must survive psycopg's parameter formatting


def test_a_case_sensitive_collation_counts_as_postgresqls_c(stack, fresh_database) -> None:
    """Latin1_General_100_CS_AS and binary collations tell "Ab" from "AB" and " ab" from "ab", as "C" does."""
    [statement] = transpile_tsql(
        "SELECT COUNT(DISTINCT v.x COLLATE Latin1_General_100_CS_AS) "
        "FROM (VALUES ('ab'), ('Ab'), ('AB'), (' ab'), ('ab')) AS v (x)"
    )
    assert 'COLLATE "C"' in statement
    [binary] = transpile_tsql("SELECT 'a' COLLATE Latin1_General_BIN2")
    assert 'COLLATE "C"' in binary
    with clients.postgres(stack, fresh_database("standin")) as conn:
        assert conn.execute(statement).fetchone()[0] == 4


def test_applied_schema_behaves_like_sql_server(stack, fresh_database, tmp_path: Path) -> None:
    """On a real database: re-runnable, defaults work, RowVer moves with every transaction that writes,
    database-wide, and SQL Server's STRING_SPLIT (which the ETL passes lists of ids through) answers as on
    SQL Server."""
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    write(tmp_path, "020_proc.sql", "sqlserver-only — TVPs", "CREATE TYPE demo.L AS TABLE (x INT);")
    query = write(
        tmp_path,
        "110_query.sql",
        "query",
        "DECLARE @Min INT = 0;\nSELECT ThingId, Name FROM demo.Things WHERE Flag = 1 AND Level > @Min "
        "ORDER BY ThingId;",
    )
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        assert apply_standin(conn, tmp_path) == [
            "applied 010_tables.sql (14 statements)",
            "skipped 020_proc.sql (sqlserver-only)",
            "skipped 110_query.sql (query)",
        ]
        apply_standin(conn, tmp_path)  # safe to re-run
        conn.execute("INSERT INTO demo.things (name, level) VALUES ('a', 1), ('b', 2)")
        conn.execute("INSERT INTO demo.things (name, level, flag) VALUES ('c', 3, FALSE)")
        rows = conn.execute(
            "SELECT thingid, flag, quiet, createdat, rowver FROM demo.things ORDER BY 1"
        ).fetchall()
        assert [r[1:3] for r in rows] == [(True, False), (True, False), (False, False)]
        assert all(r[3] is not None for r in rows)
        first_versions = [r[4] for r in rows]
        # One version per writing transaction (SQL Server gives each row its own; the ETL reads ranges).
        assert first_versions[0] == first_versions[1] < first_versions[2]
        conn.execute("UPDATE demo.things SET level = level + 5 WHERE name = 'a'")
        bumped = conn.execute("SELECT rowver FROM demo.things WHERE name = 'a'").fetchone()[0]
        assert bumped > max(first_versions)
        script = query_for_standin(query)
        assert conn.execute(script.statements[0], script.parameters).fetchall() == [(1, "a"), (2, "b")]
        assert conn.execute(script.statements[0], {"min": 1}).fetchall() == [(1, "a"), (2, "b")]
        assert conn.execute(script.statements[0], {"min": 2}).fetchall() == [(1, "a")]
        assert conn.execute(
            "SELECT CAST(ids.value AS INT) FROM STRING_SPLIT('3,11,2', ',') AS ids WHERE ids.value <> ''"
        ).fetchall() == [(3,), (11,), (2,)]
        assert conn.execute("SELECT value FROM STRING_SPLIT('', ',') WHERE value <> ''").fetchall() == []


def test_min_active_rowversion_stays_below_a_transaction_still_open(stack, fresh_database, tmp_path: Path):
    """As SQL Server's MIN_ACTIVE_ROWVERSION(): every version below it is committed, so a reader that stops
    there never passes a write still in flight, even when a later write commits first."""
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    database = fresh_database("standin")
    with (
        clients.postgres(stack, database, autocommit=True) as conn,
        clients.postgres(stack, database) as open_writer,
    ):
        apply_standin(conn, tmp_path)
        open_writer.execute("INSERT INTO demo.things (name, level) VALUES ('slow', 1)")  # not committed
        slow = open_writer.execute("SELECT rowver FROM demo.things WHERE name = 'slow'").fetchone()[0]
        conn.execute("INSERT INTO demo.things (name, level) VALUES ('fast', 2)")
        fast = conn.execute("SELECT rowver FROM demo.things WHERE name = 'fast'").fetchone()[0]
        assert slow < fast
        assert conn.execute("SELECT min_active_rowversion()").fetchone()[0] <= slow
        open_writer.commit()
        # Cluster-wide, like SQL Server's database-wide one: a transaction of another test database could
        # still hold it back for a moment.
        deadline = time.monotonic() + 10
        while (
            conn.execute("SELECT min_active_rowversion()").fetchone()[0] <= fast
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert conn.execute("SELECT min_active_rowversion()").fetchone()[0] > fast


def test_a_stand_in_with_sequence_rowversions_moves_to_transaction_ids(stack, fresh_database, tmp_path: Path):
    """A stand-in created when RowVer came from a sequence: the next apply switches every such default, so
    new writes carry transaction ids that min_active_rowversion() can bound."""
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE public.standin_rowversion")
        conn.execute("CREATE SCHEMA demo")
        conn.execute(
            "CREATE TABLE demo.old (a INT, rowver BIGINT NOT NULL DEFAULT nextval('public.standin_rowversion'))"
        )
        apply_standin(conn, tmp_path)
        assert (
            conn.execute(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                "WHERE d.adrelid = 'demo.old'::regclass"
            ).fetchone()[0]
            == "standin_next_rowversion()"
        )
        conn.execute("INSERT INTO demo.old (a) VALUES (1)")
        assert (
            conn.execute("SELECT rowver FROM demo.old").fetchone()[0]
            < conn.execute("SELECT min_active_rowversion()").fetchone()[0]
        )


def test_versions_the_former_sequence_took_past_every_transaction_id_are_caught_up(
    stack, fresh_database, tmp_path: Path
):
    """A stand-in seeded with the former sequence can hold versions above every transaction id: the ETL's
    marks would stop below them for good, and the run log would report changes waiting behind an open
    transaction that does not exist. The next apply gives those rows, and only those, its own version, with
    the triggers off (a change log must not see a change that is none), and on again after."""
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        apply_standin(conn, tmp_path)
        conn.execute("INSERT INTO demo.things (name, level) VALUES ('ahead', 1), ('kept', 2)")
        kept = conn.execute("SELECT rowver FROM demo.things WHERE name = 'kept'").fetchone()[0]
        conn.execute("CREATE TABLE demo.seen (name TEXT)")
        conn.execute(
            "CREATE FUNCTION demo.seen() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO demo.seen VALUES (NEW.name); RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER seen AFTER UPDATE ON demo.things FOR EACH ROW EXECUTE FUNCTION demo.seen()"
        )
        with conn.transaction():  # as the sequence left it: far above any transaction id
            conn.execute("ALTER TABLE demo.things DISABLE TRIGGER USER")
            conn.execute("UPDATE demo.things SET rowver = 1000000000000 WHERE name = 'ahead'")
            conn.execute("ALTER TABLE demo.things ENABLE TRIGGER USER")
        apply_standin(conn, tmp_path)
        versions = dict(conn.execute("SELECT name, rowver FROM demo.things").fetchall())
        assert versions["kept"] == kept
        assert kept < versions["ahead"] < conn.execute("SELECT min_active_rowversion()").fetchone()[0]
        assert conn.execute("SELECT name FROM demo.seen").fetchall() == []
        apply_standin(conn, tmp_path)  # once: nothing is ahead any more
        assert dict(conn.execute("SELECT name, rowver FROM demo.things").fetchall()) == versions
        conn.execute("UPDATE demo.things SET level = 9 WHERE name = 'kept'")
        assert conn.execute("SELECT name FROM demo.seen").fetchall() == [
            ("kept",)
        ]  # the triggers are back on
        assert (
            conn.execute("SELECT rowver FROM demo.things WHERE name = 'kept'").fetchone()[0]
            > versions["ahead"]
        )


def test_postgres_files_are_applied_whole_in_name_order(stack, fresh_database, tmp_path: Path) -> None:
    """The PostgreSQL file runs after the transpiled tables it needs, in one transaction, and fails whole."""
    write(tmp_path, "010_tables.sql", "transpile", TABLES)
    write(tmp_path, "020_triggers.sql", "postgres-file standin/020_triggers.sql — T-SQL triggers", "")
    (tmp_path / "standin").mkdir()
    pg_file = tmp_path / "standin" / "020_triggers.sql"
    pg_file.write_text(
        "CREATE TABLE IF NOT EXISTS demo.counts (n INT);\n"
        "CREATE OR REPLACE FUNCTION demo.count_things() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN INSERT INTO demo.counts SELECT count(*) FROM inserted; RETURN NULL; END; $$;\n"
        "DROP TRIGGER IF EXISTS count_things ON demo.things;\n"
        "CREATE TRIGGER count_things AFTER INSERT ON demo.things REFERENCING NEW TABLE AS inserted\n"
        "    FOR EACH STATEMENT EXECUTE FUNCTION demo.count_things();\n"
    )
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        lines = apply_standin(conn, tmp_path)
        assert lines[1] == "applied 020_triggers.sql (stand-in: standin/020_triggers.sql)"
        assert apply_standin(conn, tmp_path) == lines  # safe to re-run
        conn.execute("INSERT INTO demo.things (name, level) VALUES ('a', 1), ('b', 2)")
        assert conn.execute("SELECT n FROM demo.counts").fetchall() == [(2,)]
        pg_file.write_text("CREATE TABLE demo.half (x INT);\nSELECT * FROM demo.missing;\n")
        with pytest.raises(Unavailable, match="020_triggers.sql failed on the stand-in"):
            apply_standin(conn, tmp_path)
        assert conn.execute("SELECT to_regclass('demo.half')").fetchone()[0] is None


def test_a_failing_file_is_rolled_back_whole(stack, fresh_database, tmp_path: Path) -> None:
    write(
        tmp_path,
        "010_tables.sql",
        "transpile",
        "IF SCHEMA_ID(N'demo') IS NULL EXEC (N'CREATE SCHEMA demo');\nGO\n"
        "CREATE TABLE demo.A (x INT);\nGO\nCREATE TABLE demo.B (x INT REFERENCES demo.Missing (x));\nGO\n",
    )
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        with pytest.raises(Unavailable, match="010_tables.sql failed on the stand-in"):
            apply_standin(conn, tmp_path)
        assert conn.execute("SELECT to_regclass('demo.a')").fetchone()[0] is None


def test_an_upgrade_that_adds_a_rowversion_column_fills_every_row_once(stack, fresh_database, tmp_path: Path):
    """`IF COL_LENGTH(...) IS NULL ALTER TABLE ... ADD RowVer ROWVERSION` (how db-init/promptads gives RowVer to
    tables created before they had one): existing rows get a version, updates move it, re-running is a no-op."""
    write(
        tmp_path,
        "010_tables.sql",
        "transpile",
        "IF SCHEMA_ID(N'demo') IS NULL EXEC (N'CREATE SCHEMA demo');\nGO\n"
        "IF OBJECT_ID(N'demo.Links', N'U') IS NULL\nCREATE TABLE demo.Links (A INT NOT NULL, B INT NOT NULL);\nGO\n",
    )
    with clients.postgres(stack, fresh_database("standin"), autocommit=True) as conn:
        apply_standin(conn, tmp_path)
        conn.execute("INSERT INTO demo.links (a, b) VALUES (1, 2), (3, 4)")
        write(
            tmp_path,
            "020_upgrade.sql",
            "transpile",
            "IF COL_LENGTH(N'demo.Links', N'RowVer') IS NULL\nALTER TABLE demo.Links ADD RowVer ROWVERSION NOT NULL;\nGO\n",
        )
        apply_standin(conn, tmp_path)
        versions = dict(conn.execute("SELECT a, rowver FROM demo.links").fetchall())
        assert sorted(versions) == [1, 3] and None not in versions.values()
        apply_standin(conn, tmp_path)  # safe to re-run: the column is there, nothing changes
        assert dict(conn.execute("SELECT a, rowver FROM demo.links").fetchall()) == versions
        conn.execute("UPDATE demo.links SET b = 5 WHERE a = 1")
        assert conn.execute("SELECT rowver FROM demo.links WHERE a = 1").fetchone()[0] > max(
            versions.values()
        )
