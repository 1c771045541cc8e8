"""Every committed workflow reads on the n8n editor's canvas (geometry in canvas.py): nodes on the editor's
grid, no two nodes overlapping, no edge running behind a node, sticky notes that hold whole nodes or none,
every Switch output named, and notes that say what each part does and what is safe to change."""

from __future__ import annotations

import json

import canvas
import pytest
from promptsales.n8n_workflows import WORKFLOW_DIR

FILES = sorted(WORKFLOW_DIR.glob("*.json"))
WORKFLOWS = {path.name: json.loads(path.read_text()) for path in FILES}


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_the_canvas_reads(name):
    assert canvas.problems(WORKFLOWS[name]) == []


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_switch_output_is_named(name):
    for node in WORKFLOWS[name]["nodes"]:
        if node["type"] != "n8n-nodes-base.switch":
            continue
        parameters = node["parameters"]
        assert parameters.get("mode", "rules") == "rules", (
            f"{node['name']}: an expression Switch has numbered outputs"
        )
        rules = parameters["rules"]["values"]
        assert all(rule.get("renameOutput") and rule.get("outputKey", "").strip() for rule in rules), node[
            "name"
        ]
        if parameters.get("options", {}).get("fallbackOutput") == "extra":
            assert parameters["options"].get("renameFallbackOutput", "").strip(), node["name"]
        keys = [rule["outputKey"] for rule in rules]
        assert len(set(keys)) == len(keys), node["name"]


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_sticky_notes_say_what_the_flow_does_and_what_is_safe_to_change(name):
    notes = [n["parameters"]["content"] for n in WORKFLOWS[name]["nodes"] if canvas.is_sticky(n)]
    assert notes, "no sticky note"
    assert all(note.lstrip().startswith("## ") for note in notes), "every note opens with a heading"
    if len([n for n in WORKFLOWS[name]["nodes"] if not canvas.is_sticky(n)]) > 5:
        assert any("Safe to change" in note for note in notes)


def test_the_checks_catch_what_they_are_for():
    """Each check fails on the defect it names: nodes on top of each other, an edge behind a node, a note
    cutting a node, a position off the grid."""
    node = {"type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {}}
    workflow = {
        "nodes": [
            {**node, "name": "A", "position": [0, 0]},
            {**node, "name": "B", "position": [512, 0]},
            {**node, "name": "In the way", "position": [256, 0]},
            {**node, "name": "On top", "position": [528, 32]},
            {**node, "name": "Off grid", "position": [1000, 0]},
            {
                "type": "n8n-nodes-base.stickyNote",
                "typeVersion": 1,
                "name": "Note",
                "position": [1024, -48],
                "parameters": {"width": 48, "height": 400, "content": "## x"},
            },
        ],
        "connections": {"A": {"main": [[{"node": "B", "type": "main", "index": 0}]]}},
    }
    found = canvas.problems(workflow)
    assert "'B' and 'On top' overlap" in found
    assert "the edge 'A' -> 'B' runs behind 'In the way'" in found
    assert any(line.startswith("'Off grid' is off the editor's 16 px grid") for line in found)
    assert "sticky note 'Note' covers part of 'Off grid'" in found
