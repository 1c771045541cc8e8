"""checkov on each rendered overlay: every failed check is explained in k8s/checkov-skips.yaml, and nothing
is explained there that no longer fails. One run per overlay (checkov is slow)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from k8s_helpers import K8S, OVERLAYS, load_script, tool

measure = load_script("k8s_measure", K8S / "measure.py")


def checkov_failures(manifest: Path) -> tuple[set[tuple[str, str]], dict]:
    report = measure.checkov_report(manifest, os.environ.get("CHECKOV") or tool("checkov"), timeout=300)
    failed = {(f["check_id"], f["resource"]) for f in report["results"]["failed_checks"]}
    return failed, report["summary"]


@pytest.mark.slow
def test_checkov_leaves_no_failed_check_unexplained(rendered_text, tmp_path):
    skips = yaml.safe_load((K8S / "checkov-skips.yaml").read_text())
    for check_id, entry in skips.items():
        assert entry["reason"].strip() and entry["resources"], check_id
    used: set[tuple[str, str]] = set()
    for overlay in OVERLAYS:
        manifest = tmp_path / f"{overlay}.yaml"
        manifest.write_text(rendered_text[overlay])
        failed, summary = checkov_failures(manifest)
        # It really checked the whole overlay: hundreds of passed checks, every resource parsed.
        assert summary["parsing_errors"] == 0 and summary["passed"] > 500, summary
        assert summary["skipped"] == 0, "skips belong in k8s/checkov-skips.yaml, not in annotations"
        unexplained = []
        for check_id, resource in sorted(failed):
            entry = skips.get(check_id)
            if entry and (entry["resources"] == "all" or resource in entry["resources"]):
                used.add((check_id, "all" if entry["resources"] == "all" else resource))
            else:
                unexplained.append(f"{overlay}: {check_id} {resource}")
        assert not unexplained, "checkov failures not explained in k8s/checkov-skips.yaml:\n" + "\n".join(
            unexplained
        )
    listed = {
        (check_id, "all") if entry["resources"] == "all" else (check_id, resource)
        for check_id, entry in skips.items()
        for resource in (["all"] if entry["resources"] == "all" else entry["resources"])
    }
    assert not listed - used, (
        f"stale entries in k8s/checkov-skips.yaml (they pass now): {sorted(listed - used)}"
    )
