"""Builds n8n-workflows/etl-promptsales-11min.json from the SQL files in sql/.

Why generate: every source query is written once (sql/ads_*.sql, sql/crm_*.sql) in SQL that runs on
SQL Server and on the PostgreSQL stand-ins, and the workflow carries it twice - in a Microsoft SQL node
(production) and in a Postgres node (stand-in) - behind an If node on `etl.config.sources`. Generating
the JSON keeps both copies identical; a test fails when the committed file differs from this output.
The committed JSON stays an ordinary n8n workflow, editable in the n8n editor.

Run `python -m promptsales.etl.workflow` to rewrite the file after editing the SQL.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from promptsales.settings import PROJECT_ROOT

SQL_DIR = Path(__file__).with_name("sql")
WORKFLOW_PATH = PROJECT_ROOT / "n8n-workflows" / "etl-promptsales-11min.json"
WORKFLOW_ID = "psEtlPromptSales11min"
# The error workflow n8n runs when a step of the ETL fails: it writes the step and its error into the run log.
ON_ERROR_PATH = PROJECT_ROOT / "n8n-workflows" / "etl-promptsales-on-error.json"
ON_ERROR_ID = "psEtlPromptSalesOnError"
WEBHOOK_PATH = "promptsales-etl-run"
SCHEDULE_MINUTES = 11
# A run still 'running' this long after its start is taken for dead: the next run closes it as failed (and
# `promptsales etl run`, refused meanwhile, says from when). Well above a full run's seconds. A run n8n died
# in is closed sooner, by the error workflow, when n8n starts again (CRASHED); this is for what that misses
# (n8n's event log lost; in queue mode, a worker that died while its main process restarted).
STALE_AFTER_MINUTES = 10
# PromptContent writers set updatedAt before the write lands, so a write can become visible after a newer
# one was read. The images mark stays this far behind the run's start, so such a write is read by the next
# run when it landed within this many seconds (clock skew between writers included).
CONTENT_LATE_WRITE_SECONDS = 60
# What the run log says of a run n8n died in (SIGKILL, a crash, out of memory). When n8n starts again, its
# crash recovery fails the execution it finds unfinished with a WorkflowCrashedError ("possible out-of-memory
# issue", its guess) and runs the error workflow, which closes the run with this after the step's name.
CRASHED = ("n8n stopped while this step ran (killed, crashed or out of memory) and closed the run when it "
           "started again")

CENTRAL = {"postgres": {"id": "psPostgresCentral", "name": "PromptSales PostgreSQL"}}
STANDIN = {
    "ads": {"postgres": {"id": "psPostgresAdsStandin", "name": "PromptAds stand-in (PostgreSQL)"}},
    "crm": {"postgres": {"id": "psPostgresCrmStandin", "name": "PromptCrm stand-in (PostgreSQL)"}},
}
SQLSERVER = {
    "ads": {"microsoftSql": {"id": "psMssqlPromptAds", "name": "PromptAds SQL Server"}},
    "crm": {"microsoftSql": {"id": "psMssqlPromptCrm", "name": "PromptCrm SQL Server"}},
}
START = "Open the run log entry and read the watermarks"
ROUTE = "Sources on SQL Server or the stand-in (or no run opened)?"
WEBHOOK = "Run the ETL now (webhook)"
# The webhook body the workflow accepts: nothing, or only "full" as a boolean.
VALID_BODY = ("(b => b === undefined || b === null || (typeof b === 'object' && !Array.isArray(b) && "
              "Object.keys(b).every(k => k === 'full') && (b.full === undefined || typeof b.full === 'boolean')))"
              "($json.body)")
DAILY = "Every day at 03:00 UTC (full re-read)"
CLOSE = "Advance the watermarks and close the run"
# What the run-opening node returned: the run id, the stored watermarks and the settings.
OPENED = f"$('{START}').first().json"
RUN_ID = f"{OPENED}.run_id"


def query(name: str) -> str:
    """The SQL of sql/NAME.sql without its leading comment lines (they document the file, not the node)."""
    lines = (SQL_DIR / f"{name}.sql").read_text().splitlines()
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip()


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"promptsales/etl/{name}"))


class Canvas:
    def __init__(self) -> None:
        self.nodes: list[dict] = []
        self.connections: dict[str, dict] = {}

    def add(self, name: str, kind: str, version: float, position: tuple[int, int], parameters: dict,
            credentials: dict | None = None, **extra) -> str:
        node = {"id": _id(name), "name": name, "type": kind, "typeVersion": version,
                "position": list(position), "parameters": parameters}
        if credentials:
            node["credentials"] = credentials
        node.update(extra)
        self.nodes.append(node)
        return name

    def link(self, source: str, target: str, output: int = 0) -> None:
        outputs = self.connections.setdefault(source, {"main": []})["main"]
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": "main", "index": 0})


def _params(*expressions: str, bind: dict[str, str] | None = None) -> str:
    """Query parameters as one expression giving an array, which both database nodes bind as it is.
    Not `{{ a }},{{ b }}`: the Microsoft SQL node splits such text at every comma (cutting a list of ids
    apart), and the Postgres node evaluates it twice and parses each JSON value once more to check it.

    bind: names for the node outputs the parameters read, each looked up once, as the arguments of an arrow
    function, so a parameter reads `m.ads` rather than repeating `$('...').first().json.ads`. Shorter to
    read in the editor, and cheaper: n8n 2.x evaluates expressions in an isolate, and each lookup calls back
    into n8n (a test node with 25 such lookups took ~4.9 ms, ~2.0 ms with one bound value; in the ETL run
    as a whole the gain is within the run-to-run noise)."""
    if not expressions:
        return ""
    array = "[" + ", ".join(expressions) + "]"
    if bind:
        array = f"(({', '.join(bind)}) => {array})({', '.join(bind.values())})"
    return "={{ " + array + " }}"


def _central(canvas: Canvas, name: str, sql_name: str, params: str, position: tuple[int, int],
             **extra) -> str:
    return canvas.add(name, "n8n-nodes-base.postgres", 2.6, position, {
        "operation": "executeQuery", "query": query(sql_name),
        "options": {"queryReplacement": params},
    }, CENTRAL, executeOnce=True, **extra)


BRANCHES = {"sqlserver": " from SQL Server", "standin": " from the stand-in"}
# The source reads, in the order each branch runs them: (database, label, SQL file).
SOURCE_READS = [
    ("ads", "Read the PromptAds high-water marks", "ads_high_water_marks"),
    ("ads", "Read the changed PromptAds campaigns", "ads_changed_campaigns"),
    ("ads", "Read the changed PromptAds cells (change log)", "ads_result_changes"),
    ("ads", "Read the renamed PromptAds channels and markets", "ads_renamed_names"),
    ("ads", "Read impossible PromptAds rows", "ads_rejects"),
    ("crm", "Read the PromptCrm high-water marks", "crm_high_water_marks"),
    ("crm", "Read the changed PromptCrm counts (change log)", "crm_campaign_changes"),
    ("crm", "Read impossible PromptCrm rows", "crm_rejects"),
]
# The rowversion entities each source's watermarks follow, in the order the SQL takes their marks.
ADS_ENTITIES = ("campaigns", "ads", "adresults", "brands", "campaignchannels", "campaignmarkets", "channels",
                "markets")
CRM_ENTITIES = ("leads", "sales", "clientcampaigns")
# Each source's change log (signed measures kept by triggers), followed by its own watermark.
CHANGE_LOGS = {"ads": "resultchanges", "crm": "campaignchanges"}
# A read in full subtracts the log entries after the high mark from the live rows, which is exact only
# when both are read at one point in time: PostgreSQL gives every statement one snapshot; SQL Server's
# locking READ COMMITTED does not, so the Microsoft SQL copy of these reads runs under SNAPSHOT isolation
# (ALLOW_SNAPSHOT_ISOLATION is ON on both databases, k8s/base/files/mssql-create-databases.py).
SNAPSHOT_PREFIX = "SET TRANSACTION ISOLATION LEVEL SNAPSHOT;\n"
SNAPSHOT_READS = {"ads_result_changes", "crm_campaign_changes"}
ADS_MARKS, ADS_CAMPAIGNS, ADS_CELLS, ADS_NAMES, ADS_REJECTS, CRM_MARKS, CRM_COUNTS, CRM_REJECTS = (
    label for _, label, _ in SOURCE_READS)
# Each source's high-water marks read, which the other reads and the prunes of that source take bounds from.
MARKS = {"ads": ADS_MARKS, "crm": CRM_MARKS}


# In the parameter expressions below, `w` is bound to what the run-opening node returned (OPENED) and `m`
# to what the source's high-water marks read returned (see _params).
def _lows_then_highs(db: str, entities: tuple[str, ...]) -> list[str]:
    """The low marks (the stored watermark, or 0 for an entity whose high mark fell below it: a rebuilt
    source restarts its rowversions, so it is read again in full), then the high marks just read."""
    return [_low(db, entity) for entity in entities] + [f"m.{entity}" for entity in entities]


def _low(db: str, entity: str, marks: str = "m") -> str:
    return f"(Number({marks}.{entity}) < Number(w.{db}_{entity}) ? 0 : w.{db}_{entity})"


def _from_zero(db: str, entity: str, marks: str = "m") -> str:
    """Whether an entity is read from 0, so in full: on a full re-read and on the first run (the stored
    mark is 0), and when its high mark fell below the stored mark (a rebuilt source)."""
    return f"Number({_low(db, entity, marks)}) === 0"


def _in_full(db: str, marks: str = "m") -> str:
    """Whether a source's measures are read in full rather than from its change log."""
    return _from_zero(db, CHANGE_LOGS[db], marks)


