"""The Python image definition (no Docker here: the Dockerfile is checked, not built) and the resource table."""

from __future__ import annotations

import re

from k8s_helpers import K8S, ROOT, load_script


def test_dockerfile_is_small_non_root_and_installs_torch_cpu_first_then_a_wheel():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    bases = [line.split()[1] for line in instructions if line.startswith("FROM ")]
    assert bases and all(re.fullmatch(r"python:3\.11-slim-[a-z]+", b) for b in bases)  # slim and pinned
    user = [line for line in instructions if line.startswith("USER ")]
    assert (
        user
        and user[-1].split()[1].split(":")[0].isdigit()
        and int(user[-1].split()[1].split(":")[0]) >= 10000
    )
    torch = text.index("download.pytorch.org/whl/cpu torch==")
    project = text.index("pip install .")
    assert torch < project
    # A normal wheel, not an editable install: the folders read beside the code come from PROMPTSALES_HOME.
    assert "pip install -e" not in text and "PROMPTSALES_HOME=/app" in text
    # Everything COPY'd exists, so the build context has what the image needs.
    for line in instructions:
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", "**/*.env", ".venv", ".promptsales", ".git"} <= ignored


def test_manifests_use_the_image_the_dockerfile_documents(rendered):
    tag = re.search(r"docker build -t (\S+) \.", (ROOT / "Dockerfile").read_text()).group(1)
    images = {
        c["image"]
        for d in rendered["local"]
        if d["kind"] in ("Deployment", "Job")
        for c in d["spec"]["template"]["spec"].get("containers", [])
        if "python" in c["image"]
    }
    assert images == {tag}


def test_resource_table_lists_every_long_running_workload(rendered):
    table_module = load_script("resources_table", K8S / "resources-table.py")
    table = table_module.table(rendered["production"])
    names = {
        d["metadata"]["name"] for d in rendered["production"] if d["kind"] in ("Deployment", "StatefulSet")
    }
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")}
    assert names <= rows
    assert table_module.cpu_millicores("1.5") == 1500 and table_module.memory_bytes("768Mi") == 768 * 2**20
    # The init container rule: a pod needs the larger of its biggest init container and its containers' sum.
    pod = {
        "initContainers": [{"resources": {"requests": {"cpu": "2", "memory": "1Gi"}}}],
        "containers": [
            {"resources": {"requests": {"cpu": "500m", "memory": "2Gi"}}},
            {"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}},
        ],
    }
    resources = table_module.pod_resources(pod)
    assert (resources.cpu_request, resources.memory_request) == (2000, 3 * 2**30)
