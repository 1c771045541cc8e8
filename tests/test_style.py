"""One hand of formatting and lint over every Python file of the project (issue #25): `ruff format` and
`ruff check` with the settings in pyproject.toml, run as a person would before committing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from promptsales.settings import PROJECT_ROOT

# Every folder that holds Python the project owns (k8s/ for the scripts its Jobs run).
PYTHON_FOLDERS = ["mcp-python", "generators", "bench", "tests", "k8s"]


@pytest.mark.parametrize("command", [["format", "--check"], ["check"]], ids=["ruff format", "ruff check"])
def test_the_python_follows_ruff(command):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", *PYTHON_FOLDERS],
        check=False,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"`ruff {' '.join(command)}` found files to fix (run `.venv/bin/ruff format {' '.join(PYTHON_FOLDERS)}` "
        f"and `.venv/bin/ruff check --fix ...`):\n{done.stdout[-3000:]}{done.stderr[-1000:]}"
    )
