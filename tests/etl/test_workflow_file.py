"""The committed workflow is what the builder makes from the SQL files, and both source branches run
the same SQL text; the CLI agrees with the SQL on when a dead run stops blocking."""

from __future__ import annotations

import itertools
import json
import re

from promptsales.etl import runner, workflow
from tsql_check import tsql_parse_errors


def test_committed_workflow_matches_the_sql_files():
    assert workflow.WORKFLOW_PATH.read_text() == workflow.render(), \
        "run `python -m promptsales.etl.workflow` after editing mcp-python/promptsales/etl/sql/"
    assert workflow.ON_ERROR_PATH.read_text() == workflow.render_on_error(), \
        "run `python -m promptsales.etl.workflow` after editing mcp-python/promptsales/etl/sql/"


def test_a_failed_step_reaches_the_error_workflow_that_records_it():
    etl = json.loads(workflow.WORKFLOW_PATH.read_text())
    on_error = json.loads(workflow.ON_ERROR_PATH.read_text())
    assert etl["settings"]["errorWorkflow"] == on_error["id"]
    assert [n["type"] for n in on_error["nodes"]] == ["n8n-nodes-base.errorTrigger", "n8n-nodes-base.postgres"]


def test_each_source_read_has_identical_sql_server_and_standin_nodes():
    nodes = {n["name"]: n for n in json.loads(workflow.WORKFLOW_PATH.read_text())["nodes"]}
    pairs = [(name, name.replace(" from SQL Server", " from the stand-in"))
             for name in nodes if name.endswith(" from SQL Server")]
    assert len(pairs) == len(workflow.SOURCE_READS) + len(workflow.PRUNES)
    for mssql, standin in pairs:
        assert nodes[mssql]["type"] == "n8n-nodes-base.microsoftSql"
        assert nodes[standin]["type"] == "n8n-nodes-base.postgres"
        mssql_query = nodes[mssql]["parameters"]["query"]
        if mssql_query.startswith(workflow.SNAPSHOT_PREFIX):  # the reads in full need one point in time
            mssql_query = mssql_query.removeprefix(workflow.SNAPSHOT_PREFIX)
            assert "change log" in mssql
        assert mssql_query == nodes[standin]["parameters"]["query"]
        # The same parameters, each naming the earlier nodes of its own branch.
        options = json.dumps(nodes[mssql]["parameters"]["options"]).replace(" from SQL Server", " from the stand-in")
        assert json.loads(options) == nodes[standin]["parameters"]["options"]


def test_each_branch_is_one_chain_of_reads_that_runs_each_read_once():
    document = json.loads(workflow.WORKFLOW_PATH.read_text())
    nodes = {n["name"]: n for n in document["nodes"]}
    for suffix in workflow.BRANCHES.values():
        chain = [f"{label}{suffix}" for _, label, _ in workflow.SOURCE_READS]
        for earlier, later in itertools.pairwise(chain):
            assert [link["node"] for link in document["connections"][earlier]["main"][0]] == [later]
        assert all(nodes[name].get("executeOnce") and nodes[name].get("alwaysOutputData") for name in chain)
        assert document["connections"][chain[-1]]["main"][0][0]["node"] == "Read the changed PromptContent images"


def test_workflow_is_database_nodes_not_code():
    kinds = {n["type"] for n in json.loads(workflow.WORKFLOW_PATH.read_text())["nodes"]}
    assert not any(k.endswith((".code", ".function")) for k in kinds)
    assert {"n8n-nodes-base.mongoDb", "n8n-nodes-base.microsoftSql", "n8n-nodes-base.postgres",
            "n8n-nodes-base.redis", "n8n-nodes-base.scheduleTrigger"} <= kinds


def test_every_source_query_parses_as_tsql(tmp_path):
    """The SQL the Microsoft SQL nodes run on SQL Server (never executed here) parses as T-SQL, with the
    node's own parameter names (it turns $n into @pn before sending the query)."""
    nodes = {n["name"]: n for n in json.loads(workflow.WORKFLOW_PATH.read_text())["nodes"]}
    for _, label, sql_name, *_ in workflow.SOURCE_READS + workflow.PRUNES:
        text = nodes[f"{label} from SQL Server"]["parameters"]["query"]
        (tmp_path / f"{sql_name}.sql").write_text(re.sub(r"\$(\d+)", r"@p\1", text) + "\n")
    assert len(list(tmp_path.glob("*.sql"))) == 11
    assert sum(workflow.SNAPSHOT_PREFIX in path.read_text() for path in tmp_path.glob("*.sql")) == 2
    assert tsql_parse_errors(tmp_path) == ""


def test_the_cli_gives_up_a_dead_run_when_the_workflow_does():
    """`promptsales etl run` tells a user when a dead run stops blocking; that must be the interval after
    which the run-opening step closes it: the SQL takes it as a parameter (no interval of its own), and the
    workflow passes the CLI's value."""
    text = (workflow.SQL_DIR / "central_open_run.sql").read_text()
    assert "interval '" not in text
    assert text.count("make_interval(mins => CAST($3 AS INT))") == 2
    nodes = {n["name"]: n for n in json.loads(workflow.WORKFLOW_PATH.read_text())["nodes"]}
    params = nodes[workflow.START]["parameters"]["options"]["queryReplacement"]
    assert params.endswith(f", {runner.STALE_AFTER_MINUTES}, $execution.id] }}}}")
