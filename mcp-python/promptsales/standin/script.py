"""Reading a db-init T-SQL file: its stand-in marker, its batches, and their PostgreSQL translation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from promptsales.errors import InvalidInput
from promptsales.standin import transform

MARKER_RE = re.compile(
    r"^--\s*Stand-in:\s*(transpile|query|sqlserver-only|postgres-file)\b(.*)$", re.MULTILINE
)
# "-- Stand-in: postgres-file standin/055_x.sql — why": the path, then the reason.
POSTGRES_FILE_RE = re.compile(r"^\s+(\S+\.sql)\b(.*)$")
GO_RE = re.compile(r"^\s*GO\s*;?\s*$", re.MULTILINE | re.IGNORECASE)
# CREATE SCHEMA must be alone in its batch on SQL Server, hence the EXEC form of the re-run guard.
SCHEMA_GUARD_RE = re.compile(
    r"IF\s+SCHEMA_ID\s*\(\s*N?'(\w+)'\s*\)\s+IS\s+NULL\s+EXEC\s*\(\s*N?'CREATE\s+SCHEMA\s+(\w+)'\s*\)\s*;?",
    re.IGNORECASE,
)
# Session options that mean nothing (or something else) on PostgreSQL.
SESSION_OPTIONS = {
    "NOCOUNT",
    "XACT_ABORT",
    "ANSI_NULLS",
    "QUOTED_IDENTIFIER",
    "STATISTICS",
    "ANSI_PADDING",
    "ANSI_WARNINGS",
    "ARITHABORT",
    "CONCAT_NULL_YIELDS_NULL",
    "NUMERIC_ROUNDABORT",
    "DATEFIRST",
}


@dataclass(frozen=True)
class StandinQuery:
    """A "-- Stand-in: query" file, transpiled: run each statement with `parameters` (psycopg named style)."""

    statements: list[str]
    parameters: dict[str, object] = field(default_factory=dict)


def split_batches(text: str) -> list[str]:
    """T-SQL batches as sqlcmd sends them: split on lines that hold only GO; empty batches dropped."""
    return [batch for batch in GO_RE.split(text) if batch.strip()]


def marker(path: Path) -> str:
    """The file's stand-in marker: "transpile", "query", "sqlserver-only" or "postgres-file" (exactly one)."""
    return _checked_marker(path)[0]


def postgres_file(path: Path) -> Path:
    """The PostgreSQL file a "postgres-file" marker names, resolved against the T-SQL file's folder."""
    kind, named = _checked_marker(path)
    if kind != "postgres-file":
        raise InvalidInput(f"{path.name}: is not marked '-- Stand-in: postgres-file'")
    target = path.parent / named
    if not target.is_file():
        raise InvalidInput(
            f"{path.name}: its stand-in file {target.relative_to(path.parent)} does not exist "
            f"(looked for {target})"
        )
    return target


def statements_for_standin(path: Path) -> list[str]:
    """PostgreSQL statements for one file: its DDL ("transpile"), its queries ("query"), the named
    PostgreSQL file's whole text as one statement ("postgres-file"), or [] (sqlserver-only)."""
    kind = marker(path)
    if kind == "sqlserver-only":
        return []
    if kind == "query":
        return query_for_standin(path).statements
    if kind == "postgres-file":
        # Run whole: without parameters psycopg sends a multi-statement text as written, $$ bodies and all.
        return [postgres_file(path).read_text()]
    return transpile_tsql(path.read_text(), source=path.name)


def _checked_marker(path: Path) -> tuple[str, str]:
    """The marker's kind and, for "postgres-file", the file it names; raises when the line is malformed."""
    found = MARKER_RE.findall(path.read_text())
    if len(found) != 1:
        raise InvalidInput(
            f"{path.name}: needs exactly one '-- Stand-in: transpile|query|sqlserver-only|"
            f"postgres-file' line in its header (found {len(found)})"
        )
    kind, rest = found[0]
    if kind == "sqlserver-only" and not _reason(rest):
        raise InvalidInput(f"{path.name}: '-- Stand-in: sqlserver-only' must say why")
    if kind != "postgres-file":
        return kind, ""
    match = POSTGRES_FILE_RE.match(rest)
    if match is None:
        raise InvalidInput(
            f"{path.name}: '-- Stand-in: postgres-file' must name a .sql file "
            f"(relative to {path.parent.name}/) and say why"
        )
    if not _reason(match.group(2)):
        raise InvalidInput(f"{path.name}: '-- Stand-in: postgres-file {match.group(1)}' must say why")
    return kind, match.group(1)


