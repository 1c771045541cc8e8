"""Each overlay renders, passes strict schema validation, and only refers to things that exist."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from k8s_helpers import K8S, OVERLAYS, ROOT, load_script, render_text, tool

# Custom resources have no schema in kubernetes-validate: these are the only ones we allow, each with
# the operator that must be installed for it (README: steps from an empty cluster).
CUSTOM_RESOURCES = {
    ("cert-manager.io/v1", "Certificate"): "cert-manager",
    ("cert-manager.io/v1", "Issuer"): "cert-manager",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "kube-prometheus-stack (Prometheus Operator)",
    ("monitoring.coreos.com/v1", "PodMonitor"): "kube-prometheus-stack (Prometheus Operator)",
    ("postgresql.cnpg.io/v1", "Cluster"): "CloudNativePG",
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): "CloudNativePG",
    ("barmancloud.cnpg.io/v1", "ObjectStore"): "CloudNativePG's Barman Cloud plugin",
}
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job", "CronJob")
# Secrets the operators create (never from our templates), with the keys they hold.
OPERATOR_SECRETS = {
    "postgres-superuser": {"username", "password"},  # CloudNativePG, enableSuperuserAccess
    "n8n-postgres-app": {"username", "password"},  # CloudNativePG, the initdb owner
}


def pod_spec(doc: dict) -> dict:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def all_containers(spec: dict) -> list[dict]:
    return spec.get("initContainers", []) + spec.get("containers", [])


def validate(docs: list[dict], tmp_path: Path) -> subprocess.CompletedProcess:
    target = tmp_path / "core.yaml"
    target.write_text(yaml.safe_dump_all(docs))
    return subprocess.run(
        [tool("kubernetes-validate"), "--strict", str(target)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_core_kinds_pass_strict_schema_validation(rendered, overlay, tmp_path):
    core = [d for d in rendered[overlay] if not is_custom(d["apiVersion"])]
    result = validate(core, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Strict means every core object had a schema to be checked against, not "warned and passed".
    assert "Couldn't find schema" not in output, output


def test_strict_validation_rejects_an_unknown_field(rendered, tmp_path):
    """The validator really looks: a misspelt field in a pod spec fails."""
    deployment = copy.deepcopy(next(d for d in rendered["local"] if d["kind"] == "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {"tcpSocket": {"port": 1}}
    result = validate([deployment], tmp_path)
    assert result.returncode != 0
    assert "livenesProbe" in result.stdout + result.stderr


def is_custom(api_version: str) -> bool:
    """Built-in API groups are "" (v1), a plain word (apps, batch, policy, autoscaling) or *.k8s.io."""
    group = api_version.split("/")[0] if "/" in api_version else ""
    return "." in group and not group.endswith(".k8s.io")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_custom_resources_are_only_the_known_ones(rendered, overlay):
    custom = {(d["apiVersion"], d["kind"]) for d in rendered[overlay] if is_custom(d["apiVersion"])}
    assert custom <= set(CUSTOM_RESOURCES), f"unknown custom resources: {custom - set(CUSTOM_RESOURCES)}"
    assert ("cert-manager.io/v1", "Certificate") in custom


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_certificates_are_complete_and_cover_every_tls_secret(rendered, overlay):
    docs = rendered[overlay]
    issuers = {d["metadata"]["name"] for d in docs if d["kind"] == "Issuer"}
    certificates = [d for d in docs if d["kind"] == "Certificate"]
    for cert in certificates:
        spec = cert["spec"]
        assert spec["issuerRef"]["name"] in issuers, cert["metadata"]["name"]
        assert spec["secretName"]
        assert spec.get("isCA") or spec.get("dnsNames"), cert["metadata"]["name"]
    made = {c["spec"]["secretName"] for c in certificates}
    used = {
        v["secret"]["secretName"]
        for d in docs
        if d["kind"] in WORKLOAD_KINDS
        for v in pod_spec(d).get("volumes", [])
        if "secret" in v
    }
    used |= {value for d in docs if d["kind"] == "Cluster" for value in d["spec"]["certificates"].values()}
    assert used <= made, f"TLS secrets mounted but never issued: {used - made}"
    # The CA key stays with cert-manager: no pod mounts it.
    assert "promptsales-ca" not in used


def _secret_templates() -> dict[str, set[str]]:
    """Secret name -> keys, from k8s/secrets/kustomization.yaml and secrets-templates/k8s/*.env.example."""
    generator = yaml.safe_load((K8S / "secrets" / "kustomization.yaml").read_text())["secretGenerator"]
    secrets = {}
    for entry in generator:
        (env_file,) = entry["envs"]
        template = ROOT / "secrets-templates" / "k8s" / f"{env_file}.example"
        keys = set()
        for line in template.read_text().splitlines():
            line = line.strip().lstrip("# ").strip()
            if "=" in line and line.split("=", 1)[0].isupper() and " " not in line.split("=", 1)[0]:
                keys.add(line.split("=", 1)[0])
        secrets[entry["name"]] = keys
    return secrets


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_reference_exists_in_the_templates(rendered, overlay):
    templates = {**_secret_templates(), **OPERATOR_SECRETS}
    missing = []
    for store in (d for d in rendered[overlay] if d["kind"] == "ObjectStore"):
        for ref in store["spec"]["configuration"]["s3Credentials"].values():
            if ref["key"] not in templates.get(ref["name"], set()):
                missing.append(f"ObjectStore {store['metadata']['name']}: {ref['name']}.{ref['key']}")
    for doc in rendered[overlay]:
        if doc["kind"] not in WORKLOAD_KINDS:
            continue
        for container in all_containers(pod_spec(doc)):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref["key"] not in templates.get(ref["name"], set()):
                    missing.append(
                        f"{doc['metadata']['name']}/{container['name']}: {ref['name']}.{ref['key']}"
                    )
            for source in container.get("envFrom", []):
                ref = source.get("secretRef")
                if ref and ref["name"] not in templates:
                    missing.append(f"{doc['metadata']['name']}/{container['name']}: {ref['name']}")
    assert not missing, "secret references with no template:\n" + "\n".join(missing)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_configmap_and_volume_references_exist(rendered, overlay):
    docs = rendered[overlay]
    configmaps = {d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"}
    claims = {d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"}
    claims |= {
        f"{t['metadata']['name']}-{d['metadata']['name']}-0"
        for d in docs
        if d["kind"] == "StatefulSet"
        for t in d["spec"].get("volumeClaimTemplates", [])
    }
    accounts = {d["metadata"]["name"] for d in docs if d["kind"] == "ServiceAccount"}
    for doc in (d for d in docs if d["kind"] in WORKLOAD_KINDS):
        spec = pod_spec(doc)
        assert spec["serviceAccountName"] in accounts
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps, (doc["metadata"]["name"], volume)
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims, (
                    doc["metadata"]["name"],
                    volume,
                )
        for container in all_containers(spec):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configmaps


def test_secrets_kustomization_renders_from_the_templates(tmp_path):
    """What a user runs: generate the env files from the templates, then render k8s/secrets."""
    work = tmp_path / "checkout"
    shutil.copytree(K8S / "secrets", work / "k8s" / "secrets", ignore=shutil.ignore_patterns("*.env"))
    shutil.copytree(ROOT / "secrets-templates" / "k8s", work / "secrets-templates" / "k8s")
    generate = work / "k8s" / "secrets" / "generate-env-files.py"
    first = subprocess.run(
        ["python3", str(generate)], check=False, capture_output=True, text=True, timeout=30
    )
    assert first.returncode == 0, first.stderr
    postgres_env = (work / "k8s" / "secrets" / "postgres.env").read_text()
    assert (work / "k8s" / "secrets" / "postgres.env").stat().st_mode & 0o077 == 0
    second = subprocess.run(
        ["python3", str(generate)], check=False, capture_output=True, text=True, timeout=30
    )
    assert "kept" in second.stdout and (work / "k8s" / "secrets" / "postgres.env").read_text() == postgres_env
    docs = [d for d in yaml.safe_load_all(render_text(work / "k8s" / "secrets")) if d]
    assert {d["metadata"]["name"] for d in docs} == set(_secret_templates())
    for doc in docs:
        assert doc["kind"] == "Secret" and doc["metadata"]["namespace"] == "promptsales"
    assert "<generate" not in "".join(str(d.get("data")) for d in docs)


def test_generated_passwords_meet_every_consumer(tmp_path):
    generator = load_script("generate_env_files", K8S / "secrets" / "generate-env-files.py")
    values = [generator.random_password() for _ in range(200)]
    for value in values:
        assert len(value) == 40 and value.isalnum()  # URI-, keyfile- and redis.conf-safe
        assert (
            any(c.isupper() for c in value)
            and any(c.islower() for c in value)
            and any(c.isdigit() for c in value)
        )
    assert len(set(values)) == len(values)
    filled = generator.fill("A=<generate>\nB=<generate:base64-32>\n")
    import base64

    assert len(base64.b64decode(filled.splitlines()[1].split("=", 1)[1])) == 32


def test_workflow_listing_matches_n8n_workflows():
    result = subprocess.run(
        ["python3", str(K8S / "sync-workflows.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_workflows_configmap_holds_every_workflow(rendered):
    configmap = next(
        d
        for d in rendered["local"]
        if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("n8n-workflows-")
    )
    assert set(configmap.get("data", {})) == {p.name for p in (ROOT / "n8n-workflows").glob("*.json")}
    # A ConfigMap holds at most 1 MiB.
    assert sum(len(v.encode()) for v in configmap.get("data", {}).values()) < 1024 * 1024


def _sync_bootstrap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(K8S / "sync-bootstrap.py"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _bootstrap_job(docs: list[dict]) -> dict:
    (job,) = [d for d in docs if d["kind"] == "Job"]
    return job


def test_the_bootstrap_job_names_match_what_they_run():
    result = _sync_bootstrap("--check")
    assert result.returncode == 0, result.stderr


def test_a_changed_bootstrap_script_makes_a_new_job_that_apply_can_create(tmp_path, rendered):
    """A Job's pod template is immutable: re-applying a changed Job of the same name fails. After a script
    changes, sync-bootstrap gives the Job a new name, so `kubectl apply` creates it next to the old one."""
    shutil.copytree(K8S, tmp_path / "k8s", ignore=shutil.ignore_patterns("*.env"))
    shutil.copytree(ROOT / "n8n-workflows", tmp_path / "n8n-workflows")
    script = tmp_path / "k8s" / "base" / "files" / "postgres-roles.sql"
    script.write_text(script.read_text() + "-- a changed line\n")
    stale = _sync_bootstrap("--check", "--k8s", str(tmp_path / "k8s"))
    assert stale.returncode == 1 and "local" in stale.stderr and "production" in stale.stderr
    assert _sync_bootstrap("--k8s", str(tmp_path / "k8s")).returncode == 0
    for overlay in OVERLAYS:
        before = rendered[overlay]
        after = [d for d in yaml.safe_load_all(render_text(tmp_path / "k8s" / "overlays" / overlay)) if d]
        old_job, new_job = _bootstrap_job(before), _bootstrap_job(after)
        assert old_job["spec"]["template"] != new_job["spec"]["template"]  # what apply could not patch
        assert new_job["metadata"]["name"] != old_job["metadata"]["name"]
        assert re.fullmatch(r"bootstrap-[0-9a-f]{10}", new_job["metadata"]["name"])
        # Nothing else is renamed but the scripts' ConfigMap (its hash): everything else is patched in place.
        renamed = {(d["kind"], d["metadata"]["name"]) for d in before} ^ {
            (d["kind"], d["metadata"]["name"]) for d in after
        }
        assert {kind for kind, _ in renamed} == {"Job", "ConfigMap"}, renamed
        assert new_job["spec"]["ttlSecondsAfterFinished"] > 0  # the finished old one goes by itself


def test_only_the_local_overlay_loads_generated_data(rendered):
    """The generators replace data; production must never run them, and the local seed is guarded."""

    def seeds(docs):
        return [
            c
            for d in docs
            if d["kind"] in WORKLOAD_KINDS
            for c in all_containers(pod_spec(d))
            if "seed" in c.get("args", []) or "seed" in c.get("command", [])
        ]

    assert seeds(rendered["production"]) == []
    (local,) = seeds(rendered["local"])
    assert local["args"] == ["promptsales", "seed", "--if-empty"]
    job = _bootstrap_job(rendered["local"])
    init = [c["name"] for c in pod_spec(job)["initContainers"]]
    assert init.index("seed") > init.index("db-init")  # after every schema exists


def test_the_t_sql_of_k8s_parses(tmp_path):
    """The backup and audit scripts cannot run here (no SQL Server): sqlfluff's T-SQL grammar must accept them."""
    from tsql_check import tsql_parse_errors

    scripts = [
        *sorted((K8S / "components" / "offsite-backups" / "files").glob("*.sql")),
        K8S / "base" / "files" / "mssql-audit.sql",
    ]
    for script in scripts:
        shutil.copy(script, tmp_path / script.name)
    assert len(list(tmp_path.glob("*.sql"))) == 4
    assert tsql_parse_errors(tmp_path) == ""
