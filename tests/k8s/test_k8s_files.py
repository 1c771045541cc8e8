"""Every script the bootstrap Job and n8n main run from k8s/base/files/ is exercised by a test: run against
the local stack where its target exists here, else imported with its argument checks driven (Python),
parsed (T-SQL, JavaScript, sh). No SQL Server, MongoDB replica set or cluster exists on this machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from k8s_helpers import K8S, ROOT, load_script
from promptsales.settings import reload_settings

FILES = K8S / "base" / "files"
# Each script and the test that exercises it (and names it).
COVERED_BY = {
    "mssql-create-databases.py": "tests/k8s/test_k8s_files.py",
    "mssql-login.sql": "tests/sqlserver/test_tsql_scripts.py",
    "mssql-audit.sql": "tests/k8s/test_k8s_render.py",
    "n8n-prepare-import.py": "tests/k8s/test_k8s_n8n_import.py",
    "postgres-roles.sql": "tests/k8s/test_k8s_postgres_roles.py",
    "mongodb-replicaset.js": "tests/k8s/test_k8s_files.py",
    "mongodb-users.js": "tests/k8s/test_k8s_files.py",
    "n8n-import.sh": "tests/k8s/test_k8s_files.py",
}


def test_every_script_has_a_test_that_names_it() -> None:
    assert sorted(p.name for p in FILES.iterdir()) == sorted(COVERED_BY)
    for script, test in COVERED_BY.items():
        text = (ROOT / test).read_text()
        assert script in text or script.startswith("mssql-") and "k8s/base/files/mssql-*.sql" in text, test


@pytest.fixture
def create_databases(monkeypatch):
    module = load_script("mssql_create_databases", FILES / "mssql-create-databases.py")
    yield module
    monkeypatch.undo()
    reload_settings()


def test_create_databases_refuses_to_run_outside_master(create_databases, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PROMPTADS_MSSQL_DATABASE", "master")
    monkeypatch.setenv("PROMPTCRM_MSSQL_DATABASE", "PromptCrm")
    reload_settings()
    assert create_databases.main() == 2
    assert "connect to master, not PromptCrm" in capsys.readouterr().err


def test_create_databases_sends_000_batch_by_batch(create_databases) -> None:
    """What it sends to PromptCrm's server is db-init/promptcrm/000 cut at its GO lines, options first."""
    [(ads, _, ads_batches), (crm, database, crm_batches)] = create_databases.database_batches()
    assert (ads, crm, database) == ("ads", "crm", "PromptCrm")
    assert any("CREATE DATABASE PromptAds" in b for b in ads_batches)
    text = (ROOT / "db-init" / "promptcrm" / "000_create_database.sql").read_text()
    expected = [b.strip() for b in re.split(r"^GO$", text, flags=re.MULTILINE) if b.strip()]
    assert [b.strip() for b in crm_batches] == expected and len(expected) >= 3
    assert "SET QUOTED_IDENTIFIER ON;" in crm_batches[0] and "CREATE DATABASE PromptCrm" in crm_batches[1]


def _exit_code(*command: str) -> int:
    return subprocess.run(list(command), check=False, capture_output=True, timeout=30).returncode


def _node() -> str:
    cache = Path(os.environ.get("PROMPTSALES_CACHE", Path.home() / ".cache" / "promptsales"))
    found = shutil.which("node") or next((str(p) for p in sorted(cache.glob("node-*/bin/node"))), None)
    if found is None:
        pytest.fail("node is not installed: run scripts/bootstrap (it installs Node 24 for n8n)")
    return found


@pytest.mark.parametrize("script", ["mongodb-replicaset.js", "mongodb-users.js"])
def test_the_mongosh_scripts_are_valid_javascript(script: str, tmp_path: Path) -> None:
    """mongosh and a replica set do not exist here: the scripts are checked as JavaScript (node --check),
    and a broken copy is refused, so the check is real."""
    node = _node()
    assert _exit_code(node, "--check", str(FILES / script)) == 0
    broken = tmp_path / script
    broken.write_text((FILES / script).read_text() + "\nif (\n")
    assert _exit_code(node, "--check", str(broken)) != 0


def test_the_n8n_import_script_is_valid_sh(tmp_path: Path) -> None:
    """It runs in the n8n image against /import and /workflows; here its syntax is checked with sh -n."""
    script = FILES / "n8n-import.sh"
    assert _exit_code("sh", "-n", str(script)) == 0
    broken = tmp_path / "n8n-import.sh"
    broken.write_text(script.read_text() + "\nif then\n")
    assert _exit_code("sh", "-n", str(broken)) != 0
