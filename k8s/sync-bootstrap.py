#!/usr/bin/env python3
"""Name the bootstrap Job in each overlay after a hash of what it runs: bootstrap-<10 hex digits>.

A Job's pod template cannot be changed in place, so re-applying an overlay whose Job changed (a script,
an image, an environment variable) fails on a Job of the same name. With the hash in its name, a changed
Job is a new Job: `kubectl apply -k` creates it and it runs; the finished old one is deleted after an hour
(ttlSecondsAfterFinished). The hash covers the Job as the overlay renders it, its name left out, and the
name of the generated bootstrap-scripts ConfigMap in it carries kustomize's hash of the scripts.

    python3 k8s/sync-bootstrap.py           # write the names into the overlays' kustomization.yaml
    python3 k8s/sync-bootstrap.py --check   # exit 1 and name the stale overlays (what tests/k8s runs)
Needs kubectl (scripts/bootstrap installs it into .venv/bin). Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

K8S = Path(__file__).resolve().parent
OVERLAYS = ("local", "production")
# The value the overlay's JSON patch gives the Job's name.
NAME_LINE = re.compile(r"(path: /metadata/name\n\s+value: )bootstrap-[0-9a-f]{10}")
JOB_NAME = re.compile(r"^  name: bootstrap-[0-9a-f]{10}\n", re.MULTILINE)


def kubectl() -> str:
    beside = Path(sys.executable).with_name("kubectl")
    found = str(beside) if beside.exists() else shutil.which("kubectl")
    if found is None:
        sys.exit("kubectl not found: run scripts/bootstrap (it installs kubectl into .venv/bin)")
    return found


def job_text(overlay: Path) -> str:
    """The rendered bootstrap Job, its own name removed (kustomize prints keys in a stable order)."""
    rendered = subprocess.run(
        [kubectl(), "kustomize", str(overlay)], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    jobs = [
        doc
        for doc in rendered.split("\n---\n")
        if re.search(r"^kind: Job$", doc, re.MULTILINE) and "app.kubernetes.io/name: bootstrap\n" in doc
    ]
    if len(jobs) != 1:
        sys.exit(f"{overlay}: expected one bootstrap Job, found {len(jobs)}")
    return JOB_NAME.sub("", jobs[0], count=1)


def expected_name(overlay: Path) -> str:
    return "bootstrap-" + hashlib.sha256(job_text(overlay).encode()).hexdigest()[:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale names")
    parser.add_argument("--k8s", type=Path, default=K8S, help="the k8s/ folder (tests point at a copy)")
    args = parser.parse_args()
    stale = []
    for name in OVERLAYS:
        overlay = args.k8s / "overlays" / name
        kustomization = overlay / "kustomization.yaml"
        text = kustomization.read_text()
        if not NAME_LINE.search(text):
            sys.exit(f"{kustomization}: no bootstrap name patch (op: replace, path: /metadata/name)")
        wanted = expected_name(overlay)
        updated = NAME_LINE.sub(rf"\g<1>{wanted}", text, count=1)
        if updated == text:
            continue
        stale.append(f"{name}: the Job is now {wanted}")
        if not args.check:
            kustomization.write_text(updated)
    if args.check and stale:
        print(
            "bootstrap Job names are stale (run python3 k8s/sync-bootstrap.py):\n  " + "\n  ".join(stale),
            file=sys.stderr,
        )
        return 1
    for line in stale:
        print(f"updated {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
