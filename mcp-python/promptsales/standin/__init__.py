"""T-SQL -> PostgreSQL stand-in: the PromptAds/PromptCrm T-SQL in db-init/ applied to local PostgreSQL.

SQL Server cannot run on these machines, so `db init` derives the stand-in databases from the T-SQL
(the single source of truth) instead of keeping a second, hand-written PostgreSQL schema.

Usage:

    from promptsales.standin import apply_standin, statements_for_standin, query_for_standin

    lines = apply_standin(conn, PROJECT_ROOT / "db-init" / "promptcrm")  # "transpile" and "postgres-file" files
    statements = statements_for_standin(path)          # PostgreSQL statements of one file ([] if sqlserver-only)
    script = query_for_standin(path)                   # a "-- Stand-in: query" file, ready for psycopg
    for statement in script.statements:
        conn.execute(statement, script.parameters | {"brandname": "Acme"})

Each file declares exactly one marker line in its header (see `marker`):
- `-- Stand-in: transpile`: schema DDL, transpiled and applied by `apply_standin`.
- `-- Stand-in: query`: a script a person runs; transpiled on demand by `query_for_standin`.
- `-- Stand-in: sqlserver-only — <reason>`: nothing on the stand-in.
- `-- Stand-in: postgres-file standin/<name>.sql — <reason>`: T-SQL the transpiler cannot translate
  (triggers over inserted/deleted); `apply_standin` runs the named PostgreSQL file (relative to the T-SQL
  file's folder) as it is, in one transaction. Keeping both files in step is on the author; the tests
  of what they do (tests/standin/test_change_log.py) run the PostgreSQL one.

What the transpiler understands beyond what sqlglot does on its own (each has a test in tests/standin/):
- `GO` batch separators; `SET NOCOUNT/XACT_ABORT/ANSI_NULLS/QUOTED_IDENTIFIER/STATISTICS ...` are dropped.
- Re-run guards: `IF SCHEMA_ID(N'x') IS NULL EXEC (N'CREATE SCHEMA x');` and `IF <anything> CREATE ...`
  (table, index, sequence) become `CREATE ... IF NOT EXISTS`.
- `RowVer ROWVERSION` -> `rowver BIGINT NOT NULL DEFAULT public.standin_next_rowversion()` (the writing
  transaction's id) plus a BEFORE UPDATE trigger `touch_rowver` that takes it again; with it,
  `public.min_active_rowversion()` answers as SQL Server's MIN_ACTIVE_ROWVERSION() (see transform.py).
- `SYSUTCDATETIME()` / `GETUTCDATE()` -> `timezone('utc', now())`; `BIT` -> `BOOLEAN` with 0/1 defaults
  as FALSE/TRUE; `TINYINT` -> `SMALLINT`; `FLOAT` -> `DOUBLE PRECISION`; `MONEY` -> `NUMERIC(19, 4)`;
  `NONCLUSTERED`/`CLUSTERED` dropped from indexes. (sqlglot itself maps NEWID(), NVARCHAR(MAX),
  VARBINARY, DATETIMEOFFSET, IDENTITY, computed columns and CREATE OR ALTER VIEW.)
- `UPDATE alias SET ... FROM table alias JOIN source ON cond` -> `UPDATE table alias SET ... FROM source
  WHERE cond` (the T-SQL "UPDATE from SELECT" form, not valid PostgreSQL as written).
- In query files, `DECLARE @Name TYPE = value;` lines become default parameters and `@Name` becomes
  the psycopg placeholder `%(name)s` (lower case), so the same file runs parameterized on both engines.
"""

from promptsales.standin.apply import apply_standin
from promptsales.standin.script import (
    StandinQuery,
    marker,
    postgres_file,
    query_for_standin,
    split_batches,
    statements_for_standin,
    transpile_tsql,
)

__all__ = [
    "StandinQuery",
    "apply_standin",
    "marker",
    "postgres_file",
    "query_for_standin",
    "split_batches",
    "statements_for_standin",
    "transpile_tsql",
]
