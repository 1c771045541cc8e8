"""What every pod must have (probes, resources, securityContext, a NetworkPolicy), and how the stack is laid out."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from k8s_helpers import K8S, OVERLAYS, ROOT
from test_k8s_render import all_containers, pod_spec

LONG_RUNNING = ("Deployment", "StatefulSet")
BATCH = ("Job", "CronJob")
# Containers allowed a writable root filesystem, each with its reason in k8s/checkov-skips.yaml (CKV_K8S_22).
WRITABLE_ROOT = {("promptads-mssql", "mssql"), ("promptcrm-mssql", "mssql"), ("restore-mssql", "mssql")}
# The dump-and-upload databases (the two PostgreSQL clusters back up through CloudNativePG).
DUMPED = ("mongodb", "redis", "redis-queue", "promptads-mssql", "promptcrm-mssql")
CNPG_CLUSTERS = ("postgres", "n8n-postgres")


def workloads(docs: list[dict], kinds=LONG_RUNNING + BATCH) -> list[dict]:
    return [d for d in docs if d["kind"] in kinds]


def pod_labels(doc: dict) -> dict:
    template = (
        doc["spec"]["jobTemplate"]["spec"]["template"]
        if doc["kind"] == "CronJob"
        else doc["spec"]["template"]
    )
    return template["metadata"]["labels"]


def selects(selector: dict, labels: dict) -> bool:
    expressions = selector.get("matchExpressions", [])
    assert all(e["operator"] == "In" for e in expressions), expressions
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
        labels.get(e["key"]) in e["values"] for e in expressions
    )


def pod_label_sets(docs: list[dict]) -> list[dict]:
    """The labels of every pod the overlay makes, the CloudNativePG instances included (the operator gives
    them the Cluster's inherited labels and cnpg.io/cluster)."""
    pods = [pod_labels(d) for d in workloads(docs)]
    pods += [
        {**d["spec"]["inheritedMetadata"]["labels"], "cnpg.io/cluster": d["metadata"]["name"]}
        for d in docs
        if d["kind"] == "Cluster"
    ]
    return pods


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_long_running_containers_have_all_three_probes(rendered, overlay):
    missing = [
        f"{d['metadata']['name']}/{c['name']}: {probe}"
        for d in workloads(rendered[overlay], LONG_RUNNING)
        for c in pod_spec(d)["containers"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe")
        if probe not in c
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_batch_pods_are_bounded_in_time_instead_of_probed(rendered, overlay):
    """Jobs run to completion: no readiness to report and liveness would kill a long step; a deadline bounds them."""
    for doc in workloads(rendered[overlay], BATCH):
        job = doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
        assert job["activeDeadlineSeconds"] > 0 and job["backoffLimit"] <= 6, doc["metadata"]["name"]
        for container in all_containers(pod_spec(doc)):
            assert "livenessProbe" not in container and "readinessProbe" not in container


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_and_limits(rendered, overlay):
    for doc in workloads(rendered[overlay]):
        for container in all_containers(pod_spec(doc)):
            resources = container.get("resources", {})
            for section in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(section, {})), (
                    doc["metadata"]["name"],
                    container["name"],
                )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_meets_pod_security_restricted(rendered, overlay):
    for doc in workloads(rendered[overlay]):
        name = doc["metadata"]["name"]
        spec = pod_spec(doc)
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] > 0, name
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        assert not spec.get("hostNetwork") and not spec.get("hostPID") and not spec.get("hostIPC"), name
        assert all("hostPath" not in v for v in spec.get("volumes", [])), name
        for container in all_containers(spec):
            context = container["securityContext"]
            where = (name, container["name"])
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"] and not context["capabilities"].get("add"), (
                where
            )
            assert not context.get("privileged"), where
            assert context.get("runAsUser", pod["runAsUser"]) > 0, where
            assert context["readOnlyRootFilesystem"] is (where not in WRITABLE_ROOT), where


