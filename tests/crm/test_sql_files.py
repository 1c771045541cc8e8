"""db-init/promptcrm: every file parses as T-SQL and says how the stand-in treats it; the stand-in holds
exactly the tables and columns the T-SQL declares (drift test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from promptsales import clients
from promptsales.dbinit import crm as crm_init
from promptsales.dbinit.crm import SQL_DIR, SQLSERVER_INIT_FILES
from promptsales.settings import PROJECT_ROOT
from promptsales.standin import marker, postgres_file
from promptsales_testkit.standin_drift import declared_columns, standin_columns
from tsql_check import tsql_parse_errors

NAME_RE = re.compile(r"^\d{3}_[a-z]+(_[a-z0-9]+)+\.sql$")
SQL_FILES = sorted(SQL_DIR.glob("*.sql"))


def test_every_file_parses_with_sqlfluff_tsql() -> None:
    """One sqlfluff process for the whole folder (a process per file would cost a second each)."""
    assert tsql_parse_errors(SQL_DIR) == ""


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_every_file_has_a_header_and_one_marker(path: Path) -> None:
    assert NAME_RE.match(path.name), "files are named NNN_verb_object.sql"
    header = path.read_text().split("\n\n")[0]
    for part in ("Dialect: T-SQL for SQL Server 2022", "Safe to re-run:", "How to run"):
        assert part in header, f"{path.name} header lacks {part!r}"
    assert marker(path) in {"transpile", "query", "sqlserver-only", "postgres-file"}
    if marker(path) == "postgres-file":
        assert postgres_file(path).is_file()


def test_demo_scripts_that_need_sessions_say_which_window_runs_what() -> None:
    demos = [p for p in SQL_FILES if re.match(r"1[1-5]\d_demo_", p.name)]
    assert len(demos) >= 11
    for path in demos:
        header = path.read_text().split("\n\n")[0]
        assert re.search(r"(Window|computer) \w+", header, re.IGNORECASE), path.name


def test_sqlserver_init_files_need_no_sqlcmd_variables() -> None:
    """`db init` sends these through pyodbc, which knows nothing of sqlcmd's $(Variable)."""
    for name in SQLSERVER_INIT_FILES:
        assert "$(" not in (SQL_DIR / name).read_text(), name


@pytest.mark.stack
def test_standin_matches_the_tsql(fresh_world) -> None:
    settings = fresh_world("test_crmdrift", postgres=("crm_standin_database",))
    crm_init.apply(settings)
    crm_init.apply(settings)  # safe to re-run
    with clients.crm_standin(settings) as conn:
        actual = standin_columns(conn, "crm")
    declared = declared_columns(SQL_DIR)
    assert {t for t, *_ in declared} >= {
        "crm.clients",
        "crm.clientcampaigns",
        "crm.leads",
        "crm.interactions",
        "crm.sales",
        "crm.logs",
        "crm.cities",
        "crm.markethubs",
    }
    assert actual == declared


