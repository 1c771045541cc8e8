"""Kubernetes runs n8n as the local stack does (issue #22): production mode, bounded executions, and the owner
account from a Secret, in both overlays (rendered offline with kubectl kustomize)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from promptsales.settings import PROJECT_ROOT

KUBECTL = Path(sys.executable).with_name("kubectl")
TEMPLATE = PROJECT_ROOT / "secrets-templates" / "k8s" / "n8n.env.example"


@pytest.fixture(scope="module", params=["local", "production"])
def rendered(request) -> list[dict]:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(PROJECT_ROOT / "k8s" / "overlays" / request.param)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _settings(rendered: list[dict]) -> dict:
    [configmap] = [
        d for d in rendered if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("n8n-settings")
    ]
    return configmap["data"]


def test_n8n_runs_in_production_mode_and_keeps_a_bounded_week_of_executions(rendered):
    data = _settings(rendered)
    assert data["NODE_ENV"] == "production"
    assert data["EXECUTIONS_DATA_PRUNE"] == "true"
    assert int(data["EXECUTIONS_DATA_MAX_AGE"]) == 168 and int(data["EXECUTIONS_DATA_PRUNE_MAX_COUNT"]) > 0
    for kind in ("n8n-main", "n8n-worker"):
        [deployment] = [d for d in rendered if d["kind"] == "Deployment" and d["metadata"]["name"] == kind]
        [n8n] = [c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "n8n"]
        assert any(
            s.get("configMapRef", {}).get("name", "").startswith("n8n-settings") for s in n8n["envFrom"]
        )


def test_the_owner_account_comes_from_the_n8n_credentials_secret(rendered):
    assert _settings(rendered)["N8N_INSTANCE_OWNER_MANAGED_BY_ENV"] == "true"
    [main] = [d for d in rendered if d["kind"] == "Deployment" and d["metadata"]["name"] == "n8n-main"]
    [n8n] = [c for c in main["spec"]["template"]["spec"]["containers"] if c["name"] == "n8n"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in n8n["env"] if "valueFrom" in e}
    template_keys = {
        line.split("=", 1)[0]
        for line in TEMPLATE.read_text().splitlines()
        if line and not line.startswith("#")
    }
    for key in ("N8N_INSTANCE_OWNER_EMAIL", "N8N_INSTANCE_OWNER_PASSWORD_HASH"):
        assert refs[key] == {"name": "n8n-credentials", "key": key}
        assert key in template_keys  # the Secret's template has it