def test_namespace_enforces_pod_security_restricted(rendered):
    namespace = next(d for d in rendered["production"] if d["kind"] == "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_default_deny_then_every_pod_has_its_own_policy(rendered, overlay):
    policies = [d for d in rendered[overlay] if d["kind"] == "NetworkPolicy"]
    deny = next(p for p in policies if p["metadata"]["name"] == "default-deny")
    assert deny["spec"]["podSelector"] == {} and set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]
    specific = [p for p in policies if p["spec"]["podSelector"]]
    for labels in pod_label_sets(rendered[overlay]):
        assert any(selects(p["spec"]["podSelector"], labels) for p in specific), (
            f"pods {labels} are selected by no NetworkPolicy of their own"
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policy_peers_are_real_pods(rendered, overlay):
    """A typo in a peer selector silently blocks a flow: every in-namespace peer must match a workload."""
    pods = pod_label_sets(rendered[overlay])
    for policy in (d for d in rendered[overlay] if d["kind"] == "NetworkPolicy"):
        rules = [r.get("from", []) for r in policy["spec"].get("ingress", [])]
        rules += [r.get("to", []) for r in policy["spec"].get("egress", [])]
        for peer in (p for rule in rules for p in rule):
            if "podSelector" in peer and "namespaceSelector" not in peer:
                assert any(selects(peer["podSelector"], labels) for labels in pods), (
                    policy["metadata"]["name"],
                    peer,
                )


def test_the_architecture_flows_are_allowed_and_others_are_not(rendered):
    """Spot checks of the data flow: who may reach each database."""
    policies = {d["metadata"]["name"]: d for d in rendered["production"] if d["kind"] == "NetworkPolicy"}

    def sources(name: str) -> set[str]:
        return {
            p["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
            for rule in policies[name]["spec"].get("ingress", [])
            for p in rule.get("from", [])
            if "podSelector" in p and "namespaceSelector" not in p
        }

    assert "mcp-sales" in sources("postgres") and "mcp-sales" not in sources("mongodb")
    assert "promptcrm-mssql" in sources("promptads-mssql")  # the linked server (CR5)
    assert sources("n8n-postgres") == {"n8n-main", "n8n-webhook", "n8n-worker", "n8n-postgres"}
    # Both Redis groups: their own members, then clients only through HAProxy.
    assert sources("redis-queue") == {"redis-queue", "redis-haproxy"}
    assert sources("redis") == {"redis", "redis-haproxy"}
    # HAProxy: the cache port for cache clients, the queue port for n8n only.
    haproxy = {
        tuple(p["port"] for p in rule["ports"]): {
            peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for peer in rule["from"]
        }
        for rule in policies["redis-haproxy"]["spec"]["ingress"]
    }
    assert haproxy[(6381,)] == {"n8n-main", "n8n-webhook", "n8n-worker", "redis-queue-backup"}
    assert "mcp-sales" in haproxy[(6380,)] and not any(6379 in ports for ports in haproxy)
    # Production webhooks reach the webhook processors, not n8n main.
    assert "mcp-content" in sources("n8n-webhook") and "mcp-content" not in sources("n8n-main")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_long_running_workload_has_a_disruption_budget(rendered, overlay):
    budgets = [d for d in rendered[overlay] if d["kind"] == "PodDisruptionBudget"]
    for doc in workloads(rendered[overlay], LONG_RUNNING):
        assert any(selects(b["spec"]["selector"], pod_labels(doc)) for b in budgets), doc["metadata"]["name"]


def test_production_autoscales_on_cpu_memory_and_concurrency(rendered):
    docs = rendered["production"]
    deployments = {d["metadata"]["name"] for d in docs if d["kind"] == "Deployment"}
    hpas = {d["spec"]["scaleTargetRef"]["name"]: d for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    assert set(hpas) == {"mcp-content", "mcp-sales", "n8n-worker"}
    for target, hpa in hpas.items():
        assert target in deployments
        metrics = hpa["spec"]["metrics"]
        resources = {m["containerResource"]["name"] for m in metrics if m["type"] == "ContainerResource"}
        assert resources == {"cpu", "memory"}, target
        custom = [m for m in metrics if m["type"] in ("Pods", "External")]
        assert len(custom) == 1, target
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    # The metrics exist: Envoy's gauge and n8n's queue gauge are scraped by ServiceMonitors.
    monitors = {d["metadata"]["name"] for d in docs if d["kind"] == "ServiceMonitor"}
    assert {"mcp-content", "mcp-sales", "n8n-main"} <= monitors
    adapter = yaml.safe_load((K8S / "addons" / "prometheus-adapter-values.yaml").read_text())
    names = {r["name"]["as"] for kind in ("custom", "external") for r in adapter["rules"][kind]}
    hpa_metric_names = {
        m.get("pods", m.get("external", {})).get("metric", {}).get("name")
        for hpa in hpas.values()
        for m in hpa["spec"]["metrics"]
        if m["type"] in ("Pods", "External")
    }
    assert hpa_metric_names == names


def test_replication_per_overlay(rendered):
    def replicas(docs):
        counts = {
            d["metadata"]["name"]: d["spec"].get("replicas", 1) for d in docs if d["kind"] in LONG_RUNNING
        }
        counts.update({d["metadata"]["name"]: d["spec"]["instances"] for d in docs if d["kind"] == "Cluster"})
        return counts

    local, production = replicas(rendered["local"]), replicas(rendered["production"])
    assert set(local.values()) == {1}
    for name in ("mongodb", "redis", "redis-queue", "postgres", "n8n-postgres"):
        assert production[name] == 3, name
    assert production["redis-haproxy"] >= 2 and production["n8n-webhook"] >= 2
    settings = next(d for d in rendered["production"] if d["metadata"]["name"] == "promptsales-settings")
    assert settings["data"]["MONGODB_REPLICAS"] == "3" and settings["data"]["MONGODB_HOSTS"].count(",") == 2
    for name in ("redis", "redis-queue"):
        redis = next(
            d for d in rendered["production"] if d["kind"] == "StatefulSet" and d["metadata"]["name"] == name
        )
        sentinel = next(c for c in redis["spec"]["template"]["spec"]["containers"] if c["name"] == "sentinel")
        assert {"name": "SENTINEL_QUORUM", "value": "2"} in sentinel["env"], name
    for cluster in (d for d in rendered["production"] if d["kind"] == "Cluster"):
        assert cluster["spec"]["postgresql"]["synchronous"]["number"] == 1  # a commit is on two nodes


def test_workers_finish_running_executions_before_they_stop(rendered):
    docs = rendered["production"]
    settings = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "n8n-settings")
    timeout = int(settings["data"]["N8N_GRACEFUL_SHUTDOWN_TIMEOUT"])
    worker = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "n8n-worker")
    assert timeout >= 60 and pod_spec(worker)["terminationGracePeriodSeconds"] > timeout
    for name in ("n8n-worker", "n8n-webhook", "redis-haproxy", "mcp-sales", "mcp-content"):
        spread = pod_spec(
            next(d for d in docs if d["metadata"]["name"] == name and d["kind"] == "Deployment")
        )
        keys = {c["topologyKey"] for c in spread.get("topologySpreadConstraints", [])}
        assert {"kubernetes.io/hostname", "topology.kubernetes.io/zone"} <= keys, name


def test_every_workload_has_its_own_service_account(rendered):
    for overlay in OVERLAYS:
        accounts = [pod_spec(d)["serviceAccountName"] for d in workloads(rendered[overlay])]
        assert len(accounts) == len(set(accounts)), overlay
        assert "promptsales" not in accounts and "default" not in accounts


def test_every_database_is_backed_up_off_the_cluster_daily_and_kept_30_days(rendered):
    docs = rendered["production"]
    cronjobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "CronJob"}
    for database in DUMPED:
        cronjob = cronjobs[f"{database}-backup"]
        minute, hour, day, month, weekday = cronjob["spec"]["schedule"].split()
        assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*"), database
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
        spec = pod_spec(cronjob)
        assert len(spec["initContainers"]) == 1, database  # the dump must succeed before the upload runs
        (upload,) = spec["containers"]
        script = " ".join(upload["args"])
        # Copied to the off-cluster remote, and what is 30 days old deleted there (30 daily sets kept).
        assert upload["image"].startswith("rclone/") and "rclone copy" in script and '"offsite:' in script
        assert "--min-age 30d" in script, database
        # The dump lands nowhere that outlives the pod in the cluster, except SQL Server's own backup volume.
        claims = [v for v in spec["volumes"] if "persistentVolumeClaim" in v]
        assert not claims or claims[0]["persistentVolumeClaim"]["claimName"] == f"backup-{database}-0"
    for server in ("promptads-mssql", "promptcrm-mssql"):
        log = cronjobs[f"{server}-log-backup"]
        assert log["spec"]["schedule"] == "*/15 * * * *"
        assert "mssql-backup-log.sql" in " ".join(pod_spec(log)["initContainers"][0]["args"])
    keys = " ".join(pod_spec(cronjobs["promptcrm-mssql-backup"])["initContainers"][0]["args"])
    assert "mssql-backup-keys.sql" in keys  # the certificate and master keys go with the database backup
    stores = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ObjectStore"}
    schedules = {d["spec"]["cluster"]["name"]: d for d in docs if d["kind"] == "ScheduledBackup"}
    for cluster in (d for d in docs if d["kind"] == "Cluster"):
        name = cluster["metadata"]["name"]
        (plugin,) = cluster["spec"]["plugins"]
        assert plugin["isWALArchiver"] is True  # continuous WAL archiving
        store = stores[plugin["parameters"]["barmanObjectName"]]
        assert store["spec"]["retentionPolicy"] == "30d"
        assert store["spec"]["configuration"]["destinationPath"].startswith("s3://")
        _seconds, _minute, hour, day, month, weekday = schedules[name]["spec"]["schedule"].split()
        assert (day, month, weekday) == ("*", "*", "*") and hour.isdigit(), name
        assert schedules[name]["spec"]["method"] == "plugin"


