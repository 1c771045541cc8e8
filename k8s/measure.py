#!/usr/bin/env python3
"""Print what the rendered production overlay gives (N2, N3, N4), read from the manifests, not asserted.

    .venv/bin/python k8s/measure.py [--overlay production] [--hops] [--checkov]

1. Stateful services with automatic failover / all (who fails over, and by what).
2. Hops with TLS 1.3 and a verified certificate / all hops. A hop is a flow a NetworkPolicy admits into a
   pod port (client, server, port); its server side is read from the server's configuration (the protocol
   versions it accepts) and its client side from the client's (what it checks). Plaintext hops and
   unchecked certificates are listed: tests/k8s fails when there is any.
3. Workloads that pick up a renewed certificate / workloads that serve one.
4. Databases backed up off the cluster / databases.
5. With --checkov: checkov's failed checks on the overlay and how many k8s/checkov-skips.yaml explains.
Nothing here ran on a cluster: these are properties of the manifests.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

K8S = Path(__file__).resolve().parent
ROOT = K8S.parent
WORKLOADS = ("Deployment", "StatefulSet", "Job", "CronJob")
# Namespaces whose pods NetworkPolicies admit: who they are.
OUTSIDE = {"ingress-nginx": "ingress-nginx", "monitoring": "prometheus", "cnpg-system": "cloudnative-pg"}


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: run scripts/bootstrap")
    return found


def render(overlay: str) -> list[dict]:
    text = subprocess.run(
        [tool("kubectl"), "kustomize", str(K8S / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return [d for d in yaml.safe_load_all(text) if d]


class Manifests:
    def __init__(self, docs: list[dict]):
        self.docs = docs
        self.by_kind: dict[str, list[dict]] = {}
        for doc in docs:
            self.by_kind.setdefault(doc["kind"], []).append(doc)
        self.configmaps = {
            d["metadata"]["name"]: d.get("data", {}) for d in self.by_kind.get("ConfigMap", [])
        }

    def kind(self, kind: str) -> list[dict]:
        return self.by_kind.get(kind, [])

    def named(self, kind: str, name: str) -> dict:
        return next(d for d in self.kind(kind) if d["metadata"]["name"] == name)

    def configmap(self, prefix: str) -> dict:
        """A ConfigMap by name, generated ones (name-<hash>) included."""
        return next(
            v for k, v in self.configmaps.items() if k == prefix or re.fullmatch(rf"{prefix}-\w{{10}}", k)
        )


def pod_spec(doc: dict) -> dict:
    template = (
        doc["spec"]["jobTemplate"]["spec"]["template"]
        if doc["kind"] == "CronJob"
        else doc["spec"]["template"]
    )
    return template["spec"]


def pod_labels(doc: dict) -> dict:
    template = (
        doc["spec"]["jobTemplate"]["spec"]["template"]
        if doc["kind"] == "CronJob"
        else doc["spec"]["template"]
    )
    return template["metadata"]["labels"]


def containers(doc: dict) -> list[dict]:
    spec = pod_spec(doc)
    return spec.get("initContainers", []) + spec["containers"]


def env_of(m: Manifests, container: dict) -> dict[str, str]:
    """A container's environment as the kubelet builds it: envFrom ConfigMaps, then env (Secrets as ***)."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(m.configmaps.get(source["configMapRef"]["name"], {}))
    for item in container.get("env", []):
        env[item["name"]] = item.get("value", "***")
    return env


def text_of(container: dict) -> str:
    return " ".join(container.get("command", []) + container.get("args", []))


def selects(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
        labels.get(e["key"]) in e["values"] for e in selector.get("matchExpressions", [])
    )


# ---------------------------------------------------------------------------------------------- failover


@dataclass
class Stateful:
    name: str
    members: int
    automatic: bool
    how: str