def _log_params(db: str) -> list[str]:
    """$1 = 1 to read in full, $2 = the stored change-log mark, $3 = the log's high mark just read."""
    return [f"{_in_full(db)} ? 1 : 0", f"w.{db}_{CHANGE_LOGS[db]}", f"m.{CHANGE_LOGS[db]}"]


def _read_params(db: str, label: str, suffix: str) -> str:
    """The parameters of one source read in one branch (each branch names its own earlier nodes)."""
    params = {ADS_CAMPAIGNS: _lows_then_highs("ads", ADS_ENTITIES), ADS_CELLS: _log_params("ads"),
              ADS_NAMES: _lows_then_highs("ads", ADS_ENTITIES), ADS_REJECTS: _lows_then_highs("ads", ADS_ENTITIES),
              CRM_COUNTS: _log_params("crm"), CRM_REJECTS: _lows_then_highs("crm", CRM_ENTITIES)}.get(label)
    if params is None:  # the high-water marks reads take none
        return _params()
    return _params(*params, bind={"w": OPENED, "m": f"$('{MARKS[db]}{suffix}').first().json"})


def _from_branch(label: str, expression: str) -> str:
    """`expression` on what the node of that label returned, in whichever branch ran."""
    sql_server, standin = (f"$('{label}{suffix}')" for suffix in BRANCHES.values())
    return f"({standin}.isExecuted ? {standin} : {sql_server}).{expression}"