def test_the_local_overlay_has_no_backups_and_no_object_store(rendered):
    """A laptop cluster has no object store: the backups are the production overlay's (its component)."""
    kinds = {d["kind"] for d in rendered["local"]}
    assert not kinds & {"CronJob", "ObjectStore", "ScheduledBackup"}
    assert all("plugins" not in d["spec"] for d in rendered["local"] if d["kind"] == "Cluster")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_carries_the_three_labels(rendered, overlay):
    for doc in rendered[overlay]:
        labels = doc["metadata"].get("labels", {})
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of"):
            assert key in labels, (doc["kind"], doc["metadata"]["name"], key)
        if doc["kind"] in LONG_RUNNING + BATCH:
            assert {
                "app.kubernetes.io/name",
                "app.kubernetes.io/component",
                "app.kubernetes.io/part-of",
            } <= set(pod_labels(doc)), doc["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_everything_lands_in_the_promptsales_namespace(rendered, overlay):
    for doc in rendered[overlay]:
        if doc["kind"] not in ("Namespace", "StorageClass"):  # cluster-scoped
            assert doc["metadata"].get("namespace") == "promptsales", (doc["kind"], doc["metadata"]["name"])


def test_one_resource_per_file_named_component_kind():
    folders = (K8S / "base", *(K8S / "overlays").iterdir(), K8S / "components" / "offsite-backups")
    files = [p for d in folders for p in d.glob("*.yaml") if p.name != "kustomization.yaml"]
    assert len(files) > 80
    for path in files:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        assert len(docs) == 1, path
        if isinstance(
            docs[0], list
        ):  # a JSON patch (a list of operations), named for the resource it patches
            assert re.fullmatch(r"[a-z0-9-]+-jsonpatch\.yaml", path.name) and all(
                "op" in o for o in docs[0]
            ), path
            continue
        kind = docs[0]["kind"].lower()
        assert re.fullmatch(rf"[a-z0-9-]+-{kind}(-patch)?\.yaml", path.name), path


def _tracked_or_addable(*paths: str) -> list[str]:
    """Files git would commit under these paths (tracked, or untracked and not ignored)."""
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *paths],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if (ROOT / line).is_file()]


