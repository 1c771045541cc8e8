"""The committed ETL workflow, judged as it is (it is the source of truth, edited in the n8n editor): its SQL
parses (T-SQL here, PostgreSQL in test_source_queries.py and below), both source branches hold the same
statements, every SQL step takes one parameter with named fields that exist, and the values the runner
and the tests rely on are the ones the file passes. Its behaviour is run end to end in test_etl_workflow.py."""

from __future__ import annotations

import json
import re

import pytest
from promptsales.etl import runner, workflow
from tsql_check import tsql_parse_errors

DOCUMENT = json.loads(workflow.WORKFLOW_PATH.read_text())
NODES = {n["name"]: n for n in DOCUMENT["nodes"]}
SQL_NODES = {
    name: n
    for name, n in NODES.items()
    if n["type"] in ("n8n-nodes-base.postgres", "n8n-nodes-base.microsoftSql")
}
# How each engine's copy reads a field of the one parameter.
POSTGRES_FIELD = re.compile(r"CAST\(\$1 AS JSONB\) ->> '(\w+)'|params\.\w+ ->> '(\w+)'")
TSQL_FIELD = re.compile(r"JSON_VALUE\(\$1, '\$\.(\w+)'\)")


def _pairs() -> list[tuple[str, str]]:
    return [
        (name, name.replace(" from SQL Server", " from the stand-in"))
        for name in NODES
        if name.endswith(" from SQL Server")
    ]


def _chain(switch: str, output: int) -> list[str]:
    """The nodes one output of a node leads through, one after another, up to the first with two inputs."""
    chain, name = [], DOCUMENT["connections"][switch]["main"][output][0]["node"]
    while name.endswith((" from SQL Server", " from the stand-in")):
        chain.append(name)
        name = DOCUMENT["connections"][name]["main"][0][0]["node"]
    return chain + [name]


def test_a_failed_step_reaches_the_error_workflow_that_records_it():
    on_error = json.loads(workflow.ON_ERROR_PATH.read_text())
    assert DOCUMENT["settings"]["errorWorkflow"] == on_error["id"]
    working = [n["type"] for n in on_error["nodes"] if n["type"] != "n8n-nodes-base.stickyNote"]
    assert working == ["n8n-nodes-base.errorTrigger", "n8n-nodes-base.postgres"]


def test_both_source_branches_hold_the_same_statements():
    """Each SQL Server read is its stand-in twin with the other engine's way of reading a parameter field,
    and the two change-log reads under SNAPSHOT isolation; the same parameters, each from its own branch."""
    pairs = _pairs()
    assert len(pairs) == 11  # eight reads and three prunes
    snapshot_reads = 0
    for mssql, standin in pairs:
        assert NODES[mssql]["type"] == "n8n-nodes-base.microsoftSql"
        assert NODES[standin]["type"] == "n8n-nodes-base.postgres"
        mssql_query = NODES[mssql]["parameters"]["query"]
        if mssql_query.startswith("SET TRANSACTION ISOLATION LEVEL SNAPSHOT;\n"):
            snapshot_reads += 1
            assert "(change log)" in mssql
            mssql_query = mssql_query.split("\n", 1)[1]
        as_postgres = TSQL_FIELD.sub(lambda m: f"CAST($1 AS JSONB) ->> '{m.group(1)}'", mssql_query)
        assert as_postgres == NODES[standin]["parameters"]["query"], mssql
        options = json.dumps(NODES[mssql]["parameters"]["options"]).replace(
            " from SQL Server", " from the stand-in"
        )
        assert json.loads(options) == NODES[standin]["parameters"]["options"]
    assert snapshot_reads == 2
    assert workflow.branch_differences(DOCUMENT) == []


def test_each_branch_is_one_chain_of_reads_that_runs_each_read_once():
    switch = "Sources on SQL Server or the stand-in (or no run opened)?"
    outputs = {rule["outputKey"]: i for i, rule in enumerate(NODES[switch]["parameters"]["rules"]["values"])}
    sqlserver, standin = _chain(switch, outputs["SQL Server"]), _chain(switch, outputs["stand-in"])
    assert sqlserver[-1] == standin[-1] == "Read the changed PromptContent images"
    assert [n.replace(" from SQL Server", "") for n in sqlserver] == [
        n.replace(" from the stand-in", "") for n in standin
    ]
    assert len(sqlserver) == 9
    assert all(
        NODES[n].get("executeOnce") and NODES[n].get("alwaysOutputData")
        for n in sqlserver[:-1] + standin[:-1]
    )
    assert all(n.endswith(" from SQL Server") for n in sqlserver[:-1])