def _rows_json(label: str) -> str:
    # One parameter holding every row the read returned; the empty item n8n emits when a query returns
    # nothing (alwaysOutputData) has no key and is dropped by the SQL.
    return f"JSON.stringify({_from_branch(label, 'all().map(item => item.json)')})"


# The operator of a condition that holds when its expression is true (compared with True).
IS_TRUE = {"type": "boolean", "operation": "true", "singleValue": True}


def _condition(name: str, left: str, right, operator: dict) -> dict:
    """One condition as If and Switch nodes take it: `left` (an expression) compared with `right`."""
    return {"options": {"caseSensitive": True, "leftValue": "", "typeValidation": "loose", "version": 2},
            "conditions": [{"id": _id(f"cond {name}"), "leftValue": f"={{{{ {left} }}}}", "rightValue": right,
                            "operator": operator}],
            "combinator": "and"}


def _if(c: Canvas, name: str, left: str, right, operator: dict, position: tuple[int, int]) -> str:
    """An If node: output 0 when `left` (an expression) compares true with `right`, output 1 otherwise."""
    return c.add(name, "n8n-nodes-base.if", 2.2, position, {
        "conditions": _condition(name, left, right, operator), "options": {}})


# (database, label, SQL file, the high mark it prunes up to)
PRUNES = [("ads", "Prune the PromptAds change log up to the watermark", "ads_prune_change_log", "resultchanges"),
          ("ads", "Prune the PromptAds campaign tombstones up to the watermark", "ads_prune_deleted_campaigns",
           "campaigns"),
          ("crm", "Prune the PromptCrm change log up to the watermark", "crm_prune_change_log", "campaignchanges")]