SECRET_ASSIGNMENT = re.compile(
    r"^[ \t]*#?[ \t]*([A-Z0-9_]*(PASSWORD|SECRET|KEY|TOKEN)[A-Z0-9_]*)[ \t]*=[ \t]*(\S+)", re.MULTILINE
)
ALLOWED_VALUES = re.compile(r"^<generate(:base64-32)?>$|^<[a-z -]+>$")


def test_no_real_looking_secret_is_committed():
    files = _tracked_or_addable("k8s", "secrets-templates/k8s", "Dockerfile", ".dockerignore")
    assert any(f.endswith(".env.example") for f in files)
    assert not [f for f in files if f.endswith(".env")], (
        "a generated .env would be committed: check k8s/secrets/.gitignore"
    )
    for name in files:
        text = (ROOT / name).read_text(errors="replace")
        assert "-----BEGIN" not in text, f"{name}: contains a PEM block"
        for doc in yaml.safe_load_all(text) if name.endswith(".yaml") else []:
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                pytest.fail(f"{name}: a Secret object is committed")
        for match in SECRET_ASSIGNMENT.finditer(text):
            value = match.group(3)
            assert ALLOWED_VALUES.match(value), f"{name}: {match.group(1)} has a value that looks real"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_overlays_carry_no_secret_values(rendered, rendered_text, overlay):
    assert not [d for d in rendered[overlay] if d["kind"] == "Secret"]
    # Values only through secretKeyRef: no env var named like a secret has a literal value.
    for doc in workloads(rendered[overlay]):
        for container in all_containers(pod_spec(doc)):
            for env in container.get("env", []):
                if re.search(r"PASSWORD|SECRET|TOKEN|_KEY$", env["name"]) and "value" in env:
                    # Either a reference to another (secretKeyRef) variable, or the path of a mounted file.
                    assert re.fullmatch(r"\$\([A-Z0-9_]+\)|/[\w./-]+", env["value"]), (
                        doc["metadata"]["name"],
                        env["name"],
                    )