def _statefulsets() -> set[str]:
    names = set()
    for path in (PROJECT_ROOT / "k8s").rglob("*-statefulset.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "StatefulSet":
                names.add(doc["metadata"]["name"])
    return names


def test_the_backup_and_restore_pods_the_headers_name_exist_in_k8s() -> None:
    """CR7 runs on two servers: every pod 050 and 055 name is the first pod of a StatefulSet in k8s/."""
    statefulsets = _statefulsets()
    for name in ("050_backup_database_server1.sql", "055_restore_and_prove_server2.sql"):
        pods = set(re.findall(r"\b([a-z][a-z0-9-]*)-0\b", (SQL_DIR / name).read_text().split("\n\n")[0]))
        assert pods and pods <= statefulsets, (name, pods - statefulsets)
    assert {"promptcrm-mssql", "restore-mssql"} <= statefulsets


def test_the_certificate_in_master_protects_tde_and_the_column_key() -> None:
    text = (SQL_DIR / "040_create_encryption.sql").read_text()
    master, crm = text.index("USE master;"), text.index("USE PromptCrm;")
    created = text.index("CREATE CERTIFICATE PromptCrmPiiCert\n        WITH SUBJECT")
    backed_up = text.index("BACKUP CERTIFICATE PromptCrmPiiCert TO FILE")
    dek = re.search(
        r"CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256\s+"
        r"ENCRYPTION BY SERVER CERTIFICATE PromptCrmPiiCert",
        text,
    )
    # Made in master, written to its files before it protects anything, then the database key and TDE.
    encryption_on = text.index("ALTER DATABASE PromptCrm SET ENCRYPTION ON")
    assert master < created < backed_up < crm < dek.start() < encryption_on
    copy = text.index("CREATE CERTIFICATE PromptCrmPiiCert FROM FILE")
    assert crm < copy < text.index("ENCRYPTION BY CERTIFICATE PromptCrmPiiCert;")  # the column key


def test_the_restore_fails_without_the_certificate_then_succeeds_with_it() -> None:
    text = (SQL_DIR / "055_restore_and_prove_server2.sql").read_text()
    header = text.split("\n\n")[0]
    # Each outcome is named in the header: no certificate, then the column key without its password.
    assert "Msg 33111" in header and "Cannot find server certificate with thumbprint" in header
    assert "15581" in header
    restores = [m.start() for m in re.finditer(r"RESTORE DATABASE PromptCrmRestored FROM DISK", text)]
    certificate = text.index("CREATE CERTIFICATE PromptCrmPiiCert FROM FILE")
    assert len(restores) == 2 and restores[0] < certificate < restores[1]
    # The first restore is not inside TRY/CATCH, which would replace Msg 33111 by Msg 3013 alone.
    assert "BEGIN TRY" not in text[:certificate]


def test_the_column_key_is_closed_on_every_path() -> None:
    text = (SQL_DIR / "042_create_procedures_pii.sql").read_text()
    procedures = re.findall(r"CREATE OR ALTER PROCEDURE (crm\.\w+)(.*?)\nEND;", text, re.DOTALL)
    assert len(procedures) == 2
    for name, body in procedures:
        opened = body.index("OPEN SYMMETRIC KEY PromptCrmPiiKey")
        tried, caught = body.index("BEGIN TRY"), body.index("BEGIN CATCH")
        assert tried < opened < body.index("CLOSE SYMMETRIC KEY PromptCrmPiiKey") < caught, name
        assert re.search(
            r"IF EXISTS \(SELECT 1 FROM sys\.openkeys WHERE key_name = N'PromptCrmPiiKey'"
            r"[^\n]*\n\s+EXEC \(N'CLOSE SYMMETRIC KEY PromptCrmPiiKey;'\);\s+THROW;",
            body[caught:],
        ), name


def test_context_data_is_bounded_below_what_encryptbykey_returns() -> None:
    """ENCRYPTBYKEY's AES output (Microsoft's formula): 36 + 16 * (FLOOR((8 + bytes + hash) / 16) + 1),
    at most 8,000 bytes; the bound holds even for a 32-byte authenticator hash."""
    text = (SQL_DIR / "042_create_procedures_pii.sql").read_text()
    bound = int(re.search(r"IF DATALENGTH\(@ContextData\) > (\d+)\s+THROW 51104", text).group(1))
    assert 36 + 16 * ((8 + bound + 32) // 16 + 1) <= 8000
    assert f"CONVERT(NVARCHAR({bound // 2}), @ContextData)" in text


def test_the_log_procedure_never_rolls_back_its_callers_transaction() -> None:
    text = (SQL_DIR / "020_create_procedure_log.sql").read_text()
    body = text[text.index("CREATE OR ALTER PROCEDURE crm.PRCRMSP_WriteLog") :]
    catch = body[body.index("BEGIN CATCH") : body.index("END CATCH")]
    assert "SET XACT_ABORT OFF;" in body and "SAVE TRANSACTION PRCRMSP_WriteLog;" in body
    # Every ROLLBACK in the CATCH is either of its own transaction or to its own savepoint.
    rollbacks = re.findall(r"IF (.*?)\s+ROLLBACK TRANSACTION( PRCRMSP_WriteLog)?;", catch)
    assert rollbacks == [
        ("@CallerTransaction = 0 AND XACT_STATE() <> 0", ""),
        ("@Saved = 1 AND XACT_STATE() = 1", " PRCRMSP_WriteLog"),
    ]


def test_the_plan_comparison_compares_like_with_like() -> None:
    """CR10: the variants read the same sales (the same years), one uses the indexes without the view, and
    the estimated costs are read out of the plans."""
    text = (SQL_DIR / "090_compare_plans.sql").read_text()
    variants = dict(re.findall(r"/\* CR10 variant (\w): [^*]*\*/(.*?)\nGO\n", text, re.DOTALL))
    assert set(variants) == {"A", "B", "C"}
    sale_dates = r"s\.SaleDate >= '(\d{4})-01-01' AND s\.SaleDate < '(\d{4})-01-01'"
    table_years = {re.search(sale_dates, variants[v]).groups() for v in "AB"}
    view_years = re.search(r"v\.SaleYear BETWEEN (\d{4}) AND (\d{4})", variants["C"]).groups()
    assert table_years == {(view_years[0], str(int(view_years[1]) + 1))}
    assert "WITH (INDEX (" in variants["A"] and "WITH (INDEX (" not in variants["B"]
    assert all("OPTION (EXPAND VIEWS)" in variants[v] for v in "AB") and "WITH (NOEXPAND)" in variants["C"]
    assert "CREATE INDEX IX_Sales_SaleDate_Covering ON crm.Sales" in text
    assert text.count("@StatementSubTreeCost") == 1 and "SET STATISTICS XML ON" in text