def _prune_after_full_reread(c: Canvas, close: str, then: str, x: int) -> None:
    """After a closed full re-read (the daily one, or `etl run --full`), each source's change log (and
    PromptAds' campaign tombstones) loses the entries at or below the watermark it just reached, so the logs
    hold about a day of changes. Only then: a delete costs every run a node, and a day of entries is small.
    Both branches go on to `then`."""
    full = _if(c, "Was it a full re-read?", f"{OPENED}.full_reread", True, IS_TRUE, (x, 300))
    c.link(close, full)
    where = _if(c, "Prune on SQL Server?", f"{OPENED}.sources", "sqlserver",
                {"type": "string", "operation": "equals"}, (x + 240, 140))
    c.link(full, where, 0)
    c.link(full, then, 1)
    for output, (branch, suffix) in enumerate(BRANCHES.items()):
        last, y = where, 20 if branch == "sqlserver" else 200
        for position, (db, label, sql_name, mark) in enumerate(PRUNES):
            node = _source_node(c, f"{label}{suffix}", branch, db, query(sql_name),
                                _params(f"$('{MARKS[db]}{suffix}').first().json.{mark}"),
                                (x + 480 + 220 * position, y))
            c.link(last, node, output if last == where else 0)
            last = node
        c.link(last, then)


def _source_node(c: Canvas, name: str, branch: str, db: str, text: str, params: str,
                 position: tuple[int, int]) -> str:
    """A query on a source database: a Microsoft SQL node (production) or a Postgres node (stand-in)."""
    if branch == "sqlserver":
        kind, version, credentials = "n8n-nodes-base.microsoftSql", 1.2, SQLSERVER[db]
    else:
        kind, version, credentials = "n8n-nodes-base.postgres", 2.6, STANDIN[db]
    return c.add(name, kind, version, position, {
        "operation": "executeQuery", "query": text, "options": {"queryReplacement": params},
    }, credentials, alwaysOutputData=True, executeOnce=True)