def test_workflow_is_database_nodes_not_code():
    kinds = {n["type"] for n in DOCUMENT["nodes"]}
    assert not any(k.endswith((".code", ".function")) for k in kinds)
    assert {
        "n8n-nodes-base.mongoDb",
        "n8n-nodes-base.microsoftSql",
        "n8n-nodes-base.postgres",
        "n8n-nodes-base.redis",
        "n8n-nodes-base.scheduleTrigger",
    } <= kinds


def test_every_sql_server_query_parses_as_tsql(tmp_path):
    """The SQL the Microsoft SQL nodes run on SQL Server (never executed here) parses as T-SQL, with the
    node's own parameter name (it turns $1 into @p1 before sending the query)."""
    for node in SQL_NODES.values():
        if node["type"] == "n8n-nodes-base.microsoftSql":
            text = re.sub(r"\$(\d+)(?!\d)", r"@p\1", node["parameters"]["query"])
            (tmp_path / f"{len(list(tmp_path.iterdir())):02d}.sql").write_text(text + "\n")
    assert len(list(tmp_path.glob("*.sql"))) == 11
    assert tsql_parse_errors(tmp_path) == ""


def _fields_read(query: str) -> set[str]:
    return {a or b for a, b in POSTGRES_FIELD.findall(query)} | set(TSQL_FIELD.findall(query))


def _fields_given(expression: str) -> set[str]:
    """The fields a parameter expression names: its object's keys, and for a node's row passed whole (or a
    row of a node the object holds), every column that node's SQL names."""
    given = set(re.findall(r"^\s*(\w+):", expression, re.MULTILINE))
    for step in re.findall(r"\$\('([^']+)'\)", expression):
        if step in SQL_NODES:
            given |= set(re.findall(r"\bAS (\w+)", SQL_NODES[step]["parameters"]["query"]))
    return given


@pytest.mark.parametrize("name", sorted(SQL_NODES))
def test_every_sql_step_takes_one_parameter_with_named_fields_it_is_given(name):
    """One parameter, a JSON object: no positional list for a reader to count through, and no field the SQL
    reads that the expression does not give (a misspelt field would silently read NULL)."""
    node = SQL_NODES[name]
    query, expression = node["parameters"]["query"], node["parameters"]["options"]["queryReplacement"]
    assert set(re.findall(r"\$(\d+)(?!\d)", query)) == {"1"}, name
    assert re.match(r"^=\{\{ (\(rows => )?\[JSON\.stringify\(", expression), expression[:80]
    assert "}}" not in expression[:-2]  # n8n ends an expression at the first '}}'
    read = _fields_read(query)
    assert read, name
    assert read <= _fields_given(expression), (name, read - _fields_given(expression))


def test_the_cli_and_the_tests_use_the_values_the_workflow_passes():
    """`promptsales etl run` says when a dead run stops blocking: the run-opening step's stale_after_minutes;
    the images mark is held back by the stage step's content_late_write_seconds."""
    opening = NODES[workflow.START]["parameters"]
    assert re.search(
        rf"^\s*stale_after_minutes: {runner.STALE_AFTER_MINUTES},?$",
        opening["options"]["queryReplacement"],
        re.MULTILINE,
    )
    assert (
        opening["query"].count(
            "make_interval(mins => CAST(CAST($1 AS JSONB) ->> 'stale_after_minutes' AS INT))"
        )
        == 2
    )
    stage = NODES[workflow.STAGE]["parameters"]["options"]["queryReplacement"]
    assert re.search(
        rf"^\s*content_late_write_seconds: {workflow.CONTENT_LATE_WRITE_SECONDS},?$", stage, re.MULTILINE
    )


def test_runs_are_kept_for_the_editors_executions_tab():
    settings = DOCUMENT["settings"]
    assert settings["saveDataSuccessExecution"] == "all" and settings["saveDataErrorExecution"] == "all"
    assert settings["saveManualExecutions"] is True


@pytest.mark.stack
def test_every_postgres_step_parses_and_plans_on_its_database(etl_world):
    """PostgreSQL parses and analyzes every Postgres node's SQL against the schema it runs on (PREPARE: the
    central database, or the contract stand-ins the ETL tests use); nothing is executed."""
    databases = {
        "psPostgresCentral": etl_world.central,
        "psPostgresAdsStandin": etl_world.ads,
        "psPostgresCrmStandin": etl_world.crm,
    }
    on_error = json.loads(workflow.ON_ERROR_PATH.read_text())
    postgres = [n for n in DOCUMENT["nodes"] + on_error["nodes"] if n["type"] == "n8n-nodes-base.postgres"]
    assert len(postgres) == 18
    for number, node in enumerate(postgres):
        conn = databases[node["credentials"]["postgres"]["id"]]
        name = f"workflow_step_{number}"
        conn.execute(f"PREPARE {name} AS {node['parameters']['query']}")
        conn.execute(f"DEALLOCATE {name}")
