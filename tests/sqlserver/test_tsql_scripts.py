"""Rules every T-SQL script of the project keeps so that it does on SQL Server 2022 what its header says,
checked on the text (no SQL Server here): the session options its objects need, `-I` on every sqlcmd
line, and the statements hidden in EXEC (N'...') strings parse as well as the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from promptsales import clients
from tsql_check import exec_statement_problem, exec_statements, tsql_parse_errors

ROOT = Path(__file__).resolve().parents[2]
TSQL_FILES = sorted(
    [
        *ROOT.glob("db-init/promptads/*.sql"),
        *ROOT.glob("db-init/promptcrm/*.sql"),
        *ROOT.glob("k8s/base/files/mssql-*.sql"),
    ]
)
# SQL Server's "Required SET options for indexed views" (CREATE INDEX, Remarks), which XML data type
# methods require too: without them a write to a table an indexed view reads fails with Msg 1934.
REQUIRED_OPTIONS = {
    "ANSI_NULLS": "ON",
    "ANSI_PADDING": "ON",
    "ANSI_WARNINGS": "ON",
    "ARITHABORT": "ON",
    "CONCAT_NULL_YIELDS_NULL": "ON",
    "QUOTED_IDENTIFIER": "ON",
    "NUMERIC_ROUNDABORT": "OFF",
}
DOCS = [ROOT / "docs" / name for name in ("promptcrm.md", "promptads.md", "sqlserver-runbook.md")]


# The ETL change logs, which the lead rewrites: they carry the options; their header lines get -I then.
def first_batch_options(text: str) -> dict[str, str] | str:
    """The SET options of the first batch after the header comment, or why there are none."""
    body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    first = re.split(r"^GO\s*$", body, maxsplit=1, flags=re.MULTILINE)
    if len(first) < 2:
        return "no GO ends the first batch"
    statements = [
        line for line in first[0].splitlines() if line.strip() and not line.lstrip().startswith("--")
    ]
    options = {}
    for statement in statements:
        match = re.fullmatch(r"SET (\w+) (ON|OFF);", statement.strip())
        if not match:
            return f"the first batch holds more than SET options: {statement.strip()!r}"
        options[match.group(1)] = match.group(2)
    return options


def sqlcmd_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"\bsqlcmd(\.exe)?\s+-", line)]


@pytest.mark.parametrize("path", TSQL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_sets_the_options_indexed_views_need_before_anything_else(path: Path) -> None:
    """Procedures and triggers keep ANSI_NULLS and QUOTED_IDENTIFIER as they were at CREATE time, and a
    CREATE PROCEDURE must start its batch: so the options come in a batch of their own, first."""
    assert first_batch_options(path.read_text()) == REQUIRED_OPTIONS


@pytest.mark.parametrize("path", TSQL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sqlcmd_line_turns_quoted_identifier_on(path: Path) -> None:
    """sqlcmd starts a session with QUOTED_IDENTIFIER OFF unless given -I."""
    lines = sqlcmd_lines(path.read_text())
    assert lines, f"{path.name}: its header says how to run it with sqlcmd"
    assert all(re.search(r"\s-I\b", line) for line in lines), lines


def test_the_kubernetes_tsql_parses(tmp_path: Path) -> None:
    """db-init's folders are parsed by tests/ads and tests/crm; the bootstrap Job's T-SQL here."""
    for path in ROOT.glob("k8s/base/files/mssql-*.sql"):
        (tmp_path / path.name).write_text(path.read_text())
    assert any(tmp_path.iterdir()) and tsql_parse_errors(tmp_path) == ""


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_documented_sqlcmd_command_uses_I(path: Path) -> None:
    lines = sqlcmd_lines(path.read_text())
    assert lines and all(re.search(r"\s-I\b", line) for line in lines), [
        line for line in lines if not re.search(r"\s-I\b", line)
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("-- header\n\nSET ANSI_NULLS ON;\nGO\n", "missing options"),
        (
            "-- header\n\n"
            + "".join(f"SET {k} {v};\n" for k, v in REQUIRED_OPTIONS.items())
            + "SELECT 1;\nGO\n",
            "the first batch holds more",
        ),
        ("-- header\n\nCREATE TABLE t (x INT);\nGO\n", "the first batch holds more"),
    ],
)
def test_the_options_check_catches_a_file_without_them(text: str, problem: str) -> None:
    found = first_batch_options(text)
    assert found != REQUIRED_OPTIONS
    assert problem == "missing options" or problem in found


def test_pyodbc_sessions_set_the_same_options() -> None:
    """`promptsales db init` and the generators write through pyodbc: the same options, explicitly."""
    statements = re.findall(r"SET (\w+) (ON|OFF);", clients.SQLSERVER_SESSION_OPTIONS)
    assert dict(statements) == REQUIRED_OPTIONS


def test_exec_strings_are_found_and_read_back() -> None:
    text = (
        "-- EXEC (N'IN A COMMENT, sqlfluff''s') is no statement\n"
        "IF 1 = 1 EXEC (N'CREATE CERTIFICATE C WITH SUBJECT = N''it''''s'';\n"
        "    BACKUP CERTIFICATE C TO FILE = N''$(Dir)/c.cer'' WITH PRIVATE KEY (FILE = N''x'', "
        "ENCRYPTION BY PASSWORD = ''$(Password)'');');"
    )
    assert exec_statements(text) == [
        "CREATE CERTIFICATE C WITH SUBJECT = N'it''s'",
        (
            "BACKUP CERTIFICATE C TO FILE = N'sqlcmd_value/c.cer' WITH PRIVATE KEY (FILE = N'x', "
            "ENCRYPTION BY PASSWORD = 'sqlcmd_value')"
        ),
    ]


@pytest.mark.parametrize(
    "path", [p for p in TSQL_FILES if "EXEC (N'" in p.read_text()], ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_the_tsql_inside_exec_strings_parses(path: Path) -> None:
    statements = exec_statements(path.read_text())
    assert statements
    problems = [problem for s in statements if (problem := exec_statement_problem(s))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE SCHEMA",  # sqlfluff's own grammar
        "CREATE CERTIFICAT C WITH SUBJECT = N'x'",
        "CREATE SERVER AUDIT A TO FILE (FILEPATH = N'x', MAXSIZE = 64 MEGS)",
        "CREATE DATABASE AUDIT SPECIFICATION S FOR SERVER AUDIT A ADD (SELECT ON crm.Clients)",
        "CREATE CERTIFICATE C WITH SUBJECT N'x'",
        "BACKUP CERTIFICATE C TO FILE = N'a' WITH PRIVATE KEY (FILE = N'b', ENCRYPTION BY PASWORD = 'p')",
        "CREATE SYMMETRIC KEY K WITH ALGORITHM = AES_257 ENCRYPTION BY CERTIFICATE C",
        "CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE C",
        "RESTORE DATABASE D FROM DISK = N'a' WITH MOVE N'a' N'b'",
        "BACKUP DATABASE D TO DISK = N'a' WITH COMPRESION",
        "CLOSE SYMMETRIC KEY",
        "ALTER EVENT SESSION S ON SERVER STATE = BEGIN",
    ],
)
def test_the_exec_string_check_catches_a_mistake(statement: str) -> None:
    assert exec_statement_problem(statement)