def _source_branches(c: Canvas, previous: str, x: int) -> tuple[list[str], int]:
    """One Switch on etl.config.sources, then every source read as a chain of Microsoft SQL nodes
    (production) or of Postgres nodes (stand-in), the same SQL text in both. One chain of reads and one
    staging step, rather than a staging step per read, because each n8n node costs a few milliseconds
    of every run, changes or not. When the open step opened no run (another is in flight, or the schedule
    is switched off) the Switch's third output answers the caller 409 instead; in a scheduled run that
    answer does nothing."""
    check = c.add(ROUTE, "n8n-nodes-base.switch", 3.2, (x, 300), {
        "rules": {"values": [
            {"outputKey": "SQL Server", "renameOutput": True, "conditions": _condition(
                "sqlserver", "$json.sources", "sqlserver", {"type": "string", "operation": "equals"})},
            {"outputKey": "stand-in", "renameOutput": True, "conditions": _condition(
                "standin", "$json.run_id !== undefined", True, IS_TRUE)}]},
        "options": {"fallbackOutput": "extra", "renameFallbackOutput": "no run opened"}})
    c.link(previous, check)
    busy = c.add("Say another run is in flight", "n8n-nodes-base.respondToWebhook", 1.4, (x + 240, 700), {
        "respondWith": "json", "responseBody": (
            "={{ { error: 'busy', message: 'another ETL run is in progress; nothing was started. Try again when "
            "it has closed (etl.run_log); a run n8n died in is closed as failed when n8n starts again, or by "
            "the first run " + str(STALE_AFTER_MINUTES) + " minutes after its start.' } }}"),
        "options": {"responseCode": 409}})
    c.link(check, busy, len(BRANCHES))
    ends, end_x = [], x
    for output, (branch, suffix) in enumerate(BRANCHES.items()):
        last, bx, y = check, x + 240, 120 if branch == "sqlserver" else 480
        for db, label, sql_name in SOURCE_READS:
            text = query(sql_name)
            if branch == "sqlserver" and sql_name in SNAPSHOT_READS:
                text = SNAPSHOT_PREFIX + text
            node = _source_node(c, f"{label}{suffix}", branch, db, text, _read_params(db, label, suffix), (bx, y))
            c.link(last, node, output if last == check else 0)
            last, bx = node, bx + 220
        ends.append(last)
        end_x = bx
    return ends, end_x


