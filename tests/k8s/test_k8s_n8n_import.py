"""The n8n import preparation that n8n main's init container runs (k8s/base/files/n8n-prepare-import.py)."""

from __future__ import annotations

import json
import stat

import pytest
from k8s_helpers import K8S, ROOT, load_script
from promptsales.settings import reload_settings

prepare_module = load_script("n8n_prepare_import", K8S / "base" / "files" / "n8n-prepare-import.py")


@pytest.fixture
def cluster_settings(monkeypatch):
    monkeypatch.setenv("POSTGRES_HOST", "postgres.promptsales.svc.cluster.local")
    monkeypatch.setenv("POSTGRES_USER", "promptsales_etl")
    monkeypatch.setenv("POSTGRES_PASSWORD", "etl-password-for-the-test")
    monkeypatch.setenv("N8N_WEBHOOK_SECRET", "webhook-secret-for-the-test")
    yield reload_settings()
    monkeypatch.undo()
    reload_settings()


def workflow(workflow_id: str, *node_types: str) -> str:
    nodes = [{"name": f"Node {i}", "type": t, "parameters": {}} for i, t in enumerate(node_types)]
    return json.dumps({"id": workflow_id, "name": workflow_id, "nodes": nodes, "connections": {}})


def test_credentials_are_built_for_tls_and_workflows_with_triggers_are_published(cluster_settings, tmp_path):
    workflows, out = tmp_path / "workflows", tmp_path / "import"
    workflows.mkdir()
    out.mkdir()
    (workflows / "hook.json").write_text(workflow("wfHook", "n8n-nodes-base.webhook", "n8n-nodes-base.set"))
    (workflows / "every.json").write_text(workflow("wfSchedule", "n8n-nodes-base.scheduleTrigger"))
    (workflows / "manual.json").write_text(workflow("wfManual", "n8n-nodes-base.manualTrigger"))

    count, publish = prepare_module.prepare(workflows, out)

    assert sorted(publish) == ["wfHook", "wfSchedule"]
    assert (out / "publish-ids.txt").read_text().split() == publish
    credentials_file = out / "credentials.json"
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    credentials = {c["id"]: c for c in json.loads(credentials_file.read_text())}
    assert len(credentials) == count
    central = credentials["psPostgresCentral"]["data"]
    assert (
        central["host"] == "postgres.promptsales.svc.cluster.local" and central["user"] == "promptsales_etl"
    )
    # Every PostgreSQL in the cluster accepts TLS only.
    assert all(
        c["data"]["ssl"] == "require" and c["data"]["allowUnauthorizedCerts"] is False
        for c in credentials.values()
        if c["type"] == "postgres"
    )
    assert credentials["psWebhookHeaderAuth"]["data"]["value"] == "webhook-secret-for-the-test"


def test_the_repository_workflows_prepare_cleanly(cluster_settings, tmp_path):
    _, publish = prepare_module.prepare(ROOT / "n8n-workflows", tmp_path)
    ids = {json.loads(p.read_text())["id"] for p in (ROOT / "n8n-workflows").glob("*.json")}
    assert set(publish) <= ids
    # Our workflows are triggered by schedules and webhooks: at least one of them goes live.
    assert publish or not ids


def test_a_broken_workflow_file_stops_the_import(cluster_settings, tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(Exception, match="not a readable workflow"):
        prepare_module.prepare(tmp_path, tmp_path)
