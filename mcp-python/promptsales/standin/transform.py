"""The rewrites sqlglot (tsql -> postgres) does not make on its own, on parsed T-SQL trees."""

from __future__ import annotations

import re

from sqlglot import exp

from promptsales.errors import InvalidInput

ROWVERSION_FUNCTION = "public.standin_next_rowversion"
TOUCH_FUNCTION = "public.standin_touch_rowver"
TRIGGER_NAME = "touch_rowver"
# SQL Server's STRING_SPLIT(text, separator) -> (value), so a query that takes a list of ids as one
# parameter runs unchanged on both engines. A plain SQL function is inlined by the planner, which then
# sees the real length of the list (unnest of a constant array) and plans index lookups for a short one.
STRING_SPLIT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION public.string_split(input TEXT, separator TEXT) RETURNS TABLE (value TEXT) "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT unnest(string_to_array(input, separator)) $$"
)
# SQL Server triggers read the inserted/deleted pseudo-tables of the statement that fired them. PostgreSQL
# gives a statement trigger the same rows as transition tables, but a trigger with transition tables may
# have only one event: a T-SQL `AFTER INSERT, UPDATE, DELETE` trigger becomes one trigger per event, each
# with the tables its event has (standin_statement_triggers). Their function reads them as signed rows
# (standin_transition_rows: +1 inserted, -1 deleted) through EXECUTE, because a static query naming a
# transition table the event lacks would not plan. The hand-written trigger files (postgres-file) use both.
TRIGGER_HELPERS = [
    (
        "CREATE OR REPLACE FUNCTION public.standin_transition_rows(operation TEXT) RETURNS TEXT\n"
        "LANGUAGE sql IMMUTABLE AS $$\n"
        "    SELECT concat_ws(' UNION ALL ',\n"
        "        CASE WHEN operation IN ('INSERT', 'UPDATE') THEN 'SELECT 1 AS sign, * FROM inserted' END,\n"
        "        CASE WHEN operation IN ('UPDATE', 'DELETE') THEN 'SELECT -1 AS sign, * FROM deleted' END)\n$$"
    ),
    (
        "CREATE OR REPLACE FUNCTION public.standin_statement_triggers(tab TEXT, name TEXT, fn TEXT,\n"
        "                                                             VARIADIC events TEXT[]) RETURNS void\n"
        "LANGUAGE plpgsql AS $$\nDECLARE event TEXT;\nBEGIN\n"
        "    FOREACH event IN ARRAY events LOOP\n"
        "        IF event NOT IN ('INSERT', 'UPDATE', 'DELETE') THEN\n"
        "            RAISE EXCEPTION 'standin_statement_triggers: % is not INSERT, UPDATE or DELETE', event;\n"
        "        END IF;\n"
        "        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', name || '_' || lower(event), tab);\n"
        "        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT '\n"
        "                       'EXECUTE FUNCTION %s()', name || '_' || lower(event), event, tab,\n"
        "                       CASE event WHEN 'INSERT' THEN 'NEW TABLE AS inserted'\n"
        "                                  WHEN 'UPDATE' THEN 'OLD TABLE AS deleted NEW TABLE AS inserted'\n"
        "                                  ELSE 'OLD TABLE AS deleted' END, fn);\n"
        "    END LOOP;\nEND;\n$$"
    ),
]
# SQL Server's database rowversion, emulated by the id of the writing transaction (xid8): database-wide,
# so watermarks compare across tables, and increasing with each transaction that writes. Why not a
# sequence: a value taken by a transaction still open is invisible to a reader, so a reader that takes
# MAX(RowVer) as its mark can pass it and never see that row. SQL Server answers this with
# MIN_ACTIVE_ROWVERSION() (the lowest version an open transaction holds); PostgreSQL's equivalent is the
# lowest transaction id still running (the snapshot's xmin), so every version below it is committed (or
# rolled back). Rows one transaction writes share its version. The defaults of stand-ins created with the
# former sequence are moved to the function, and their rows whose version the sequence had taken past every
# transaction id are given the upgrading transaction's (see ROWVERSION_CATCH_UP).
# The prelude comes with the first table that has a ROWVERSION column, and so do STRING_SPLIT and the
# trigger helpers: every stand-in database has such a table before its trigger files run.
STANDIN_PRELUDE = [
    (
        f"CREATE OR REPLACE FUNCTION {ROWVERSION_FUNCTION}() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$ "
        "SELECT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT) $$"
    ),
    (
        "CREATE OR REPLACE FUNCTION public.min_active_rowversion() RETURNS BIGINT LANGUAGE sql STABLE AS $$ "
        "SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT) $$"
    ),
    (
        f"CREATE OR REPLACE FUNCTION {TOUCH_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    NEW.rowver := {ROWVERSION_FUNCTION}();\n    RETURN NEW;\nEND;\n$$"
    ),
    (
        "DO $$\nDECLARE c RECORD;\nBEGIN\n"
        "    FOR c IN SELECT d.adrelid::regclass AS tab, a.attname FROM pg_attrdef d\n"
        "             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
        "             WHERE pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(''%standin_rowversion''::regclass)' LOOP\n"
        f"        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT {ROWVERSION_FUNCTION}()', c.tab, c.attname);\n"
        "    END LOOP;\nEND;\n$$"
    ),
    STRING_SPLIT_FUNCTION,
    *TRIGGER_HELPERS,
]
# Run after each table with a rowversion column. A stand-in created with the former sequence can hold
# versions above every transaction id: its marks would stop at the committed horizon and the run log would
# report changes waiting behind an open transaction that does not exist. Those rows (at or above the next
# transaction id, so no row a transaction wrote) get the version of this one, once; the triggers are off
# meanwhile, so the change logs do not see a change that is none. The next ETL run reads those rows once
# more (as changed, or the whole table when its stored mark is still above them) and changes nothing.
ROWVERSION_CATCH_UP = (
    "DO $$\nDECLARE horizon BIGINT := CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS TEXT) AS BIGINT);\n"
    "BEGIN\n"
    # A table created before it had the column gets it from an ALTER TABLE further on (fresh versions).
    "    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('{table}') AND attname = 'rowver'\n"
    "               AND NOT attisdropped) THEN\n"
    "        IF EXISTS (SELECT 1 FROM {table} WHERE rowver >= horizon) THEN\n"
    "            ALTER TABLE {table} DISABLE TRIGGER USER;\n"
    f"            UPDATE {{table}} SET rowver = {ROWVERSION_FUNCTION}() WHERE rowver >= horizon;\n"
    "            ALTER TABLE {table} ENABLE TRIGGER USER;\n"
    "        END IF;\n    END IF;\nEND;\n$$"
)
_PARAM_SENTINEL = "standin_param__"
_UTC_NOW_FUNCTIONS = {"SYSUTCDATETIME", "GETUTCDATE"}