def stateful_services(m: Manifests) -> list[Stateful]:
    services = []
    for cluster in m.kind("Cluster"):
        n = cluster["spec"]["instances"]
        services.append(
            Stateful(
                cluster["metadata"]["name"],
                n,
                n >= 2,
                "CloudNativePG promotes a replica" if n >= 2 else "one instance",
            )
        )
    for sts in m.kind("StatefulSet"):
        n = sts["spec"].get("replicas", 1)
        spec = pod_spec(sts)
        names = {c["name"] for c in spec["containers"]}
        args = " ".join(a for c in spec["containers"] for a in c.get("args", []))
        quorum = next(
            (
                int(e["value"])
                for c in spec["containers"]
                if c["name"] == "sentinel"
                for e in c.get("env", [])
                if e["name"] == "SENTINEL_QUORUM"
            ),
            0,
        )
        if "--replSet" in args and n >= 3:
            services.append(Stateful(sts["metadata"]["name"], n, True, "replica-set election"))
        elif "sentinel" in names and n >= 3 and quorum >= 2:
            services.append(Stateful(sts["metadata"]["name"], n, True, f"Sentinel, quorum {quorum}"))
        else:
            services.append(
                Stateful(
                    sts["metadata"]["name"],
                    n,
                    False,
                    "one instance: Kubernetes restarts it on its volume"
                    if n == 1
                    else f"{n} pods, no failover mechanism",
                )
            )
    return sorted(services, key=lambda s: s.name)


# -------------------------------------------------------------------------------------------------- hops


@dataclass
class Hop:
    client: str
    server: str
    port: int
    tls: str | None  # "1.3", "1.2" or None (plaintext)
    verified: bool
    evidence: str
    confirmed_here: bool = True  # False: configured, but only the real engine can show it works


class Pods:
    """Every pod of the overlay: workloads and CloudNativePG instances, with their labels."""

    def __init__(self, m: Manifests):
        self.items: list[tuple[str, dict, dict | None]] = []  # (name, labels, workload doc or None)
        for kind in WORKLOADS:
            for doc in m.kind(kind):
                self.items.append((doc["metadata"]["name"], pod_labels(doc), doc))
        for cluster in m.kind("Cluster"):
            labels = {
                **cluster["spec"]["inheritedMetadata"]["labels"],
                "cnpg.io/cluster": cluster["metadata"]["name"],
            }
            self.items.append((cluster["metadata"]["name"], labels, None))

    def matching(self, selector: dict) -> list[tuple[str, dict, dict | None]]:
        return [item for item in self.items if selects(selector, item[1])]


def admitted_flows(m: Manifests) -> set[tuple[str, str, int]]:
    pods = Pods(m)
    flows = set()
    for policy in m.kind("NetworkPolicy"):
        servers = pods.matching(policy["spec"]["podSelector"]) if policy["spec"]["podSelector"] else []
        for rule in policy["spec"].get("ingress", []):
            clients = []
            for peer in rule.get("from", []):
                if "namespaceSelector" in peer:
                    namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                    clients.append(OUTSIDE.get(namespace, namespace))
                else:
                    clients += [name for name, _, _ in pods.matching(peer["podSelector"])]
            for server, _, _ in servers:
                for port in rule.get("ports", []):
                    flows.update((client, server, port["port"]) for client in clients)
    return flows


