"""The PostgreSQL twins (promptsales.crm_demos.scenarios) follow their T-SQL procedures
(db-init/promptcrm/100_create_procedures_concurrency.sql) statement by statement.

Two small extractors, one per language, each reading source text only, turn a procedure and its twin
into the same vocabulary of steps: the statements that touch crm.Clients (normalised: variables to
`:name`, UPDLOCK to FOR UPDATE), the transaction boundaries, the isolation level, the waits and every
THROW with its number and message, in source order, EXEC and calls of other twins inlined. What the
comparison ignores, on purpose: argument conditions (their THROWs are compared), local variables and
the CATCH block, whose rollback `with conn.transaction()` does (a separate test checks every CATCH).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from promptsales.crm_demos import scenarios
from promptsales.dbinit.crm import SQL_DIR

PROCEDURES_FILE = SQL_DIR / "100_create_procedures_concurrency.sql"
# PostgreSQL's REPEATABLE READ is snapshot isolation: one snapshot for the whole transaction.
ISOLATION_ON_POSTGRESQL = {"snapshot": "repeatable read"}


def _sql(text: str) -> str:
    """A statement in a form both languages reach: lower case, one space, no trailing semicolon."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(";").strip()
    text = re.sub(r"\s*([(),])\s*", r"\1 ", text).replace("( ", "(").replace(" )", ")")
    return text.lower().strip()


# ---- T-SQL ---------------------------------------------------------------------------------------------


def tsql_procedures(text: str) -> dict[str, str]:
    """Procedure name -> body, from CREATE OR ALTER PROCEDURE batches."""
    bodies = {}
    for batch in re.split(r"^GO\s*$", text, flags=re.MULTILINE):
        batch = re.sub(r"--[^\n]*", "", batch)
        match = re.search(
            r"CREATE OR ALTER PROCEDURE (\S+)(.*?)\bAS\s+BEGIN\b(.*)\bEND;\s*$", batch, re.DOTALL
        )
        if match:
            bodies[match.group(1)] = match.group(3)
    return bodies


def _tsql_statement(statement: str) -> str:
    """One T-SQL DML statement: SELECT @v = col -> SELECT col, table hints -> FOR UPDATE, @Var -> :var."""
    locked = re.search(r"WITH \(([^)]*UPDLOCK[^)]*)\)", statement, re.IGNORECASE) is not None
    statement = re.sub(r"\bWITH \([^)]*\)", "", statement, flags=re.IGNORECASE)
    statement = re.sub(r"(?i)\b(SELECT|,)\s*@\w+\s*=\s*", r"\1 ", statement)
    statement = re.sub(r"@(\w+)", lambda m: ":" + m.group(1).lower(), statement)
    return _sql(statement + (" FOR UPDATE" if locked else ""))


def tsql_steps(name: str, procedures: dict[str, str]) -> list[tuple]:
    body = re.sub(r"\bBEGIN CATCH\b.*?\bEND CATCH;", "", procedures[name], flags=re.DOTALL)
    steps: list[tuple] = []
    for raw in re.findall(r"(?:[^;']|'(?:[^']|'')*')+;", body):
        statement = re.sub(r"\s+", " ", raw).strip().rstrip(";")
        statement = re.sub(r"^(BEGIN TRY|END TRY)\s*", "", statement)
        statement = re.sub(r"^IF .*?\b(THROW .*)$", r"\1", statement)
        if not statement or re.match(r"(DECLARE|SET (NOCOUNT|XACT_ABORT)|SET @)", statement):
            continue
        if throw := re.fullmatch(r"THROW (\d+), N'((?:[^']|'')*)', 1", statement):
            steps.append(("throw", int(throw.group(1)), throw.group(2).replace("''", "'")))
        elif call := re.fullmatch(r"EXEC (crm\.\w+)\b.*", statement):
            steps.extend(tsql_steps(call.group(1), procedures))
        elif statement in ("BEGIN TRANSACTION", "COMMIT TRANSACTION"):
            steps.append((statement.split()[0].lower(),))
        elif statement.startswith("WAITFOR DELAY"):
            steps.append(("wait",))
        elif level := re.fullmatch(r"SET TRANSACTION ISOLATION LEVEL ([A-Z ]+)", statement):
            name_ = level.group(1).lower()
            steps.append(("isolation", ISOLATION_ON_POSTGRESQL.get(name_, name_)))
        elif re.match(r"(SELECT|UPDATE|INSERT|DELETE)\b", statement) and "crm." in statement:
            steps.append(("sql", _tsql_statement(statement)))
        elif re.fullmatch(r"SELECT @\w+ AS \w+", statement):
            continue  # hands a variable back to the caller; reads no table
        else:
            raise AssertionError(f"{name}: a statement the step extractor does not know: {statement!r}")
    return steps


# ---- Python ---------------------------------------------------------------------------------------------


