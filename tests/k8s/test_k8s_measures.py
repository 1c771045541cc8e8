"""The figures k8s/measure.py prints over the rendered production overlay, and the guard they give: no
plaintext hop and no unchecked certificate may be left. Each check is shown to fail on a manifest that has
the defect (the expected values come from the defect put in, not from the script)."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from k8s_helpers import K8S, load_script

measure = load_script("k8s_measure", K8S / "measure.py")


@pytest.fixture
def production(rendered) -> list[dict]:
    return copy.deepcopy(rendered["production"])


def find(docs: list[dict], kind: str, name: str) -> dict:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def test_no_plaintext_hop_and_no_unchecked_certificate_in_production(production):
    hops = measure.hops(measure.Manifests(production))
    assert len(hops) > 40  # every flow a NetworkPolicy admits, not a sample
    assert [h for h in hops if h.tls is None] == []
    assert [h for h in hops if not h.verified] == []
    # What only SQL Server 2022 limits: TLS 1.2, on the SQL Server hops alone.
    below = {h.server for h in hops if h.tls != "1.3"}
    assert below == {"promptads-mssql", "promptcrm-mssql"}


def test_a_plaintext_postgres_rule_is_caught(production):
    cluster = find(production, "Cluster", "postgres")
    cluster["spec"]["postgresql"]["pg_hba"].append("host all all 10.0.0.0/8 scram-sha-256")
    plain = [h for h in measure.hops(measure.Manifests(production)) if h.tls is None]
    assert plain and {h.server for h in plain} == {"postgres"}


def test_an_unchecked_certificate_is_caught(production):
    """sqlcmd -C trusts any certificate; a queue client told not to validate accepts any too."""
    job = next(d for d in production if d["kind"] == "Job")
    waiting = next(
        c for c in job["spec"]["template"]["spec"]["initContainers"] if c["name"] == "wait-promptads-mssql"
    )
    waiting["args"][0] = waiting["args"][0].replace("sqlcmd -I", "sqlcmd -C -I")
    settings = find(production, "ConfigMap", "n8n-settings")
    settings["data"]["QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE"] = "false"
    unchecked = {
        (h.client, h.server, h.port) for h in measure.hops(measure.Manifests(production)) if not h.verified
    }
    job_name = job["metadata"]["name"]
    assert (job_name, "promptads-mssql", 1433) in unchecked
    assert {("n8n-main", "redis-haproxy", 6381), ("n8n-worker", "redis-haproxy", 6381)} <= unchecked


def test_a_plaintext_haproxy_port_is_caught(production):
    config = next(
        d for d in production if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "redis-haproxy-config"
    )
    config["data"]["haproxy.cfg"] = config["data"]["haproxy.cfg"].replace(
        "bind :6380 ssl crt /etc/haproxy-tls/haproxy.pem", "bind :6380"
    )
    plain = {(h.server, h.port) for h in measure.hops(measure.Manifests(production)) if h.tls is None}
    assert plain == {("redis-haproxy", 6380)}


def test_failover_reload_and_backup_figures(production):
    m = measure.Manifests(production)
    services = {s.name: s.automatic for s in measure.stateful_services(m)}
    assert services == {
        "postgres": True,
        "n8n-postgres": True,
        "mongodb": True,
        "redis": True,
        "redis-queue": True,
        "promptads-mssql": False,
        "promptcrm-mssql": False,
    }
    assert all(r.how for r in measure.reloads(m))
    assert {b.database for b in measure.backups(m) if b.offsite} == set(services)


def test_the_figures_react_to_a_missing_mechanism(production):
    find(production, "StatefulSet", "mongodb")["spec"]["replicas"] = 1
    del find(production, "StatefulSet", "redis")["metadata"]["annotations"]
    production = [
        d for d in production if not (d["kind"] == "CronJob" and d["metadata"]["name"] == "mongodb-backup")
    ]
    m = measure.Manifests(production)
    assert {s.name for s in measure.stateful_services(m) if not s.automatic} >= {"mongodb"}
    assert {r.workload for r in measure.reloads(m) if not r.how} == {"redis"}
    assert {b.database for b in measure.backups(m) if not b.offsite} == {"mongodb"}


def test_the_script_prints_the_five_measures():
    result = subprocess.run(
        [sys.executable, str(K8S / "measure.py")], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "stateful services with automatic failover: 5/7",
        "hops with TLS 1.3 and a verified certificate:",
        "plaintext: 0; TLS without a verified certificate: 0",
        "workloads serving a certificate that load a renewed one:",
        "databases backed up off the cluster: 7/7",
        "checkov:",
    ):
        assert line in result.stdout, result.stdout
