"""How the tests check T-SQL that cannot run here (no SQL Server): `sqlfluff parse --dialect tsql` over a
folder, and the statements inside `EXEC (N'...')` strings, which sqlfluff sees only as string literals."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

SQLFLUFF = Path(sys.executable).with_name("sqlfluff")


def tsql_parse_errors(directory: Path) -> str:
    """What `sqlfluff parse --dialect tsql` rejects in a directory ("" when every file parses)."""
    result = subprocess.run(
        [str(SQLFLUFF), "parse", "--dialect", "tsql", str(directory)],
        check=False,
        capture_output=True,
        text=True,
        timeout=240,
    )
    unparsable = [
        line for line in result.stdout.splitlines() if "PRS" in line or "unparsable" in line.lower()
    ]
    if result.returncode == 0 and not unparsable:
        return ""
    return "\n".join(unparsable) or result.stdout[-3000:] + result.stderr[-2000:]


# ---- The statements inside EXEC (N'...') ----------------------------------------------------------------

EXEC_STRING = re.compile(r"\bEXEC\s*\(\s*N'((?:[^']|'')*)'\s*\)", re.IGNORECASE)
SQLCMD_VARIABLE = re.compile(r"\$\((\w+)\)")

# The statements sqlfluff's T-SQL grammar lacks, written from their syntax pages on Microsoft Learn
# (the page title beside each). Statements are compared in a normal form: one space between tokens,
# a space on both sides of ( ) , =, no final semicolon; case does not matter.
_NAME = r"\[?[A-Za-z_][\w$#@]*\]?"
_STR = r"N?'(?:[^']|'')*'"
_NUM = r"\d+"


def _list(item: str) -> str:
    return rf"{item}(?: , {item})*"


_BACKUP_OPTION = (
    rf"(?:FORMAT|NOFORMAT|INIT|NOINIT|COMPRESSION|NO_COMPRESSION|CHECKSUM|NO_CHECKSUM"
    rf"|COPY_ONLY|STATS(?: = {_NUM})?|NAME = {_STR}|DESCRIPTION = {_STR})"
)
_RESTORE_OPTION = (
    rf"(?:MOVE {_STR} TO {_STR}|REPLACE|CHECKSUM|NO_CHECKSUM|RECOVERY|NORECOVERY"
    rf"|STATS(?: = {_NUM})?|FILE = {_NUM})"
)
_AUDIT_FILE_OPTION = (
    rf"(?:FILEPATH = {_STR}|MAXSIZE = (?:{_NUM} (?:MB|GB|TB)|UNLIMITED)"
    rf"|MAX_ROLLOVER_FILES = (?:{_NUM}|UNLIMITED)|MAX_FILES = {_NUM}|RESERVE_DISK_SPACE = (?:ON|OFF))"
)
_AUDIT_OPTION = (
    rf"(?:QUEUE_DELAY = {_NUM}|ON_FAILURE = (?:CONTINUE|SHUTDOWN|FAIL_OPERATION)|STATE = (?:ON|OFF))"
)
_AUDIT_ACTION = r"(?:SELECT|INSERT|UPDATE|DELETE|EXECUTE|RECEIVE|REFERENCES)"
_AUDIT_GROUP = rf"ADD \( {_NAME} \)"
_AUDIT_SPECIFICATION = rf"ADD \( (?:{_NAME}|{_list(_AUDIT_ACTION)} ON {_NAME}(?:\.{_NAME})? BY {_NAME}) \)"
_XE_OBJECT = rf"{_NAME}\.{_NAME}"
_XE_COMPARISON = rf"(?:{_XE_OBJECT}|{_NAME}) (?:=|<>|>|<|>=|<=) (?:{_STR}|{_NUM})"
_XE_PREDICATE = rf"{_XE_COMPARISON}(?: (?:AND|OR) {_XE_COMPARISON})*"
_XE_EVENT = (
    rf"ADD EVENT {_XE_OBJECT}"
    rf"(?: \( (?:ACTION \( {_list(_XE_OBJECT)} \) )?(?:WHERE \( {_XE_PREDICATE} \) )?\))?"
)
_XE_SESSION_OPTION = (
    rf"(?:MAX_DISPATCH_LATENCY = {_NUM} SECONDS|STARTUP_STATE = (?:ON|OFF)"
    rf"|MAX_MEMORY = {_NUM} (?:KB|MB))"
)
_QUERY_STORE_OPTION = (
    r"(?:OPERATION_MODE = (?:READ_WRITE|READ_ONLY)"
    r"|QUERY_CAPTURE_MODE = (?:ALL|AUTO|NONE|CUSTOM)"
    rf"|INTERVAL_LENGTH_MINUTES = {_NUM}|MAX_STORAGE_SIZE_MB = {_NUM}"
    rf"|DATA_FLUSH_INTERVAL_SECONDS = {_NUM}|MAX_PLANS_PER_QUERY = {_NUM}"
    rf"|SIZE_BASED_CLEANUP_MODE = (?:AUTO|OFF))"
)
DOCUMENTED_SYNTAX = {
    "CREATE CERTIFICATE (Transact-SQL), self-signed": rf"CREATE CERTIFICATE {_NAME} WITH SUBJECT = {_STR}(?: , (?:EXPIRY_DATE|START_DATE) = {_STR})*",
    "CREATE CERTIFICATE (Transact-SQL), from a file": rf"CREATE CERTIFICATE {_NAME} FROM FILE = {_STR} WITH PRIVATE KEY \( FILE = {_STR} , "
    rf"DECRYPTION BY PASSWORD = {_STR}(?: , ENCRYPTION BY PASSWORD = {_STR})? \)",
    "BACKUP CERTIFICATE (Transact-SQL)": rf"BACKUP CERTIFICATE {_NAME} TO FILE = {_STR} WITH PRIVATE KEY \( FILE = {_STR} , "
    rf"ENCRYPTION BY PASSWORD = {_STR} \)",
    "DROP CERTIFICATE (Transact-SQL)": rf"DROP CERTIFICATE {_NAME}",
    "CREATE SYMMETRIC KEY (Transact-SQL)": rf"CREATE SYMMETRIC KEY {_NAME} WITH ALGORITHM = AES_(?:128|192|256) "
    rf"ENCRYPTION BY CERTIFICATE {_NAME}",
    "CLOSE SYMMETRIC KEY (Transact-SQL)": rf"CLOSE (?:SYMMETRIC KEY {_NAME}|ALL SYMMETRIC KEYS)",
    "CREATE DATABASE ENCRYPTION KEY (Transact-SQL)": rf"CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = (?:AES_128|AES_192|AES_256|TRIPLE_DES_3KEY) "
    rf"ENCRYPTION BY SERVER (?:CERTIFICATE|ASYMMETRIC KEY) {_NAME}",
    "OPEN MASTER KEY (Transact-SQL)": rf"OPEN MASTER KEY DECRYPTION BY PASSWORD = {_STR}",
    "CLOSE MASTER KEY (Transact-SQL)": r"CLOSE MASTER KEY",
    "BACKUP (Transact-SQL)": rf"BACKUP DATABASE {_NAME} TO DISK = {_STR} WITH {_list(_BACKUP_OPTION)}",
    "RESTORE Statements (Transact-SQL)": rf"RESTORE DATABASE {_NAME} FROM DISK = {_STR}(?: WITH {_list(_RESTORE_OPTION)})?",
    "RESTORE Statements - VERIFYONLY, FILELISTONLY, HEADERONLY": rf"RESTORE (?:VERIFYONLY|FILELISTONLY|HEADERONLY) FROM DISK = {_STR}"
    rf"(?: WITH {_list(_RESTORE_OPTION)})?",
    "ALTER DATABASE SET options (Transact-SQL), QUERY_STORE": rf"ALTER DATABASE (?:CURRENT|{_NAME}) SET QUERY_STORE \( {_list(_QUERY_STORE_OPTION)} \)",
    "CREATE EVENT SESSION (Transact-SQL)": rf"CREATE EVENT SESSION {_NAME} ON SERVER {_list(_XE_EVENT)} "
    rf"ADD TARGET {_XE_OBJECT} \( SET {_list(rf'{_NAME} = (?:{_STR}|{_NUM})')} \)"
    rf"(?: WITH \( {_list(_XE_SESSION_OPTION)} \))?",
    "ALTER EVENT SESSION (Transact-SQL)": rf"ALTER EVENT SESSION {_NAME} ON SERVER STATE = (?:START|STOP)",
    "DROP EVENT SESSION (Transact-SQL)": rf"DROP EVENT SESSION {_NAME} ON SERVER",
    "CREATE LOGIN (Transact-SQL)": rf"CREATE LOGIN {_NAME} WITH PASSWORD = {_STR}"
    rf"(?: , (?:DEFAULT_DATABASE = {_NAME}|CHECK_POLICY = (?:ON|OFF)))*",
    "ALTER LOGIN (Transact-SQL)": rf"ALTER LOGIN {_NAME} WITH PASSWORD = {_STR}",
    "CREATE SERVER AUDIT (Transact-SQL)": rf"CREATE SERVER AUDIT {_NAME} TO FILE \( {_list(_AUDIT_FILE_OPTION)} \)"
    rf"(?: WITH \( {_list(_AUDIT_OPTION)} \))?",
    "ALTER SERVER AUDIT (Transact-SQL)": rf"ALTER SERVER AUDIT {_NAME} WITH \( STATE = (?:ON|OFF) \)",
    "CREATE SERVER AUDIT SPECIFICATION (Transact-SQL)": rf"CREATE SERVER AUDIT SPECIFICATION {_NAME} FOR SERVER AUDIT {_NAME} "
    rf"{_list(_AUDIT_GROUP)}(?: WITH \( STATE = (?:ON|OFF) \))?",
    "CREATE DATABASE AUDIT SPECIFICATION (Transact-SQL)": rf"CREATE DATABASE AUDIT SPECIFICATION {_NAME} FOR SERVER AUDIT {_NAME} "
    rf"{_list(_AUDIT_SPECIFICATION)}(?: WITH \( STATE = (?:ON|OFF) \))?",
}


def normal_form(statement: str) -> str:
    """Outside string literals: a space around ( ) , =, single spaces; the final semicolon dropped."""
    parts = re.split(r"(N?'(?:[^']|'')*')", statement)
    spaced = "".join(
        part if i % 2 else re.sub(r"\s*([(),]|(?<![<>!])=)\s*", r" \1 ", part) for i, part in enumerate(parts)
    )
    return re.sub(r"\s+", " ", spaced).strip().rstrip(";").strip()


def exec_statements(text: str) -> list[str]:
    """The statements of every EXEC (N'...') in a T-SQL file: the literal read back (quotes un-doubled,
    sqlcmd variables given a value), split on the semicolons outside string literals."""
    code = re.sub(r"('(?:[^']|'')*')|--[^\n]*|/\*.*?\*/", lambda m: m.group(1) or " ", text, flags=re.DOTALL)
    statements = []
    for match in EXEC_STRING.finditer(code):
        literal = SQLCMD_VARIABLE.sub("sqlcmd_value", match.group(1).replace("''", "'"))
        statements += [s.strip() for s in re.findall(r"(?:[^;']|'(?:[^']|'')*')+", literal) if s.strip()]
    return statements


@cache
def _linter():
    from sqlfluff.core import FluffConfig, Linter

    return Linter(config=FluffConfig(overrides={"dialect": "tsql"}))


def exec_statement_problem(statement: str) -> str | None:
    """None when sqlfluff parses the statement or it has a documented form above; else what is wrong."""
    parsed = _linter().parse_string(statement + ";")
    if not parsed.violations:
        return None
    shape = normal_form(statement)
    if any(re.fullmatch(pattern, shape, re.IGNORECASE) for pattern in DOCUMENTED_SYNTAX.values()):
        return None
    return f"{shape[:120]!r}: sqlfluff: {parsed.violations[0].desc()[:160]}; and no documented form matches"
