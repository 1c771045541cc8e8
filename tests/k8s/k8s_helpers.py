"""Shared helpers of tests/k8s (a module with its own name: every test folder here has a conftest.py)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"
# cr7-restore: the local stack plus the CR7 proof server (k8s/overlays/cr7-restore/kustomization.yaml).
OVERLAYS = ("local", "production", "cr7-restore")
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A tool from the project's .venv (kubectl, kubernetes-validate, checkov), else from PATH."""
    local = BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/bootstrap (it installs {name} into .venv/bin)")
    return found


def render_text(path: Path) -> str:
    result = subprocess.run(
        [tool("kubectl"), "kustomize", str(path)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"kubectl kustomize {path} failed:\n{result.stderr}"
    return result.stdout


def load_script(name: str, path: Path) -> ModuleType:
    """Import one of k8s/'s stand-alone scripts (their file names have dashes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module