def parameter_name(node: exp.Expression) -> str:
    return node.name.lower()


def to_postgres(
    tree: exp.Expression, source: str, parameters: bool = False, bit_columns: frozenset[str] = frozenset()
) -> list[str]:
    """PostgreSQL statements for one parsed T-SQL statement.

    `bit_columns`: names of BIT (stand-in BOOLEAN) columns, whose comparisons with 0/1 become TRUE/FALSE.
    """
    dropped = _column_guarded_drop(tree)
    if dropped is not None:
        return [dropped]
    tree = _unguard(tree, source)
    if bit_columns:
        _rewrite_bit_comparisons(tree, bit_columns)
    statements: list[str] = []
    rowversion_table: str | None = None
    if isinstance(tree, exp.Create) and tree.kind == "TABLE":
        rowversion_table = _rewrite_columns(tree)
        # T-SQL key columns carry a sort order; PostgreSQL constraints take plain column lists.
        for key in tree.find_all(exp.PrimaryKey, exp.UniqueColumnConstraint):
            for ordered in list(key.find_all(exp.Ordered)):
                ordered.replace(ordered.this)
    if isinstance(tree, exp.Alter) and tree.args.get("kind") == "TABLE":
        rowversion_table = _rewrite_columns(tree)
    if isinstance(tree, exp.Create) and tree.kind and "INDEX" in tree.kind:
        tree.set("kind", "INDEX")
    if isinstance(tree, exp.Update) and tree.args.get("from_") is not None:
        _rewrite_update_from(tree, source)
    _rewrite_collations(tree, source)
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() in _UTC_NOW_FUNCTIONS:
            node.replace(exp.func("timezone", exp.Literal.string("utc"), exp.func("now")))
    for node in list(tree.find_all(exp.Parameter)):
        if not parameters:
            raise InvalidInput(f"{source}: @variables only belong in '-- Stand-in: query' files")
        node.replace(exp.column(_PARAM_SENTINEL + parameter_name(node.this)))
    if rowversion_table is not None:
        statements.extend(STANDIN_PRELUDE)
    text = tree.sql(dialect="postgres")
    if parameters:
        text = re.sub(_PARAM_SENTINEL + r"(\w+)", r"%(\1)s", text.replace("%", "%%"))
    statements.append(text)
    if rowversion_table is not None:
        statements.append(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {rowversion_table}")
        statements.append(
            f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE ON {rowversion_table} "
            f"FOR EACH ROW EXECUTE FUNCTION {TOUCH_FUNCTION}()"
        )
        statements.append(ROWVERSION_CATCH_UP.format(table=rowversion_table))
    return statements


def _rewrite_collations(tree: exp.Expression, source: str) -> None:
    """A case- and accent-sensitive or binary SQL Server collation compares these strings as PostgreSQL's
    "C" does; a case- or accent-insensitive one has no faithful equivalent here, so it is refused."""
    for node in list(tree.find_all(exp.Collate)):
        name = node.expression.name
        if not re.search(r"_(CS_AS|BIN2?)(_|$)", name, re.IGNORECASE):
            raise InvalidInput(
                f"{source}: COLLATE {name}: only case- and accent-sensitive or binary "
                'collations have a stand-in equivalent ("C")'
            )
        node.set("expression", exp.Identifier(this="C", quoted=True))


def _rewrite_bit_comparisons(tree: exp.Expression, bit_columns: frozenset[str]) -> None:
    for comparison in list(tree.find_all(exp.EQ, exp.NEQ)):
        for side, other in (("this", "expression"), ("expression", "this")):
            column, value = comparison.args.get(side), comparison.args.get(other)
            if (
                isinstance(column, exp.Column)
                and column.name.lower() in bit_columns
                and isinstance(value, exp.Literal)
                and value.this in ("0", "1")
            ):
                comparison.set(other, exp.Boolean(this=value.this == "1"))


def _column_guarded_drop(tree: exp.Expression) -> str | None:
    """`IF COL_LENGTH(N't', N'c') IS [NOT] NULL DROP TABLE [IF EXISTS] t` (an upgrade that re-creates a table
    whose shape changed) as a PostgreSQL DO block; None for any other statement."""
    if not isinstance(tree, exp.IfBlock) or tree.args.get("false"):
        return None
    condition, body = tree.this, tree.args.get("true")
    inner = body.expressions if isinstance(body, exp.Block) else [body]
    negated = isinstance(condition, exp.Not)
    test = condition.this if negated else condition
    if not (
        len(inner) == 1
        and isinstance(inner[0], exp.Drop)
        and inner[0].args.get("kind") == "TABLE"
        and isinstance(test, exp.Is)
        and isinstance(test.this, exp.Anonymous)
        and test.this.name.upper() == "COL_LENGTH"
        and len(test.this.expressions) == 2
    ):
        return None
    table_name, column = (arg.name.lower() for arg in test.this.expressions)
    schema, _, table = table_name.rpartition(".")
    drop = inner[0].sql(dialect="postgres")
    return (
        f"DO $$\nBEGIN\n    IF {'' if negated else 'NOT '}EXISTS (SELECT 1 FROM information_schema.columns "
        f"WHERE table_schema = '{schema or 'public'}' AND table_name = '{table}' AND column_name = '{column}') "
        f"THEN\n        {drop};\n    END IF;\nEND;\n$$"
    )


def _unguard(tree: exp.Expression, source: str) -> exp.Expression:
    """`IF <not there yet> CREATE ...` is T-SQL's CREATE ... IF NOT EXISTS."""
    if not isinstance(tree, exp.IfBlock):
        return tree
    body = tree.args.get("true")
    inner = body.expressions if isinstance(body, exp.Block) else [body]
    if (
        len(inner) == 1
        and isinstance(inner[0], exp.Alter)
        and not tree.args.get("false")
        and all(isinstance(action, exp.ColumnDef) for action in inner[0].args.get("actions") or [])
    ):
        # `IF COL_LENGTH(...) IS NULL ALTER TABLE t ADD c ...` (an upgrade) is ADD COLUMN IF NOT EXISTS.
        for action in inner[0].args["actions"]:
            action.set("exists", True)
        return inner[0]
    if tree.args.get("false") or len(inner) != 1 or not isinstance(inner[0], exp.Create):
        raise InvalidInput(
            f"{source}: only 'IF <guard> CREATE ...' and 'IF <guard> ALTER TABLE ... ADD <column>' "
            f"re-run guards can be transpiled (got {tree.sql('tsql')[:80]!r})"
        )
    create = inner[0]
    create.set("exists", True)
    return create


def _rewrite_columns(create: exp.Create | exp.Alter) -> str | None:
    """ROWVERSION, BIT and TINYINT columns; returns the table name when it has a rowversion column."""
    rowversion_table = None
    for column in create.find_all(exp.ColumnDef):
        kind = column.args.get("kind")
        if not isinstance(kind, exp.DataType):
            continue
        if kind.this == exp.DataType.Type.ROWVERSION:
            column.set("this", exp.to_identifier("RowVer"))
            column.set("kind", exp.DataType.build("BIGINT"))
            column.set(
                "constraints",
                [
                    exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()),
                    exp.ColumnConstraint(
                        kind=exp.DefaultColumnConstraint(this=exp.Anonymous(this=ROWVERSION_FUNCTION))
                    ),
                ],
            )
            # CREATE TABLE holds its table inside a Schema (with the columns); ALTER TABLE holds it bare.
            table = create.this if isinstance(create.this, exp.Table) else create.this.this
            rowversion_table = table.sql(dialect="postgres")
        elif kind.this == exp.DataType.Type.BIT:
            column.set("kind", exp.DataType.build("BOOLEAN"))
            for default in column.find_all(exp.DefaultColumnConstraint):
                value = default.this.unnest() if isinstance(default.this, exp.Paren) else default.this
                if isinstance(value, exp.Literal) and value.this in ("0", "1"):
                    default.set("this", exp.Boolean(this=value.this == "1"))
        elif kind.this in (exp.DataType.Type.TINYINT, exp.DataType.Type.UTINYINT):
            column.set("kind", exp.DataType.build("SMALLINT"))
        elif kind.this == exp.DataType.Type.FLOAT and not kind.expressions:
            # T-SQL FLOAT is float(53), an 8-byte double; sqlglot would make it a 4-byte REAL.
            column.set("kind", exp.DataType.build("DOUBLE PRECISION"))
        elif kind.this in (exp.DataType.Type.MONEY, exp.DataType.Type.SMALLMONEY):
            # PostgreSQL's money type formats by locale; SQL Server's is a fixed 4-decimal number.
            column.set("kind", exp.DataType.build("NUMERIC(19, 4)"))
        elif kind.this in (exp.DataType.Type.VARBINARY, exp.DataType.Type.BINARY):
            # BYTEA takes no length: VARBINARY(n) and VARBINARY(MAX) both become plain BYTEA.
            column.set("kind", exp.DataType.build("BYTEA"))
        elif any(isinstance(p, exp.DataTypeParam) and p.name.upper() == "MAX" for p in kind.expressions):
            # (N)VARCHAR(MAX) is PostgreSQL's unbounded TEXT.
            column.set("kind", exp.DataType.build("TEXT"))
    return rowversion_table


