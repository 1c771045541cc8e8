"""The ETL workflow as committed, n8n-workflows/etl-promptsales-11min.json: the source of truth, edited in the
n8n editor and exported back (`promptsales n8n export etl-promptsales-11min`, docs/n8n-workflows.md). This
module reads it for the runner and the tests, and keeps its two source branches in step.

Each source read is one SQL text in two nodes: a Microsoft SQL node (production) and a Postgres node (the
local stand-in), behind a Switch on `etl.config.sources`. The two copies differ in two ways only, both
mechanical: how they read a field of their one parameter (a JSON object), `JSON_VALUE($1, '$.low_ads')` on
SQL Server and `CAST($1 AS JSONB) ->> 'low_ads'` on PostgreSQL (which, unlike its JSON_VALUE, plans with the
value); and the SNAPSHOT isolation line of the SQL Server change-log reads.

    python -m promptsales.etl.workflow check   # which SQL Server copies differ from their stand-in twin
    python -m promptsales.etl.workflow sync    # rewrite each SQL Server copy from its stand-in twin
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from promptsales import n8n_workflows
from promptsales.settings import PROJECT_ROOT

WORKFLOW_PATH = PROJECT_ROOT / "n8n-workflows" / "etl-promptsales-11min.json"
WORKFLOW_ID = "psEtlPromptSales11min"
# The error workflow n8n runs when a step of the ETL fails: it writes the step and its error into the run log.
ON_ERROR_PATH = PROJECT_ROOT / "n8n-workflows" / "etl-promptsales-on-error.json"
ON_ERROR_ID = "psEtlPromptSalesOnError"
WEBHOOK_PATH = "promptsales-etl-run"
# A run still 'running' this long after its start is taken for dead: the next run closes it as failed (and
# `promptsales etl run`, refused meanwhile, says from when). The workflow passes it to the run-opening step
# (stale_after_minutes; a test checks the two agree). A run n8n died in is closed sooner, by the error
# workflow, when n8n starts again; this is for what that misses (n8n's event log lost; in queue mode, a
# worker that died while its main process restarted).
STALE_AFTER_MINUTES = 10
# PromptContent writers set updatedAt before the write lands, so the images mark stays this far behind the
# run's start (the stage step's content_late_write_seconds; a test checks the two agree).
CONTENT_LATE_WRITE_SECONDS = 60
# What the run log says of a run n8n died in (the error workflow writes it after the step's name).
CRASHED = (
    "n8n stopped while this step ran (killed, crashed or out of memory) and closed the run when it "
    "started again"
)
START = "Open the run log entry and read the watermarks"
DAILY = "Every day at 03:00 UTC (full re-read)"
CLOSE = "Advance the watermarks and close the run"
STAGE = "Stage what this run read"
# The node name suffix of each source branch.
SQLSERVER, STANDIN = " from SQL Server", " from the stand-in"
# A read in full subtracts the log entries after the high mark from the live rows, which is exact only when
# both are read at one point in time: PostgreSQL gives every statement one snapshot; SQL Server's locking
# READ COMMITTED does not, so its copy of these reads runs under SNAPSHOT isolation (ALLOW_SNAPSHOT_ISOLATION
# is ON on both databases, k8s/base/files/mssql-create-databases.py).
SNAPSHOT_PREFIX = "SET TRANSACTION ISOLATION LEVEL SNAPSHOT;\n"
SNAPSHOT_READS = ("(change log)",)
# A parameter field as the stand-in reads it, and the same on SQL Server.
STANDIN_FIELD = re.compile(r"CAST\(\$1 AS JSONB\) ->> '(\w+)'")
SQLSERVER_FIELD = r"JSON_VALUE($1, '$.\1')"


def document(path: Path = WORKFLOW_PATH) -> dict:
    return n8n_workflows.read(path)


def nodes(workflow: dict | None = None) -> dict[str, dict]:
    """The committed workflow's nodes by name."""
    return {node["name"]: node for node in (workflow or document())["nodes"]}


def query(step: str, workflow: dict | None = None) -> str:
    """The SQL a step of the committed workflow runs."""
    return nodes(workflow)[step]["parameters"]["query"]


def sqlserver_text(standin_query: str, step: str) -> str:
    """The SQL Server copy of a stand-in read (`step`: its name without the branch suffix)."""
    prefix = SNAPSHOT_PREFIX if any(mark in step for mark in SNAPSHOT_READS) else ""
    return prefix + STANDIN_FIELD.sub(SQLSERVER_FIELD, standin_query)


def branch_pairs(workflow: dict | None = None) -> list[tuple[dict, dict]]:
    """(SQL Server node, stand-in node) for every source step, by name."""
    by_name = nodes(workflow)
    return [
        (node, by_name.get(name.removesuffix(SQLSERVER) + STANDIN))
        for name, node in by_name.items()
        if name.endswith(SQLSERVER)
    ]


def branch_differences(workflow: dict | None = None) -> list[str]:
    """What keeps the two branches from holding the same statements, one line each."""
    problems = []
    for sqlserver, standin in branch_pairs(workflow):
        step = sqlserver["name"].removesuffix(SQLSERVER)
        if standin is None:
            problems.append(f"{sqlserver['name']!r} has no stand-in twin named {step + STANDIN!r}")
            continue
        if sqlserver["parameters"].get("query") != sqlserver_text(
            standin["parameters"].get("query", ""), step
        ):
            problems.append(
                f"{step}: the SQL Server query is not the stand-in query (run `python -m "
                "promptsales.etl.workflow sync` to copy the stand-in one over)"
            )
        options = [
            json.dumps(node["parameters"].get("options", {})).replace(suffix, "")
            for node, suffix in ((sqlserver, SQLSERVER), (standin, STANDIN))
        ]
        if options[0] != options[1]:
            problems.append(f"{step}: the two nodes take different parameters")
    return problems


def sync(path: Path = WORKFLOW_PATH) -> list[str]:
    """Rewrite each SQL Server read of the committed file from its stand-in twin; return the steps changed."""
    workflow = document(path)
    changed = []
    for sqlserver, standin in branch_pairs(workflow):
        step = sqlserver["name"].removesuffix(SQLSERVER)
        if standin is None:
            continue
        text = sqlserver_text(standin["parameters"]["query"], step)
        if sqlserver["parameters"]["query"] != text:
            sqlserver["parameters"]["query"] = text
            changed.append(step)
    if changed:
        n8n_workflows.write(path, n8n_workflows.render(workflow))
    return changed


def main(argv: list[str]) -> int:
    if argv == ["check"]:
        problems = branch_differences()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if argv == ["sync"]:
        for step in sync():
            print(f"copied the stand-in SQL to the SQL Server node: {step}")
        return 0
    print("usage: python -m promptsales.etl.workflow check|sync", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
