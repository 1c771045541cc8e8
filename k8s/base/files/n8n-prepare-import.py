"""Prepare `n8n import` inside Kubernetes: the credential file and the list of workflows to publish.

Runs in the Python image as an init container of n8n-main, before the n8n container imports. It uses
the same runtime code as `promptsales n8n import` (credentials from settings, the trigger rule of
promptsales.n8n_workflows), so the cluster imports exactly what the local stack imports; it imports
nothing of the local stack (promptsales.localstack). The n8n CLI itself runs in the n8n image.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from promptsales import n8n_workflows
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.settings import get_settings

# In the cluster every PostgreSQL accepts TLS only (hostssl), with certificates from the cluster CA,
# which n8n trusts through NODE_EXTRA_CA_CERTS; "require" makes node-postgres verify it.
KUBERNETES_CREDENTIAL_OVERRIDES = {"postgres": {"ssl": "require", "allowUnauthorizedCerts": False}}


def prepare(workflow_dir: Path, out_dir: Path) -> tuple[int, list[str]]:
    """Write credentials.json and publish-ids.txt into out_dir; return (credential count, ids to publish)."""
    credentials = credentials_from_settings(get_settings())
    for credential in credentials:
        credential["data"].update(KUBERNETES_CREDENTIAL_OVERRIDES.get(credential["type"], {}))
    target = out_dir / "credentials.json"
    target.touch(mode=0o600)
    target.write_text(json.dumps(credentials))
    publish = []
    for path in sorted(workflow_dir.glob("*.json")):
        workflow = n8n_workflows.read(path)
        if n8n_workflows.has_publishable_trigger(workflow):
            publish.append(str(workflow["id"]))
    (out_dir / "publish-ids.txt").write_text("".join(f"{workflow_id}\n" for workflow_id in publish))
    return len(credentials), publish


def main() -> int:
    workflow_dir = Path(os.environ.get("N8N_WORKFLOW_DIR", "/workflows"))
    out_dir = Path(os.environ.get("N8N_IMPORT_DIR", "/import"))
    count, publish = prepare(workflow_dir, out_dir)
    print(
        f"n8n import prepared: {count} credentials, {len(publish)} workflows to publish: {' '.join(publish)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
