"""What runs in production stays apart from what only supports tests and benchmarks.

The runtime package `promptsales` (and the generators under it) never imports the test kit, and the files
Kubernetes runs (k8s/base/files/*.py) never import the local stack: both would ship test or local-only code
into the image, or fail there. The imports are read with `ast`, so a lazy import inside a function counts.
And the project installs as a normal wheel, one import root, its data found without a checkout around it.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from promptsales.settings import PROJECT_ROOT

RUNTIME = sorted(
    [
        *(PROJECT_ROOT / "mcp-python" / "promptsales").rglob("*.py"),
        *(PROJECT_ROOT / "generators").rglob("*.py"),
    ]
)
KUBERNETES_FILES = sorted((PROJECT_ROOT / "k8s" / "base" / "files").glob("*.py"))


def imported_modules(source: str) -> set[str]:
    """Every module a Python source imports, absolute imports only (the runtime uses no relative ones)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def imports_from(source: str, package: str) -> set[str]:
    return {m for m in imported_modules(source) if m == package or m.startswith(f"{package}.")}


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import promptsales_testkit", {"promptsales_testkit"}),
        (
            "def f():\n    from promptsales_testkit.world import isolated_world",
            {"promptsales_testkit.world", "promptsales_testkit.world.isolated_world"},
        ),
        (
            "from promptsales_testkit import etl_sample",
            {"promptsales_testkit", "promptsales_testkit.etl_sample"},
        ),
        ("import promptsales_testkitten, promptsales.settings", set()),
    ],
)
def test_the_import_reader_finds_lazy_and_aliased_imports(source, found) -> None:
    assert imports_from(source, "promptsales_testkit") == found


def test_the_layout_has_files_to_check() -> None:
    assert len(RUNTIME) > 50 and len(KUBERNETES_FILES) >= 2


@pytest.mark.parametrize("path", RUNTIME, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_runtime_module_imports_the_test_kit(path: Path) -> None:
    assert imports_from(path.read_text(), "promptsales_testkit") == set()


@pytest.mark.parametrize("path", KUBERNETES_FILES, ids=lambda p: p.name)
def test_no_file_kubernetes_runs_imports_the_local_stack(path: Path) -> None:
    assert imports_from(path.read_text(), "promptsales.localstack") == set()
    assert imports_from(path.read_text(), "promptsales_testkit") == set()


def test_every_package_folder_is_declared_in_pyproject() -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    declared = set(pyproject["tool"]["setuptools"]["packages"])
    code, generators = PROJECT_ROOT / "mcp-python", PROJECT_ROOT / "generators"
    folders = {".".join(init.parent.relative_to(code).parts) for init in code.rglob("__init__.py")}
    folders |= {
        ".".join(("promptsales", "generators", *init.parent.relative_to(generators).parts))
        for init in generators.rglob("__init__.py")
    }
    assert declared == folders


WHEEL_CHECK = """
import json, promptsales, promptsales.generators.ads, promptsales_testkit.etl_world as etl_world
from promptsales import n8n_workflows, settings
from promptsales.dbinit import central
print(json.dumps({"promptsales": promptsales.__file__, "generators": promptsales.generators.ads.__file__,
                  "contract_ddl": len(etl_world.CONTRACT_DDL.read_text()),
                  "project_root": str(settings.PROJECT_ROOT), "central_sql": len(central.sql_files()),
                  "workflows": len(list(n8n_workflows.WORKFLOW_DIR.glob("*.json")))}))
"""


@pytest.mark.slow
def test_a_normal_wheel_installs_and_finds_its_data(tmp_path: Path) -> None:
    """What the image does (Dockerfile): build a wheel from the files it copies, install it (not editable),
    run from elsewhere with PROMPTSALES_HOME naming the folders kept beside the code."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    for name in ("mcp-python", "generators"):
        shutil.copytree(
            PROJECT_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("promptsales-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PROMPTSALES_HOME": str(PROJECT_ROOT)}
    found = _check_installed(elsewhere, env)
    assert found["promptsales"].startswith(str(site)) and found["generators"].startswith(str(site))
    assert found["contract_ddl"] == len(
        (PROJECT_ROOT / "mcp-python" / "promptsales_testkit" / "standin_contract.sql").read_text()
    )
    assert found["project_root"] == str(PROJECT_ROOT)
    assert found["central_sql"] == len(list((PROJECT_ROOT / "db-init" / "promptsales").glob("*.sql")))
    assert found["workflows"] == len(list((PROJECT_ROOT / "n8n-workflows").glob("*.json"))) > 0
    # Without PROMPTSALES_HOME an installed wheel reads the folders from the working directory.
    env.pop("PROMPTSALES_HOME")
    root = (
        "import json; from promptsales import settings; "
        "print(json.dumps({'project_root': str(settings.PROJECT_ROOT)}))"
    )
    assert _check_installed(elsewhere, env, root)["project_root"] == str(elsewhere)


def _check_installed(cwd: Path, env: dict[str, str], script: str = WHEEL_CHECK) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