def build() -> dict:
    c = Canvas()
    c.add("Every 11 minutes", "n8n-nodes-base.scheduleTrigger", 1.2, (0, 200), {
        "rule": {"interval": [{"field": "minutes", "minutesInterval": SCHEDULE_MINUTES}]}})
    c.add(WEBHOOK, "n8n-nodes-base.webhook", 2, (0, 420), {
        "httpMethod": "POST", "path": WEBHOOK_PATH, "authentication": "headerAuth",
        "responseMode": "responseNode", "options": {}},
        {"httpHeaderAuth": {"id": "psWebhookHeaderAuth", "name": "PromptSales webhook secret"}},
        webhookId=_id("webhook"))
    # The body is {} or {"full": true|false}; anything else (a misspelt key, "full": "yes") is refused
    # rather than run as a delta the caller did not ask for.
    valid = _if(c, "Is the request valid?", VALID_BODY, True, IS_TRUE, (120, 520))
    c.link(WEBHOOK, valid)
    refuse = c.add("Refuse the request", "n8n-nodes-base.respondToWebhook", 1.4, (240, 640), {
        "respondWith": "json", "responseBody": (
            "={{ { error: 'bad_request', message: 'the body must be {} or {\"full\": true} (a full re-read) "
            "or {\"full\": false}; nothing was run. Got: ' + JSON.stringify($json.body).slice(0, 200) } }}"),
        "options": {"responseCode": 400}})
    c.link(valid, refuse, 1)
    # Deleted source rows leave no rowversion behind; a daily full re-read (every watermark read as 0)
    # re-sums every campaign from the rows that are still there. `promptsales etl run --full` asks for one.
    c.add(DAILY, "n8n-nodes-base.scheduleTrigger", 1.2, (0, 640), {
        "rule": {"interval": [{"field": "days", "daysInterval": 1, "triggerAtHour": 3, "triggerAtMinute": 0}]}})
    start = _central(c, START, "central_open_run", _params(
        "$json.headers ? 'manual' : 'schedule'",
        f"$('{DAILY}').isExecuted || ($json.body !== undefined && $json.body.full === true)",
        str(STALE_AFTER_MINUTES), "$execution.id"), (240, 300), alwaysOutputData=True)
    c.link("Every 11 minutes", start)
    c.link(valid, start, 0)
    c.link(DAILY, start)

    ends, x = _source_branches(c, start, 480)
    mongo = c.add("Read the changed PromptContent images", "n8n-nodes-base.mongoDb", 1.5, (x, 300), {
        "operation": "aggregate", "collection": "images",
        "query": json.dumps([
            {"$match": {"$expr": {"$gt": [{"$toLong": "$updatedAt"}, "$1"]}}},
            {"$project": {"_id": 0, "code": 1, "description": 1, "hashtags": 1,
                          "updatedat": {"$toLong": "$updatedAt"}}}]),
        "queryParameters": f"={{{{ [Number({OPENED}.content_images)] }}}}",
    }, {"mongoDb": {"id": "psMongoContent", "name": "PromptContent MongoDB"}},
        alwaysOutputData=True, executeOnce=True)
    for end in ends:
        c.link(end, mongo)
    # `am` and `cm`: what the PromptAds and PromptCrm high-water marks reads returned, in the branch that ran.
    previous = _central(c, "Stage what this run read", "central_stage_run", _params(
        "w.run_id",
        *(f"am.{e}" for e in ADS_ENTITIES),
        *(f"cm.{e}" for e in CRM_ENTITIES),
        *(_rows_json(label) for label in (ADS_CAMPAIGNS, ADS_CELLS, ADS_REJECTS, CRM_COUNTS, CRM_REJECTS)),
        "JSON.stringify($('Read the changed PromptContent images').all().map(item => item.json))",
        f"am.{CHANGE_LOGS['ads']}", f"cm.{CHANGE_LOGS['crm']}",
        _in_full("ads", "am"), _in_full("crm", "cm"),
        "am.heldback == 1", "cm.heldback == 1",
        _rows_json(ADS_NAMES),
        str(CONTENT_LATE_WRITE_SECONDS),
        _from_zero("ads", "campaigns", "am"),
        bind={"w": OPENED, "am": _from_branch(ADS_MARKS, "first().json"),
              "cm": _from_branch(CRM_MARKS, "first().json")}),
        (x + 240, 300))
    c.link(mongo, previous)
    x += 480
    for label, sql_name in [
        ("Add the changes to the kept facts", "central_apply_changes"),
        ("Re-derive the touched campaign summaries", "central_upsert_campaign_summary"),
        ("Re-derive their channel, market and month breakdowns", "central_upsert_breakdowns"),
        (CLOSE, "central_close_run"),
    ]:
        node = _central(c, label, sql_name, _params(RUN_ID), (x, 300))
        c.link(previous, node)
        x, previous = x + 240, node

    changed = _if(c, "Did any summary change?", f"Number($('{CLOSE}').first().json.summary_rows_changed)", 0,
                  {"type": "number", "operation": "gt"}, (x + 720, 300))
    _prune_after_full_reread(c, previous, changed, x)
    x += 720
    bump = c.add("Bump the sales data version in Redis", "n8n-nodes-base.redis", 1, (x + 240, 200), {
        "operation": "incr", "key": f"={{{{ {OPENED}.redis_key_prefix }}}}:dataver:sales",
        "expire": False},
        {"redis": {"id": "psRedis", "name": "PromptSales Redis"}})
    report = c.add("Report the run", "n8n-nodes-base.set", 3.4, (x + 480, 300), {
        "mode": "raw", "jsonOutput": f"={{{{ JSON.stringify($('{CLOSE}').first().json) }}}}",
        "options": {}}, executeOnce=True)
    c.link(changed, bump, 0)
    c.link(changed, report, 1)
    c.link(bump, report)
    # Only a webhook-started run has a caller to answer; in a scheduled run this node does nothing.
    answer = c.add("Answer the caller", "n8n-nodes-base.respondToWebhook", 1.4, (x + 720, 300), {
        "respondWith": "json", "responseBody": "={{ $json }}", "options": {}})
    c.link(report, answer)

    c.add("About this workflow", "n8n-nodes-base.stickyNote", 1, (0, -160), {
        "width": 620, "height": 360, "content": (
            "## PromptSales delta ETL (every 11 minutes)\n"
            "Measures come from each source's **change log** (ads.ResultChanges, crm.CampaignChanges: signed "
            "sums the source's triggers write on every insert, update and delete), read above the watermark "
            "and up to the high-water mark read at the start, and are added to the facts PromptSales keeps "
            "(PromptAds per campaign, channel, market and day; PromptCrm per campaign and day; each with a "
            "monthly roll-up): only the cells a change touches are written. Campaign attributes come from rows "
            "whose **RowVer** moved, images from **updatedAt**. Only the touched campaigns' summaries are "
            "re-derived, and unchanged rows are not written. The change-log "
            "marks move in the same transaction that adds the changes; the others only in the last step, so "
            "a failed run is simply read again.\n\n"
            "Once a day (03:00 UTC) the run reads every source in full and keeps the difference, which also "
            "repairs anything the logs could not see (a TRUNCATE, a trigger switched off); after it, each change "
            "log is pruned up to its watermark.\n\n"
            "Each source read is one SQL text in two nodes: **Microsoft SQL** (production) and **Postgres** "
            "(local stand-in), chosen by `etl.config.sources` (from the PROMPTSALES_SOURCES setting). "
            "Generated from `mcp-python/promptsales/etl/sql/` by `python -m promptsales.etl.workflow`.")})
    c.add("Rejects", "n8n-nodes-base.stickyNote", 1, (1180, -160), {
        "width": 420, "height": 200, "content": (
            "## Impossible rows\nNegative revenue or counts, null dates, unknown campaign ids: left out of "
            "the sums, written to `etl.rejects` with the reason and counted in `etl.run_log.rows_rejected`; "
            "the run goes on.")})
    return {
        "id": WORKFLOW_ID, "name": "PromptSales ETL every 11 minutes (deltas only)", "active": False,
        "nodes": c.nodes, "connections": c.connections,
        # A successful run is fully described by etl.run_log; storing every node's rows in n8n's own
        # database on each run only costs time. Failed runs keep their data for debugging.
        "settings": {"executionOrder": "v1", "saveDataSuccessExecution": "none", "saveDataErrorExecution": "all",
                     "saveExecutionProgress": False, "saveManualExecutions": False, "timezone": "UTC",
                     "errorWorkflow": ON_ERROR_ID},
        "pinData": {},
    }