class TlsFacts:
    """What each server accepts and what each client checks, read from the rendered configuration."""

    def __init__(self, m: Manifests):
        self.m = m
        self.workloads = {d["metadata"]["name"]: d for k in WORKLOADS for d in m.kind(k)}
        self.clusters = {d["metadata"]["name"]: d for d in m.kind("Cluster")}
        self.redis_scripts = m.configmap("redis-scripts")
        self.haproxy = m.configmap("redis-haproxy-config")["haproxy.cfg"]
        self.freetds = m.configmap("freetds-config")["freetds.conf"]
        self.mssql_conf = m.configmap("mssql-config")["mssql.conf"]
        self.prepare_import = (K8S / "base" / "files" / "n8n-prepare-import.py").read_text()
        self.n8n_credentials = (ROOT / "mcp-python" / "promptsales" / "n8n_credentials.py").read_text()
        self.monitors = m.kind("ServiceMonitor") + m.kind("PodMonitor")
        self.ingresses = m.kind("Ingress")

    # server side: (TLS version accepted at least, evidence), None when plaintext
    def server(self, server: str, port: int) -> tuple[str | None, str]:
        if server in self.clusters:
            spec = self.clusters[server]["spec"]
            if port == 5432:
                hba = spec["postgresql"].get("pg_hba", [])
                minimum = spec["postgresql"]["parameters"].get("ssl_min_protocol_version", "TLSv1.3")
                ok = minimum == "TLSv1.3" and all(line.startswith("hostssl") for line in hba)
                return (
                    "1.3" if ok else None
                ), f"ssl_min_protocol_version {minimum}, pg_hba hostssl only: {ok}"
            if port == 9187:
                on = spec.get("monitoring", {}).get("tls", {}).get("enabled", False)
                return (
                    "1.3" if on else None
                ), "metrics TLS (CloudNativePG: MinVersion TLS 1.3)" if on else "metrics plain"
            if port == 8000:
                return "1.3", "instance status over TLS (CloudNativePG: MinVersion TLS 1.3)"
        doc = self.workloads[server]
        names = {c["name"]: c for c in pod_spec(doc)["containers"]}
        if "mongodb" in names:
            args = " ".join(names["mongodb"]["args"])
            ok = (
                "--tlsMode=requireTLS" in args
                and "TLS1_2" in args.split("--tlsDisabledProtocols=")[1].split()[0]
            )
            return (
                "1.3" if ok else None
            ), "requireTLS, TLS 1.0-1.2 disabled" if ok else "mongod TLS not 1.3-only"
        if "sentinel" in names:
            ok = (
                'echo "port 0"' in self.redis_scripts["redis-start.sh"]
                and "tls-protocols TLSv1.3" in self.redis_scripts["redis-start.sh"]
                and "tls-protocols TLSv1.3" in self.redis_scripts["sentinel-start.sh"]
            )
            return ("1.3" if ok else None), "port 0 (no plaintext), tls-protocols TLSv1.3"
        if "haproxy" in names:
            binds = [line.split() for line in self.haproxy.splitlines() if line.strip().startswith("bind")]
            bind = next((b for b in binds if b[1] == f":{port}"), None)
            ok = bind is not None and "ssl" in bind and "ssl-min-ver TLSv1.3" in self.haproxy
            return (
                "1.3" if ok else None
            ), f"bind :{port} ssl, ssl-min-ver TLSv1.3" if ok else f"bind :{port} plain"
        if "envoy" in names and port in (8443, 9902):
            config = self.m.configmap(f"{server}-envoy")["envoy.yaml"]
            listeners = yaml.safe_load(config)["static_resources"]["listeners"]
            listener = next(li for li in listeners if li["address"]["socket_address"]["port_value"] == port)
            tls = listener["filter_chains"][0].get("transport_socket", {}).get("typed_config", {})
            minimum = (
                tls.get("common_tls_context", {}).get("tls_params", {}).get("tls_minimum_protocol_version")
            )
            return ("1.3" if minimum == "TLSv1_3" else None), f"Envoy listener {listener['name']}: {minimum}"
        if "mssql" in names:
            forced = "forceencryption = 1" in self.mssql_conf
            versions = re.search(r"tlsprotocols = ([\d. ]+)", self.mssql_conf).group(1).split()
            return (max(versions) if forced else None), f"forceencryption, tlsprotocols {' '.join(versions)}"
        if "n8n" in names:
            env = env_of(self.m, names["n8n"])
            if env.get("N8N_PROTOCOL") != "https":
                return None, "n8n over plain HTTP"
            minimum = "1.3" if "--tls-min-v1.3" in env.get("NODE_OPTIONS", "") else "1.2"
            return minimum, f"n8n HTTPS, Node minimum TLS {minimum}"
        return None, "no TLS found for this port"

    # client side: does it check the server certificate?
    def client(self, client: str, server: str, port: int) -> tuple[bool, str, bool]:
        if client == "cloudnative-pg":
            return True, "operator checks the instance certificate against the cluster CA", True
        if client == "prometheus":
            monitors = [mon for mon in self.monitors if self._monitors(mon, server)]
            endpoints = [
                e
                for mon in monitors
                for e in mon["spec"].get("endpoints", mon["spec"].get("podMetricsEndpoints", []))
            ]
            ok = bool(endpoints) and all(
                e.get("scheme") == "https"
                and "ca" in e.get("tlsConfig", {})
                and not e["tlsConfig"].get("insecureSkipVerify")
                for e in endpoints
            )
            return (
                ok,
                "ServiceMonitor/PodMonitor https with the cluster CA" if ok else "no verified scrape",
                True,
            )
        if client == "ingress-nginx":
            annotations = [
                i["metadata"].get("annotations", {})
                for i in self.ingresses
                if any(
                    p["backend"]["service"]["name"] == server
                    for r in i["spec"]["rules"]
                    for p in r["http"]["paths"]
                )
            ]
            ok = bool(annotations) and all(
                a.get("nginx.ingress.kubernetes.io/proxy-ssl-verify") == "on" for a in annotations
            )
            return (
                ok,
                "proxy-ssl-verify on, proxy-ssl-secret = the cluster CA" if ok else "backend not verified",
                True,
            )
        if client == server and server in self.clusters:
            return True, "replication with operator-issued certificates (verify-ca)", True
        doc = self.workloads.get(client)
        if doc is None:
            return False, f"unknown client {client}", True
        checks = [self._container_checks(c, server, port) for c in containers(doc)]
        relevant = [c for c in checks if c is not None]
        if not relevant:
            return False, "no container of the client is configured for this server", True
        ok = all(v for v, _, _ in relevant)
        return ok, "; ".join(sorted({e for _, e, _ in relevant})), all(c for _, _, c in relevant)

    def _monitors(self, monitor: dict, server: str) -> bool:
        labels = monitor["spec"]["selector"].get("matchLabels", {})
        return labels.get("app.kubernetes.io/name") == server or labels.get("cnpg.io/cluster") == server

    def _container_checks(self, c: dict, server: str, port: int) -> tuple[bool, str, bool] | None:
        """(verified, evidence, confirmed here) for one container, None when it does not talk to this server."""
        env = env_of(self.m, c)
        text = text_of(c)
        image = c["image"]
        family = self._family(server, port)
        if family == "postgres":
            if "n8nio/n8n" in image:
                ok = env.get("DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED") == "true" or "verify-full" in text
                if server == "postgres":  # the workflows' PostgreSQL credential (ETL)
                    ok = '"allowUnauthorizedCerts": False' in self.prepare_import
                    return (
                        ok,
                        "n8n PostgreSQL credential: ssl require, unauthorized certificates refused",
                        True,
                    )
                return ok, "n8n: DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED with the cluster CA", True
            if env.get("PGSSLMODE") == "verify-full" or env.get("PGHOST", "").startswith(server):
                ok = env.get("PGSSLMODE") == "verify-full"
                return ok, "libpq sslmode verify-full", True
            if "POSTGRES_HOST" in env:
                return env.get("PGSSLMODE") == "verify-full", "libpq sslmode verify-full", True
            if "pg_isready" in text:
                return None
            return None
        if family == "mongodb":
            if c["name"] == "mongodb":
                return "--tlsCAFile" in text, "members check each other against the cluster CA", True
            if "n8nio/n8n" in image and c["name"] == "n8n":
                # The workflows' MongoDB credential is built from promptsales-settings by the import step.
                env = self.m.configmap("promptsales-settings")
            options = env.get("MONGODB_OPTIONS_BACKUP") or env.get("MONGODB_OPTIONS", "")
            if "mongodb://" not in text + env.get("MONGODB_URI", "") and not options:
                return None
            if not options:
                return None
            ok = (
                "tls=true" in options
                and "tlsCAFile=" in options
                and "tlsInsecure" not in options
                and "tlsAllowInvalid" not in options
            )
            return ok, "tls=true with tlsCAFile", True
        if family == "redis-member":
            if c["name"] == "haproxy":
                ok = "verify required ca-file" in self.haproxy
                return ok, "HAProxy health checks: verify required against the cluster CA", True
            if c["name"] in ("redis", "sentinel"):
                ok = (
                    "tls-replication yes" in self.redis_scripts["redis-start.sh"]
                    and "tls-ca-cert-file" in self.redis_scripts["redis-start.sh"]
                )
                return ok, "replication and Sentinel over TLS, peers checked against the cluster CA", True
            return None
        if family == "haproxy":
            if "redis-cli" in text:
                return "--cacert" in text and "--insecure" not in text, "redis-cli --tls --cacert", True
            if "n8nio/n8n" in image and port == 6381 and env.get("QUEUE_BULL_REDIS_TLS") == "true":
                ok = env.get("QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE", "true") == "true"
                return ok, "n8n queue: QUEUE_BULL_REDIS_TLS, certificate validated", True
            if port == 6380 and env.get("REDIS_TLS") == "true":
                return (
                    bool(env.get("REDIS_CA_FILE")),
                    "REDIS_TLS with REDIS_CA_FILE (redis-py checks host name)",
                    True,
                )
            if port == 6380 and "n8nio/n8n" in image and c["name"] == "n8n":
                # The workflows' Redis credential is built from promptsales-settings by the import step.
                settings = self.m.configmap("promptsales-settings")
                ok = (
                    settings.get("REDIS_TLS") == "true"
                    and "disableTlsVerification" not in self.n8n_credentials
                )
                return ok, "n8n Redis credential: ssl from REDIS_TLS, verification on", True
            return None
        if family == "mssql":
            if "sqlcmd" in text:
                if "-S localhost" in text.replace(", ", " ") and server not in text:
                    return None
                ok = not re.search(r"(^|\s)-C(\s|$)", text) and bool(env.get("SSL_CERT_FILE"))
                return ok, "sqlcmd without -C, SSL_CERT_FILE = the cluster CA", False
            if "promptsales/python" in image and (
                c["name"] in ("mssql-databases", "db-init") or "seed" in text
            ):
                ok = (
                    "FREETDSCONF" in env
                    and "ca file" in self.freetds
                    and "check certificate hostname = yes" in self.freetds
                )
                return ok, "FreeTDS: encryption require, ca file, host name checked", False
            if "n8nio/n8n" in image and c["name"] == "n8n":
                ok = '"allowUnauthorizedCerts": False' in self.n8n_credentials
                return (
                    ok,
                    "n8n SQL Server credential: TLS, unauthorized certificates refused (NODE_EXTRA_CA_CERTS)",
                    False,
                )
            if c["name"] == "mssql":  # the linked server (CR5)
                return (
                    bool(env.get("SSL_CERT_FILE")),
                    (
                        "linked server (MSOLEDBSQL encrypts and verifies by default; "
                        "the cluster CA through SSL_CERT_FILE)"
                    ),
                    False,
                )
            return None
        if family == "https":
            if "promptsales/python" in image and c["name"] == "mcp":
                url = env.get("N8N_BASE_URL", "")
                return (
                    url.startswith("https://") and bool(env.get("SSL_CERT_FILE")),
                    "httpx over https, SSL_CERT_FILE = public CAs + the cluster CA",
                    True,
                )
            if "n8nio/n8n" in image and c["name"] == "n8n":
                ok = bool(env.get("NODE_EXTRA_CA_CERTS")) and env.get("NODE_TLS_REJECT_UNAUTHORIZED") != "0"
                return ok, "Node verifies (NODE_EXTRA_CA_CERTS = the cluster CA)", True
            return None
        return None

    def _family(self, server: str, port: int) -> str:
        if server in self.clusters:
            return "postgres"
        names = {c["name"] for c in pod_spec(self.workloads[server])["containers"]}
        if "mongodb" in names:
            return "mongodb"
        if "sentinel" in names:
            return "redis-member"
        if "haproxy" in names:
            return "haproxy"
        if "mssql" in names:
            return "mssql"
        return "https"


