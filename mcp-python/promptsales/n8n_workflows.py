"""The workflows in n8n-workflows/: one normal form of n8n's export format, so that a workflow exported from
n8n reads byte for byte as its committed file until someone changes it, and a change reads as a small diff.

The normal form keeps what an author makes (the id and name, nodes, connections, settings, pinned data, a
description and node groups when there are any) and drops what one n8n instance keeps about the workflow's
life there (versions, timestamps, sharing, tags, whether it is published, static data such as a schedule's
last fire, the instance id). Node parameters are kept as the editor saves them: only what differs from the
node type's defaults, by n8n's own rule (localstack/n8n/minimal-parameters.js); the editor fills every
default in when it opens a workflow, and n8n stores whatever a client sends. Node keys at their default
(`"disabled": false`) go too. Keys are sorted, except that a workflow opens with its id and name and a node
with its id, name, type, version and position; lists keep their order.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from promptsales.errors import InvalidInput
from promptsales.settings import PROJECT_ROOT

WORKFLOW_DIR = PROJECT_ROOT / "n8n-workflows"
# What `n8n import:workflow` writes as the author of the version it creates (n8n's workflow history).
IMPORT_AUTHOR = "import"
# Kept only when they say something.
OPTIONAL_KEYS = ("description", "nodeGroups")
NODE_FIRST_KEYS = ("id", "name", "type", "typeVersion", "position")
# Node settings n8n takes as these when absent; the editor writes some of them and not others.
NODE_DEFAULTS = {
    "disabled": False,
    "notesInFlow": False,
    "executeOnce": False,
    "alwaysOutputData": False,
    "retryOnFail": False,
    "continueOnFail": False,
    "onError": "stopWorkflow",
    "notes": "",
}

# Given nodes, their parameters in the editor's form (None: a node type the n8n install does not know).
MinimalParameters = Callable[[list[dict]], list[dict | None]]


def read(path: Path) -> dict:
    """A workflow file, checked to be one exported n8n workflow with its own id; InvalidInput otherwise."""
    try:
        document = json.loads(path.read_text())
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} is not a readable workflow: not JSON ({exc})") from exc
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("nodes"), list)
        or not isinstance(document.get("connections"), dict)
    ):
        raise InvalidInput(
            f'{path} is not a workflow: an exported n8n workflow is an object with "nodes" (a list) '
            'and "connections" (an object)'
        )
    if not isinstance(document.get("id"), str) or not document["id"].strip():
        raise InvalidInput(
            f'{path} has no workflow "id": every file keeps n8n\'s id of its workflow, so an import '
            "updates that workflow instead of adding a copy"
        )
    names = [node.get("name") if isinstance(node, dict) else None for node in document["nodes"]]
    if any(not isinstance(name, str) or not name for name in names):
        raise InvalidInput(f'{path} is not a workflow: every node needs a "name"')
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InvalidInput(
            f"{path}: two nodes have the same name ({', '.join(repeated)}); n8n needs them unique"
        )
    return document


def has_publishable_trigger(workflow: dict) -> bool:
    """A trigger that can be published: webhooks and schedules; a manual trigger cannot be. (The local stack
    and Kubernetes' k8s/base/files/n8n-prepare-import.py publish by this same rule.)"""
    for node in workflow.get("nodes", []):
        kind = str(node.get("type", ""))
        if kind.endswith(("manualTrigger", "executeWorkflowTrigger")):
            continue
        if kind.endswith(("Trigger", ".webhook")):
            return True
    return False


def committed(directory: Path = WORKFLOW_DIR) -> dict[str, Path]:
    """The workflow files of a folder by workflow id; InvalidInput when two share an id."""
    by_id: dict[str, Path] = {}
    for path in sorted(directory.glob("*.json")):
        workflow_id = read(path)["id"]
        if workflow_id in by_id:
            raise InvalidInput(
                f"{by_id[workflow_id].name} and {path.name} have the same workflow id {workflow_id!r}; "
                "give one of them a new id"
            )
        by_id[workflow_id] = path
    return by_id


def check_ids(workflows: Mapping[Path, dict], directory: Path = WORKFLOW_DIR) -> None:
    """InvalidInput when two of these workflows share an id, or, when one of them is a file of `directory`,
    two files there do (the second would replace the first one's workflow in n8n)."""
    seen: dict[str, Path] = {}
    for path, workflow in workflows.items():
        other = seen.setdefault(workflow["id"], path)
        if other != path:
            raise InvalidInput(
                f"{other.name} and {path.name} have the same workflow id {workflow['id']!r}; "
                "give one of them a new id"
            )
    if any(path.resolve().parent == directory.resolve() for path in workflows):
        committed(directory)


def normalise(workflows: list[dict], minimal_parameters: MinimalParameters) -> list[dict]:
    """Each workflow in the normal form (one call of `minimal_parameters` for all their nodes)."""
    nodes = [node for workflow in workflows for node in workflow.get("nodes") or []]
    parameters = iter(minimal_parameters(nodes) if nodes else [])
    return [_normal(workflow, parameters) for workflow in workflows]


def _normal(workflow: Mapping[str, Any], parameters: Iterable[dict | None]) -> dict:
    nodes = []
    for node, minimal in zip(workflow.get("nodes") or [], parameters):
        node = {key: value for key, value in node.items() if NODE_DEFAULTS.get(key, _UNSET) != value}
        if minimal is not None:
            node["parameters"] = minimal
        node["position"] = [_number(value) for value in node.get("position") or (0, 0)]
        first = {key: node[key] for key in NODE_FIRST_KEYS if key in node}
        nodes.append(first | _sorted({key: value for key, value in node.items() if key not in first}))
    normal = {
        "id": workflow["id"],
        "name": workflow.get("name") or "",
        "nodes": nodes,
        "connections": _sorted(workflow.get("connections") or {}),
        "settings": _sorted(workflow.get("settings") or {}),
        "pinData": _sorted(workflow.get("pinData") or {}),
    }
    normal |= {key: _sorted(workflow[key]) for key in OPTIONAL_KEYS if workflow.get(key)}
    return normal


_UNSET = object()


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def render(workflow: dict) -> str:
    """The file text of a workflow in the normal form."""
    return json.dumps(workflow, indent=2, ensure_ascii=False) + "\n"


def slug(name: str) -> str:
    """A file name for a workflow name: lower-case ASCII words joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "workflow"


def write(path: Path, text: str) -> None:
    """Write a file whole or not at all: into a temporary file beside it, then renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def changed_lines(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed) from old to new."""
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


@dataclass(frozen=True)
class Edit:
    """A workflow n8n holds as someone saved it after its last import, different from the file to import."""

    path: Path
    workflow_id: str
    name: str
    authors: str
    saved_at: str

    def describe(self) -> str:
        return f'{self.path.name} ("{self.name}", saved by {self.authors} at {self.saved_at})'


def edited_in_n8n(api, workflows: Mapping[Path, dict], minimal_parameters: MinimalParameters) -> list[Edit]:
    """The workflows n8n holds in a version someone saved after their last import (editor, REST API,
    archive), unless that version is already what the file says. `api`: an N8nApi."""
    edits = []
    for path, workflow in workflows.items():
        current = api.workflow(workflow["id"])
        if current is None:
            continue
        version = api.version(workflow["id"], current["versionId"]) or {}
        if version.get("authors") == IMPORT_AUTHOR and not current.get("isArchived"):
            continue
        held, wanted = normalise([current, workflow], minimal_parameters)
        if render(held) == render(wanted) and not current.get("isArchived"):
            continue
        saved_at = str(version.get("createdAt") or current.get("updatedAt") or "an unknown time")
        edits.append(
            Edit(
                path,
                workflow["id"],
                str(current.get("name")),
                str(version.get("authors") or "someone"),
                saved_at.replace("T", " ").split(".")[0] + " UTC",
            )
        )
    return edits


def refusal(edits: list[Edit]) -> str:
    """Why an import did not run, and what to do: one line."""
    slugs = " ".join(edit.path.stem for edit in edits)
    return (
        f"changed in n8n since the last import: {'; '.join(edit.describe() for edit in edits)}. Nothing was "
        f"imported. Keep the change with `promptsales n8n export {slugs}` (then commit the file), or discard "
        "it with `promptsales n8n import --force`"
    )