def build_on_error() -> dict:
    """The ETL's error workflow: n8n runs it when a step failed (scheduled and webhook runs alike), and when
    it starts again after dying mid-run (its crash recovery); it closes that execution's run as failed with
    the step's name and its error, so etl.run_log says why and the next run need not wait for the run to go
    stale."""
    c = Canvas()
    trigger = c.add("When an ETL step fails", "n8n-nodes-base.errorTrigger", 1, (0, 300), {})
    record = _central(c, "Record why the run failed", "central_fail_run", _params(
        "e.id", "(e.lastNodeExecuted || 'the workflow') + ': ' + (e.error && e.error.name === 'WorkflowCrashedError'"
        f" ? '{CRASHED}' : (e.error && e.error.message) || 'failed')",
        bind={"e": "$json.execution"}), (240, 300))
    c.link(trigger, record)
    return {
        "id": ON_ERROR_ID, "name": "PromptSales ETL: record why a run failed", "active": False,
        "nodes": c.nodes, "connections": c.connections,
        "settings": {"executionOrder": "v1", "saveManualExecutions": False, "timezone": "UTC"},
        "pinData": {},
    }


def _render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render() -> str:
    return _render(build())


def render_on_error() -> str:
    return _render(build_on_error())


if __name__ == "__main__":
    WORKFLOW_PATH.parent.mkdir(parents=True, exist_ok=True)
    for path, text in ((WORKFLOW_PATH, render()), (ON_ERROR_PATH, render_on_error())):
        path.write_text(text)
        print(f"wrote {path}")