def hops(m: Manifests) -> list[Hop]:
    facts = TlsFacts(m)
    result = []
    for client, server, port in sorted(admitted_flows(m)):
        if client == server and server not in facts.clusters and port not in (6379, 26379, 27017):
            continue  # a pod talking to itself
        tls, server_evidence = facts.server(server, port)
        verified, client_evidence, confirmed = facts.client(client, server, port)
        result.append(
            Hop(client, server, port, tls, verified, f"{server_evidence} | {client_evidence}", confirmed)
        )
    return result


# ---------------------------------------------------------------------------------------- certificate reload


@dataclass
class Reload:
    workload: str
    secrets: list[str]
    how: str | None


def reloads(m: Manifests) -> list[Reload]:
    """Long-running workloads that serve with a TLS key, and what makes them load a renewed one."""
    result = []
    for kind in ("Deployment", "StatefulSet"):
        for doc in m.kind(kind):
            spec = pod_spec(doc)
            # A Secret mounted whole, or with its key: a certificate the pod serves (the CA alone is not one).
            served = sorted(
                {
                    v["secret"]["secretName"]
                    for v in spec.get("volumes", [])
                    if "secret" in v
                    and ("items" not in v["secret"] or {i["key"] for i in v["secret"]["items"]} - {"ca.crt"})
                }
            )
            if not served:
                continue
            annotated = doc["metadata"].get("annotations", {}).get("secret.reloader.stakater.com/reload", "")
            envoy = next((c for c in spec["containers"] if c["name"] == "envoy"), None)
            if envoy is not None:
                sds = m.configmap(f"{doc['metadata']['name']}-envoy").get("sds-server-certificate.yaml", "")
                how = "Envoy SDS watched_directory (no restart)" if "watched_directory" in sds else None
            elif set(served) <= {s.strip() for s in annotated.split(",") if s.strip()}:
                how = "Reloader rolling restart"
            else:
                how = None
            result.append(Reload(doc["metadata"]["name"], served, how))
    for cluster in m.kind("Cluster"):
        secret = cluster["spec"]["certificates"]["serverTLSSecret"]
        certificate = next(c for c in m.kind("Certificate") if c["spec"]["secretName"] == secret)
        label = "cnpg.io/reload" in certificate["spec"].get("secretTemplate", {}).get("labels", {})
        result.append(
            Reload(
                cluster["metadata"]["name"],
                [secret],
                "CloudNativePG reload (cnpg.io/reload label, no restart)" if label else None,
            )
        )
    return sorted(result, key=lambda r: r.workload)