def _reason(text: str) -> str:
    return text.strip(" -—:")


def transpile_tsql(text: str, source: str = "<text>") -> list[str]:
    """Translate T-SQL DDL/DML batches into PostgreSQL statements (ROWVERSION triggers included)."""
    statements: list[str] = []
    for tree in _parse(text, source):
        if isinstance(tree, exp.Declare):
            raise InvalidInput(f"{source}: DECLARE belongs in '-- Stand-in: query' files")
        for statement in transform.to_postgres(tree, source):
            # The stand-in prelude comes with every rowversion table; once per file is enough.
            if statement not in transform.STANDIN_PRELUDE or statement not in statements:
                statements.append(statement)
    return statements


def query_for_standin(path: Path) -> StandinQuery:
    """A query file: DECLAREd variables become defaults of named parameters, the rest runs as written."""
    if marker(path) != "query":
        raise InvalidInput(f"{path.name}: is not marked '-- Stand-in: query'")
    parameters: dict[str, object] = {}
    statements: list[str] = []
    bit_columns = bit_columns_of(path.parent)
    for tree in _parse(path.read_text(), path.name):
        if isinstance(tree, exp.Declare):
            parameters.update(_declared_defaults(tree, path.name))
            continue
        statements.extend(transform.to_postgres(tree, path.name, parameters=True, bit_columns=bit_columns))
    return StandinQuery(statements, parameters)


def bit_columns_of(directory: Path) -> frozenset[str]:
    """Names (lower case) of the BIT columns the directory's transpiled tables declare.

    A query compares them with 0/1 in T-SQL; on the stand-in they are BOOLEAN and need TRUE/FALSE.
    """
    names: set[str] = set()
    for path in sorted(directory.glob("*.sql")):
        if marker(path) != "transpile":
            continue
        for tree in _parse(path.read_text(), path.name):
            for column in tree.find_all(exp.ColumnDef):
                kind = column.args.get("kind")
                if isinstance(kind, exp.DataType) and kind.this == exp.DataType.Type.BIT:
                    names.add(column.name.lower())
    return frozenset(names)


def _parse(text: str, source: str) -> list[exp.Expression]:
    trees: list[exp.Expression] = []
    for batch in GO_RE.split(text):
        batch = SCHEMA_GUARD_RE.sub(lambda m: f"CREATE SCHEMA IF NOT EXISTS {m.group(2)};", batch)
        if not _strip_comments(batch).strip():
            continue
        try:
            parsed = sqlglot.parse(batch, read="tsql")
        except ParseError as exc:
            raise InvalidInput(f"{source}: T-SQL the stand-in transpiler cannot parse: {exc}") from exc
        for tree in parsed:
            if tree is None or _is_session_option(tree):
                continue
            if isinstance(tree, exp.Command):
                raise InvalidInput(
                    f"{source}: statement not understood by the transpiler: {tree.sql('tsql')[:80]!r}"
                )
            trees.append(tree)
    return trees


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL))


def _is_session_option(tree: exp.Expression) -> bool:
    if not isinstance(tree, exp.Set):
        return False
    words = tree.sql("tsql").upper().replace("SET ", "", 1).replace("=", " ").split()
    return bool(words) and words[0] in SESSION_OPTIONS


def _declared_defaults(tree: exp.Declare, source: str) -> dict[str, object]:
    defaults: dict[str, object] = {}
    for item in tree.expressions:
        names = item.this if isinstance(item.this, list) else [item.this]
        default = item.args.get("default")
        if default is None:
            raise InvalidInput(f"{source}: DECLARE without a default value cannot become a parameter")
        value = _literal_value(default, item.args.get("kind"), source)
        for name in names:
            defaults[transform.parameter_name(name)] = value
    return defaults


def _literal_value(node: exp.Expression, kind: exp.DataType | None, source: str) -> object:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Neg):
        return -_literal_value(node.this, kind, source)  # type: ignore[operator]
    if isinstance(node, exp.National):
        text = node.name
    elif isinstance(node, exp.Literal):
        text = node.this
        if not node.is_string:
            return Decimal(text) if "." in text else int(text)
    else:
        raise InvalidInput(f"{source}: DECLARE default must be a literal (got {node.sql('tsql')!r})")
    if kind is not None and kind.this in (exp.DataType.Type.DATE,):
        return date.fromisoformat(text)
    return text
