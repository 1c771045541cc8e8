"""The README's data-flow diagram stays true to the code: every arrow into or out of n8n is a node kind the
committed workflows really have, and every store an arrow names is one the code connects to."""

from __future__ import annotations

import json
import re

import pytest
from promptsales.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text()
DIAGRAM = README.split("```mermaid", 1)[1].split("```", 1)[0]
WORKFLOWS = {p.stem: json.loads(p.read_text()) for p in (PROJECT_ROOT / "n8n-workflows").glob("*.json")}
# A node's label where it is defined: id["text"] or id[("text")].
NODE_LABEL = re.compile(r'\[\(?"[^"]*"\)?\]|\[\([^\]]*\)\]|\[[^\]]*\]')
# One arrow, labels stripped: "a & b -->|label| c & d", "a -- label --> c" or "a <--> b".
ARROW = re.compile(
    r'^\s*(?P<sources>[\w &]+?)\s*(?:--\s*"[^"]*"\s*-->|<?-->(?:\|[^|]*\|)?)\s*(?P<targets>[\w &]+)$'
)


def _ids(side: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s&\s", side)]


def arrows() -> set[tuple[str, str]]:
    found = set()
    for line in DIAGRAM.splitlines():
        match = ARROW.match(NODE_LABEL.sub("", line))
        if match:
            for source in _ids(match["sources"]):
                for target in _ids(match["targets"]):
                    found.add((source, target))
    return found


def node_kinds(*names: str) -> set[str]:
    return {node["type"].rsplit(".", 1)[-1] for name in names for node in WORKFLOWS[name]["nodes"]}


FLOWS = (
    "campaign-messages",
    "canva-oauth-callback",
    "canva-refresh-token",
    "canva-start-connection",
    "canva-upload-asset",
)
# Each arrow touching n8n, and the node kind in the committed workflows that makes it.
N8N_ARROWS = {
    ("ads", "etl"): (("etl-promptsales-11min",), {"microsoftSql", "postgres"}),  # SQL Server, or its stand-in
    ("crm", "etl"): (("etl-promptsales-11min",), {"microsoftSql", "postgres"}),
    ("content", "etl"): (("etl-promptsales-11min",), {"mongoDb"}),
    ("etl", "sales"): (("etl-promptsales-11min",), {"postgres"}),
    ("etl", "redis"): (("etl-promptsales-11min",), {"redis"}),
    ("n8n", "content"): (("campaign-messages",), {"mongoDb"}),
    ("n8n", "sales"): (("canva-oauth-callback", "canva-refresh-token"), {"postgres"}),
    ("n8n", "llm"): (("campaign-messages",), {"httpRequest"}),
    ("n8n", "canva"): (("canva-oauth-callback", "canva-upload-asset"), {"httpRequest"}),
    ("n8n", "redis"): (FLOWS, {"redis"}),
    ("mcp", "n8n"): (FLOWS, {"webhook"}),
}


def test_the_diagram_parses_into_the_arrows_it_draws():
    drawn = arrows()
    assert ("gen", "content") in drawn and ("client", "mcp") in drawn and ("mcp", "vec") in drawn
    assert len(drawn) >= 20


@pytest.mark.parametrize("arrow", sorted(N8N_ARROWS))
def test_each_n8n_arrow_is_made_by_a_node_of_the_committed_workflows(arrow):
    assert arrow in arrows(), f"the README diagram lost the arrow {arrow}"
    workflows, kinds = N8N_ARROWS[arrow]
    assert kinds <= node_kinds(*workflows), (
        f"{arrow}: {workflows} have no {kinds - node_kinds(*workflows)} node"
    )


def test_no_arrow_touches_n8n_without_a_node_behind_it():
    touching = {a for a in arrows() if {"etl", "n8n"} & set(a)}
    assert touching == set(N8N_ARROWS), f"arrows without evidence here: {touching - set(N8N_ARROWS)}"


def test_the_vectors_live_in_the_central_postgres_as_the_diagram_says():
    vectors = (PROJECT_ROOT / "db-init" / "promptcontent" / "090_create_vector_index.sql").read_text()
    assert "content.image_embeddings" in vectors and "pgvector in PostgreSQL" in DIAGRAM