# ----------------------------------------------------------------------------------------------- backups


@dataclass
class Backup:
    database: str
    offsite: bool
    how: str


def backups(m: Manifests) -> list[Backup]:
    result = []
    stores = {d["metadata"]["name"]: d for d in m.kind("ObjectStore")}
    scheduled = {d["spec"]["cluster"]["name"] for d in m.kind("ScheduledBackup")}
    for cluster in m.kind("Cluster"):
        name = cluster["metadata"]["name"]
        plugins = [p for p in cluster["spec"].get("plugins", []) if p.get("isWALArchiver")]
        store = stores.get(plugins[0]["parameters"]["barmanObjectName"]) if plugins else None
        ok = (
            bool(store)
            and name in scheduled
            and store["spec"]["configuration"]["destinationPath"].startswith("s3://")
        )
        result.append(
            Backup(
                name,
                ok,
                f"WAL archive + daily base backup to {store['spec']['configuration']['destinationPath']}, "
                f"{store['spec']['retentionPolicy']}"
                if ok
                else "none off the cluster",
            )
        )
    cronjobs = {d["metadata"]["name"]: d for d in m.kind("CronJob")}
    for sts in m.kind("StatefulSet"):
        name = sts["metadata"]["name"]
        job = cronjobs.get(f"{name}-backup")
        upload = " ".join(text_of(c) for c in pod_spec(job)["containers"]) if job else ""
        ok = "rclone copy" in upload and '"offsite:' in upload
        extra = " + log every 15 min" if f"{name}-log-backup" in cronjobs else ""
        result.append(
            Backup(
                name,
                ok,
                f"daily dump{extra} copied to the bucket (rclone), 30 days" if ok else "none off the cluster",
            )
        )
    return sorted(result, key=lambda b: b.database)


