"""Drift check between the T-SQL source of truth and its PostgreSQL stand-in.

`declared_columns` reads the CREATE TABLEs of the `-- Stand-in: transpile` files straight from the
T-SQL (not through the transpiler), `standin_columns` reads information_schema; the two sets must be
equal, so a column added to the T-SQL that the stand-in does not follow shows up as a difference.
"""

from __future__ import annotations

from pathlib import Path

import sqlglot
from promptsales.standin.script import marker, split_batches
from sqlglot import exp

Column = tuple[str, str, str, str]  # (schema.table, column, PostgreSQL data_type, is_nullable YES/NO)

# What each T-SQL type is on PostgreSQL, as information_schema.columns.data_type names it.
TYPE_MAP = {
    "INT": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "NVARCHAR": "character varying",
    "VARCHAR": "character varying",
    "CHAR": "character",
    "NCHAR": "character",
    "DATE": "date",
    "DATETIME2": "timestamp without time zone",
    "DECIMAL": "numeric",
    "BIT": "boolean",
    "VARBINARY": "bytea",
    "ROWVERSION": "bigint",
}


def declared_columns(directory: Path) -> set[Column]:
    declared: set[Column] = set()
    for path in sorted(directory.glob("*.sql")):
        if marker(path) != "transpile":
            continue
        for batch in split_batches(path.read_text()):
            for tree in sqlglot.parse(batch, read="tsql"):
                for create in tree.find_all(exp.Create) if tree else []:
                    if create.kind == "TABLE":
                        declared |= _table_columns(create)
    return declared


def _table_columns(create: exp.Create) -> set[Column]:
    table = create.this.this
    name = f"{table.db}.{table.name}".lower()
    columns: set[Column] = set()
    for column in create.this.expressions:
        if not isinstance(column, exp.ColumnDef):
            continue
        kind = column.args["kind"]
        pg_type = TYPE_MAP[kind.this.name]
        if pg_type == "character varying" and any(p.name.upper() == "MAX" for p in kind.expressions):
            pg_type = "text"
        not_null = kind.this.name == "ROWVERSION" or any(
            isinstance(c.kind, exp.PrimaryKeyColumnConstraint)
            or (isinstance(c.kind, exp.NotNullColumnConstraint) and not c.kind.args.get("allow_null"))
            for c in column.constraints
        )
        columns.add((name, column.name.lower(), pg_type, "NO" if not_null else "YES"))
    return columns


def standin_columns(conn, schema: str) -> set[Column]:
    rows = conn.execute(
        "SELECT table_schema || '.' || table_name, column_name, data_type, is_nullable "
        "FROM information_schema.columns WHERE table_schema = %s",
        (schema,),
    ).fetchall()
    return set(rows)
