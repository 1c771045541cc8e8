"""`promptsales n8n import|export`: the workflows in git and the workflows in n8n, each way.

import: n8n-workflows/*.json into n8n, published, with the credentials from settings; it does not overwrite a
workflow someone changed in n8n since its last import. export: the workflows as n8n holds them back into
their files, in the normal form (promptsales.n8n_workflows).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import bcrypt

from promptsales import n8n_workflows
from promptsales.errors import InvalidInput, NotFound, Unavailable
from promptsales.n8n_client import N8nApi
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.n8n_workflows import WORKFLOW_DIR
from promptsales.settings import get_settings


def _n8n_service(settings):
    # Imported when used: the CLI starts without the local stack's modules (see stack_cmd._stack).
    from promptsales.localstack.n8n import N8nService

    return N8nService(settings)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("n8n", help="the n8n workflows kept in git: import them, export them back")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="import + publish workflows (restarts the local n8n); refuses to "
        "overwrite a workflow changed in n8n since its last import",
    )
    imp.add_argument(
        "files", nargs="*", type=Path, help="workflow JSON files (default: every n8n-workflows/*.json)"
    )
    edited = imp.add_mutually_exclusive_group()
    edited.add_argument(
        "--force",
        action="store_true",
        help="overwrite workflows changed in n8n since their last import (the change is lost)",
    )
    edited.add_argument(
        "--skip-edited",
        action="store_true",
        help="import the others and keep those workflows as they are in n8n",
    )
    imp.set_defaults(handler=_import)
    exp = actions.add_parser("export", help="write workflows as they are in n8n to n8n-workflows/<slug>.json")
    exp.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="a file name of n8n-workflows/ (etl-promptsales-11min), a workflow id or a workflow's "
        "exact name in n8n (default: every workflow that has a file)",
    )
    exp.add_argument(
        "--dir", type=Path, default=WORKFLOW_DIR, help="where the files are (default: n8n-workflows/)"
    )
    exp.set_defaults(handler=_export)
    owner = actions.add_parser(
        "owner-hash",
        help="print the bcrypt hash of an owner password (for Kubernetes' "
        "N8N_INSTANCE_OWNER_PASSWORD_HASH); reads the password from stdin",
    )
    owner.set_defaults(handler=_owner_hash)


def _import(args: argparse.Namespace) -> int:
    files = args.files or sorted(WORKFLOW_DIR.glob("*.json"))
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise NotFound(f"no such workflow file: {', '.join(missing)}")
    if not files:
        raise NotFound(f"no workflow files in {WORKFLOW_DIR}")
    workflows = {path.resolve(): n8n_workflows.read(path) for path in files}
    n8n_workflows.check_ids(workflows)
    settings = get_settings()
    service = _n8n_service(settings)
    kept: list[n8n_workflows.Edit] = []
    if not args.force:
        if service.proc.pid() is None:
            raise Unavailable(
                "n8n is not running; start it with `promptsales stack up` (the import first checks "
                "what n8n holds, so as not to overwrite a change made in the editor)"
            )
        with N8nApi(settings) as api:
            kept = n8n_workflows.edited_in_n8n(api, workflows, service.minimal_parameters)
        if kept and not args.skip_edited:
            raise Unavailable(n8n_workflows.refusal(kept))
    chosen = [path for path in workflows if path not in {edit.path for edit in kept}]
    service.import_credentials(credentials_from_settings(settings))
    ids = service.import_workflows(chosen, force=True) if chosen else []
    for path, workflow_id in zip(chosen, ids):
        print(f"imported {path.name} (id {workflow_id})")
    for edit in kept:
        print(
            f"kept     {edit.describe()}: changed in n8n since its last import; `promptsales n8n export "
            f"{edit.path.stem}` writes it to its file"
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    if not directory.is_dir():
        raise NotFound(f"no such folder: {directory}")
    files = n8n_workflows.committed(directory)
    settings = get_settings()
    service = _n8n_service(settings)
    with N8nApi(settings) as api:
        targets = _export_targets(args.names, files, api.workflows(), directory)
        held = {}
        for workflow_id, path in targets.items():
            workflow = api.workflow(workflow_id)
            if workflow is None:
                raise NotFound(f"workflow {workflow_id} ({path.name}) is not in n8n; nothing was exported")
            held[path] = workflow
    texts = {
        path: n8n_workflows.render(normal)
        for path, normal in zip(
            held, n8n_workflows.normalise(list(held.values()), service.minimal_parameters)
        )
    }
    for path, text in texts.items():
        old = path.read_text() if path.exists() else ""
        if text == old:
            print(f"unchanged {path.name}")
            continue
        n8n_workflows.write(path, text)
        added, removed = n8n_workflows.changed_lines(old, text)
        print(
            f"exported  {path.name} (id {held[path]['id']}): {'new file' if not old else 'changed'}, "
            f"+{added} -{removed} lines"
        )
    return 0


def _owner_hash(args: argparse.Namespace) -> int:
    password = (
        getpass.getpass("n8n owner password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    )
    # n8n's own password rule: 8 to 64 characters, a digit and an upper-case letter.
    if not (
        8 <= len(password) <= 64 and any(c.isdigit() for c in password) and any(c.isupper() for c in password)
    ):
        raise InvalidInput(
            "the owner password needs 8 to 64 characters, at least one digit and one upper-case letter"
        )
    print(bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode())
    return 0


def _export_targets(
    names: list[str], files: dict[str, Path], listing: list[dict], directory: Path
) -> dict[str, Path]:
    """Workflow id -> the file it is written to, for the names asked (default: every workflow with a file)."""
    live = {workflow["id"]: workflow for workflow in listing if not workflow.get("isArchived")}
    if not names:
        absent = [
            f"{path.name} (id {workflow_id})"
            for workflow_id, path in files.items()
            if workflow_id not in live
        ]
        if absent:
            raise NotFound(
                f"not in n8n: {', '.join(absent)}; import them first, or name the workflows to "
                "export. Nothing was exported"
            )
        return dict(files)
    by_slug = {path.stem: workflow_id for workflow_id, path in files.items()}
    targets: dict[str, Path] = {}
    for name in names:
        stem = name.removesuffix(".json")
        matches = [w["id"] for w in live.values() if w["name"] == name]
        workflow_id = (
            by_slug.get(stem)
            or (name if name in live else None)
            or (matches[0] if len(matches) == 1 else None)
        )
        if workflow_id is None or workflow_id not in live:
            raise NotFound(
                f"no workflow {name!r} in n8n (give a file name of {directory.name}/, a workflow id or "
                f"a workflow's exact name); nothing was exported"
            )
        path = files.get(workflow_id) or directory / f"{n8n_workflows.slug(live[workflow_id]['name'])}.json"
        if path.exists() and workflow_id not in files:
            raise Unavailable(
                f"{path} belongs to another workflow; rename the workflow {workflow_id} in n8n, then "
                "export it again. Nothing was exported"
            )
        targets[workflow_id] = path
    return targets
