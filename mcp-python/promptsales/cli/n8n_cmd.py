"""`promptsales n8n import`: import and publish n8n-workflows/*.json, with credentials from settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from promptsales.errors import UserError
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.settings import PROJECT_ROOT, get_settings

WORKFLOW_DIR = PROJECT_ROOT / "n8n-workflows"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("n8n", help="manage the n8n workflows kept in git")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="import + publish workflows (restarts a running local n8n)")
    imp.add_argument("files", nargs="*", type=Path,
                     help="workflow JSON files (default: every n8n-workflows/*.json)")
    imp.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    files = args.files or sorted(WORKFLOW_DIR.glob("*.json"))
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UserError(f"no such workflow file: {', '.join(missing)}")
    if not files:
        raise UserError(f"no workflow files in {WORKFLOW_DIR}")
    settings = get_settings()
    service = N8nService(settings)
    service.import_credentials(credentials_from_settings(settings))
    ids = service.import_workflows(files)
    for path, workflow_id in zip(files, ids):
        print(f"imported {path.name} (id {workflow_id})")
    return 0