def _rewrite_update_from(update: exp.Update, source: str) -> None:
    """T-SQL `UPDATE a SET a.x = s.y FROM t AS a JOIN s ON c` -> PostgreSQL `UPDATE t AS a SET x = s.y FROM s WHERE c`."""
    target_alias = update.this.name
    from_table = update.args["from_"].this
    if not isinstance(from_table, exp.Table) or from_table.alias_or_name != target_alias:
        raise InvalidInput(f"{source}: UPDATE ... FROM must name its target first in FROM ({target_alias!r})")
    joins = from_table.args.get("joins") or []
    if not joins or joins[0].side or joins[0].args.get("on") is None:
        raise InvalidInput(f"{source}: UPDATE ... FROM needs an INNER JOIN ... ON right after its target")
    first, rest = joins[0], joins[1:]
    condition = first.args["on"]
    source_item = first.this.copy()
    if rest:
        source_item.set("joins", [join.copy() for join in rest])
    target = from_table.copy()
    target.set("joins", None)
    update.set("this", target)
    update.set("from_", exp.From(this=source_item))
    where = update.args.get("where")
    update.set("where", exp.Where(this=exp.and_(condition.copy(), where.this) if where else condition.copy()))
    for assignment in update.expressions:
        if isinstance(assignment.this, exp.Column):
            assignment.set("this", exp.column(assignment.this.name))