class PythonTwins:
    """Step lists of scenarios' functions, from their source (module-level string constants resolved)."""

    def __init__(self, source: str):
        self.tree = ast.parse(source)
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.constants: dict[str, str] = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                try:
                    self.constants[node.targets[0].id] = self._string(node.value)
                except ValueError:
                    continue

    def _string(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.constants[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._string(node.left) + self._string(node.right)
        raise ValueError(ast.dump(node))

    def steps(self, name: str) -> list[tuple]:
        return self._block(self.functions[name].body)

    def _block(self, statements: list[ast.stmt]) -> list[tuple]:
        steps: list[tuple] = []
        for statement in statements:
            if isinstance(statement, ast.With):
                steps += [("begin",), *self._block(statement.body), ("commit",)]
            elif isinstance(statement, ast.If):
                steps += self._calls(statement.test) + self._block(statement.body)
                steps += self._block(statement.orelse)
            elif isinstance(statement, ast.Try):
                steps += self._block(statement.body)  # finally: the caller's isolation level back
            elif isinstance(statement, ast.Raise):
                args = statement.exc.args
                steps.append(("throw", args[0].value, self._string(args[1])))
            else:
                steps += self._calls(statement)
        return steps

    def _calls(self, node: ast.AST) -> list[tuple]:
        steps: list[tuple] = []
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
            function = call.func
            if isinstance(function, ast.Attribute) and function.attr == "execute":
                steps.append(self._statement(self._string(call.args[0])))
            elif isinstance(function, ast.Attribute) and function.attr == "sleep":
                steps.append(("wait",))
            elif isinstance(function, ast.Name) and function.id in self.functions:
                steps += self.steps(function.id)
        return steps

    def _statement(self, sql: str) -> tuple:
        level = re.fullmatch(r"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ([A-Z ]+)", sql)
        if level:
            return ("isolation", level.group(1).lower())
        sql = re.sub(r"%\((\w+)\)s", lambda m: ":" + m.group(1).replace("_", ""), sql)
        return ("sql", _sql(sql))


@pytest.fixture(scope="module")
def procedures() -> dict[str, str]:
    return tsql_procedures(PROCEDURES_FILE.read_text())


@pytest.fixture(scope="module")
def twins() -> PythonTwins:
    return PythonTwins(Path(scenarios.__file__).read_text())


def test_every_procedure_has_a_twin(procedures) -> None:
    assert set(procedures) == set(scenarios.TWINS)


@pytest.mark.parametrize("procedure", sorted(scenarios.TWINS))
def test_twin_runs_the_procedures_steps_in_its_order(procedure, procedures, twins) -> None:
    expected = tsql_steps(procedure, procedures)
    assert any(step[0] in ("sql", "throw") for step in expected)
    assert twins.steps(scenarios.TWINS[procedure].__name__) == expected


def test_the_deadlock_procedures_read_clients_only_inside_their_transaction(procedures) -> None:
    """What makes the broken transfer deadlock on SQL Server (READ_COMMITTED_SNAPSHOT OFF): a read of a
    client outside the transaction would block there holding nothing, and no cycle could form."""
    for name in ("crm.PRCRMSP_TransferLoyaltyPointsUnsafe", "crm.PRCRMSP_TransferLoyaltyPoints"):
        steps = tsql_steps(name, procedures)
        begin, commit = steps.index(("begin",)), steps.index(("commit",))
        touching = [i for i, step in enumerate(steps) if step[0] == "sql"]
        assert touching and all(begin < i < commit for i in touching), (name, steps)


def test_the_comparison_catches_a_check_outside_the_transaction(twins) -> None:
    """The shape the demos had before: the clients checked by a procedure that reads crm.Clients before
    BEGIN TRANSACTION. Its steps differ from the twin's, so the comparison would have failed."""
    before = """
CREATE OR ALTER PROCEDURE crm.PRCRMSP_CheckClient @ClientId INT AS BEGIN
    IF NOT EXISTS (SELECT 1 FROM crm.Clients WHERE ClientId = @ClientId)
        THROW 51201, N'Loyalty demo: the client does not exist.', 1;
END;
GO
CREATE OR ALTER PROCEDURE crm.PRCRMSP_TransferLoyaltyPointsUnsafe @FromClientId INT, @ToClientId INT,
    @Points INT AS BEGIN
    EXEC crm.PRCRMSP_CheckClient @FromClientId;
    EXEC crm.PRCRMSP_CheckClient @ToClientId;
    BEGIN TRANSACTION;
    UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints - @Points WHERE ClientId = @FromClientId;
    WAITFOR DELAY @Wait;
    UPDATE crm.Clients SET LoyaltyPoints = LoyaltyPoints + @Points WHERE ClientId = @ToClientId;
    COMMIT TRANSACTION;
END;
GO
"""
    old = tsql_steps("crm.PRCRMSP_TransferLoyaltyPointsUnsafe", tsql_procedures(before))
    assert old[0] == ("throw", 51201, "Loyalty demo: the client does not exist.")
    assert old != twins.steps("transfer_points_unsafe")


def test_every_catch_rolls_back_and_rethrows(procedures) -> None:
    text = PROCEDURES_FILE.read_text()
    catches = re.findall(r"BEGIN CATCH(.*?)END CATCH;", text, re.DOTALL)
    with_transaction = [n for n in procedures if "BEGIN TRANSACTION" in procedures[n]]
    assert all(procedures[n].count("BEGIN CATCH") == 1 for n in with_transaction)
    assert len(catches) == len(with_transaction) >= 5
    assert all("IF XACT_STATE() <> 0 ROLLBACK TRANSACTION;" in c and "THROW;" in c for c in catches)