# ----------------------------------------------------------------------------------------------- checkov


def checkov_report(manifest: Path, binary: str | None = None, timeout: int = 600) -> dict:
    """checkov's report on one rendered manifest (its Kubernetes checks, offline); tests/k8s reads it too."""
    result = subprocess.run(
        [
            binary or tool("checkov"),
            "-f",
            str(manifest),
            "--framework",
            "kubernetes",
            "--skip-download",
            "--quiet",
            "--compact",
            "-o",
            "json",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if not result.stdout.strip():
        raise RuntimeError(f"checkov produced no report:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def checkov(docs_text: str, workdir: Path) -> tuple[int, int]:
    manifest = workdir / "rendered.yaml"
    manifest.write_text(docs_text)
    report = checkov_report(manifest)
    failed = {(f["check_id"], f["resource"]) for f in report["results"]["failed_checks"]}
    skips = yaml.safe_load((K8S / "checkov-skips.yaml").read_text())
    explained = {
        (c, r)
        for c, r in failed
        if c in skips and (skips[c]["resources"] == "all" or r in skips[c]["resources"])
    }
    return len(failed), len(explained)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overlay", default="production")
    parser.add_argument(
        "--hops", action="store_true", help="list every hop, not only the ones short of TLS 1.3"
    )
    parser.add_argument("--checkov", action="store_true", help="also run checkov (a minute or two)")
    args = parser.parse_args()
    docs = render(args.overlay)
    m = Manifests(docs)

    services = stateful_services(m)
    automatic = [s for s in services if s.automatic]
    print(f"stateful services with automatic failover: {len(automatic)}/{len(services)}")
    for s in services:
        print(f"  {'yes' if s.automatic else 'no '}  {s.name:<16} {s.members} member(s): {s.how}")

    all_hops = hops(m)
    good = [h for h in all_hops if h.tls == "1.3" and h.verified]
    print(f"hops with TLS 1.3 and a verified certificate: {len(good)}/{len(all_hops)}")
    plaintext = [h for h in all_hops if h.tls is None]
    unverified = [h for h in all_hops if h.tls and not h.verified]
    print(
        f"  plaintext: {len(plaintext)}; TLS without a verified certificate: {len(unverified)}; "
        f"TLS 1.2 (verified): {len([h for h in all_hops if h.tls == '1.2' and h.verified])}; "
        f"configured but only a real engine can confirm: {len([h for h in all_hops if not h.confirmed_here])}"
    )
    for h in all_hops if args.hops else [h for h in all_hops if h not in good]:
        print(
            f"  {h.client} -> {h.server}:{h.port}  TLS {h.tls or 'none'}, {'verified' if h.verified else 'NOT verified'}"
            f"{'' if h.confirmed_here else ' (unconfirmed here)'}: {h.evidence}"
        )

    reload = reloads(m)
    print(
        f"workloads serving a certificate that load a renewed one: {len([r for r in reload if r.how])}/{len(reload)}"
    )
    for r in reload:
        print(f"  {r.workload:<16} {', '.join(r.secrets)}: {r.how or 'NOT reloaded'}")

    saved = backups(m)
    print(f"databases backed up off the cluster: {len([b for b in saved if b.offsite])}/{len(saved)}")
    for b in saved:
        print(f"  {'yes' if b.offsite else 'no '}  {b.database:<16} {b.how}")

    skips = yaml.safe_load((K8S / "checkov-skips.yaml").read_text())
    print(f"checkov: {len(skips)} checks explained in k8s/checkov-skips.yaml", end="")
    if args.checkov:
        import tempfile

        text = yaml.safe_dump_all(docs)
        with tempfile.TemporaryDirectory() as tmp:
            failed, explained = checkov(text, Path(tmp))
        print(f"; failed on {args.overlay}: {failed}, explained: {explained}")
    else:
        print(" (run with --checkov to count the failures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
