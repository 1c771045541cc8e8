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
WEBHOOK_PATH = "promptsales-etl-run"
SCHEDULE_MINUTES = 11

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
RUN_ID = f"$('{START}').first().json.run_id"


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


def _params(*expressions: str) -> str:
    # One {{ }} per value: n8n's Postgres node (2.5+) binds each as one parameter, a JSON text included.
    return "=" + ",".join("{{ " + e + " }}" for e in expressions) if expressions else ""


def _central(canvas: Canvas, name: str, sql_name: str, params: str, position: tuple[int, int],
             **extra) -> str:
    return canvas.add(name, "n8n-nodes-base.postgres", 2.6, position, {
        "operation": "executeQuery", "query": query(sql_name),
        "options": {"queryReplacement": params},
    }, CENTRAL, executeOnce=True, **extra)


def _rows_json() -> str:
    # One parameter holding every row the source node returned; the empty item n8n emits when a
    # query returns nothing (alwaysOutputData) has no key and is dropped by the SQL.
    return "JSON.stringify($input.all().map(item => item.json))"


def _source_step(canvas: Canvas, db: str, label: str, sql_name: str, params: str, x: int,
                 previous: str) -> tuple[str, str]:
    """An If on etl.config.sources, then the same SQL in a Microsoft SQL node or a Postgres node."""
    check = canvas.add(f"Is {label} on SQL Server?", "n8n-nodes-base.if", 2.2, (x, 300), {
        "conditions": {
            "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
            "conditions": [{"id": _id(f"cond {label}"), "leftValue": f"={{{{ $('{START}').first().json.sources }}}}",
                            "rightValue": "sqlserver", "operator": {"type": "string", "operation": "equals"}}],
            "combinator": "and"},
        "options": {}})
    canvas.link(previous, check)
    text = query(sql_name)
    mssql = canvas.add(f"{label} from SQL Server", "n8n-nodes-base.microsoftSql", 1.2, (x + 220, 180), {
        "operation": "executeQuery", "query": text, "options": {"queryReplacement": params},
    }, SQLSERVER[db], alwaysOutputData=True)
    standin = canvas.add(f"{label} from the stand-in", "n8n-nodes-base.postgres", 2.6, (x + 220, 420), {
        "operation": "executeQuery", "query": text, "options": {"queryReplacement": params},
    }, STANDIN[db], alwaysOutputData=True)
    canvas.link(check, mssql, 0)
    canvas.link(check, standin, 1)
    return mssql, standin


def build() -> dict:
    c = Canvas()
    c.add("Every 11 minutes", "n8n-nodes-base.scheduleTrigger", 1.2, (0, 200), {
        "rule": {"interval": [{"field": "minutes", "minutesInterval": SCHEDULE_MINUTES}]}})
    c.add("Run the ETL now (webhook)", "n8n-nodes-base.webhook", 2, (0, 420), {
        "httpMethod": "POST", "path": WEBHOOK_PATH, "authentication": "headerAuth",
        "responseMode": "lastNode", "options": {}},
        {"httpHeaderAuth": {"id": "psWebhookHeaderAuth", "name": "PromptSales webhook secret"}},
        webhookId=_id("webhook"))
    start = _central(c, START, "central_open_run",
                     "={{ [$json.headers ? 'manual' : 'schedule'] }}", (240, 300))
    c.link("Every 11 minutes", start)
    c.link("Run the ETL now (webhook)", start)

    w = f"$('{START}').first().json"
    x, previous = 480, start
    steps = [
        ("ads", "Read the PromptAds high-water marks", "ads_high_water_marks", _params(),
         "Remember the PromptAds high-water marks", "central_keep_ads_marks",
         _params(RUN_ID, "$json.campaigns", "$json.ads", "$json.adresults")),
    ]
    ads_marks = "$('Remember the PromptAds high-water marks').first().json"
    ads_params = _params(f"{ads_marks}.from_campaigns", f"{ads_marks}.from_ads", f"{ads_marks}.from_adresults",
                         f"{ads_marks}.campaigns", f"{ads_marks}.ads", f"{ads_marks}.adresults")
    crm_marks = "$('Remember the PromptCrm high-water marks').first().json"
    crm_params = _params(f"{crm_marks}.from_leads", f"{crm_marks}.from_sales", f"{crm_marks}.from_clientcampaigns",
                         f"{crm_marks}.leads", f"{crm_marks}.sales", f"{crm_marks}.clientcampaigns")
    steps += [
        ("ads", "Read the changed PromptAds campaigns", "ads_changed_campaigns", ads_params,
         "Stage the changed PromptAds campaigns", "central_stage_ads_campaigns", _params(RUN_ID, _rows_json())),
        ("ads", "Read the results of the changed PromptAds campaigns", "ads_changed_results", ads_params,
         "Stage the PromptAds results", "central_stage_ads_results", _params(RUN_ID, _rows_json())),
        ("ads", "Read impossible PromptAds rows", "ads_rejects", ads_params,
         "Reject the impossible PromptAds rows", "central_store_rejects",
         _params(RUN_ID, "'promptads'", _rows_json())),
        ("crm", "Read the PromptCrm high-water marks", "crm_high_water_marks", _params(),
         "Remember the PromptCrm high-water marks", "central_keep_crm_marks",
         _params(RUN_ID, "$json.leads", "$json.sales", "$json.clientcampaigns")),
        ("crm", "Read the totals of the changed PromptCrm campaigns", "crm_changed_campaigns", crm_params,
         "Stage the PromptCrm totals", "central_stage_crm_campaigns", _params(RUN_ID, _rows_json())),
        ("crm", "Read impossible PromptCrm rows", "crm_rejects", crm_params,
         "Reject the impossible PromptCrm rows", "central_store_rejects",
         _params(RUN_ID, "'promptcrm'", _rows_json())),
    ]
    for db, read_label, read_sql, read_params, stage_label, stage_sql, stage_params in steps:
        mssql, standin = _source_step(c, db, read_label, read_sql, read_params, x, previous)
        stage = _central(c, stage_label, stage_sql, stage_params, (x + 460, 300))
        c.link(mssql, stage)
        c.link(standin, stage)
        x, previous = x + 700, stage

    mongo = c.add("Read the changed PromptContent images", "n8n-nodes-base.mongoDb", 1.5, (x, 300), {
        "operation": "aggregate", "collection": "images",
        "query": json.dumps([
            {"$match": {"$expr": {"$gt": [{"$toLong": "$updatedAt"}, "$1"]}}},
            {"$project": {"_id": 0, "code": 1, "description": 1, "hashtags": 1,
                          "updatedat": {"$toLong": "$updatedAt"}}}]),
        "queryParameters": f"={{{{ [Number({w}.content_images)] }}}}",
    }, {"mongoDb": {"id": "psMongoContent", "name": "PromptContent MongoDB"}}, alwaysOutputData=True)
    c.link(previous, mongo)
    previous = _central(c, "Keep the changed PromptContent images", "central_stage_content_images",
                        _params(RUN_ID, _rows_json()), (x + 240, 300))
    c.link(mongo, previous)
    x += 480
    for label, sql_name in [
        ("Upsert the campaign summaries", "central_upsert_campaign_summary"),
        ("Upsert the per-channel breakdown", "central_upsert_channel_breakdown"),
        ("Upsert the per-market breakdown", "central_upsert_market_breakdown"),
        ("Upsert the per-month breakdown", "central_upsert_month_breakdown"),
        ("Write the PromptCrm totals into the summaries", "central_update_crm_totals"),
        ("Advance the watermarks and close the run", "central_close_run"),
    ]:
        node = _central(c, label, sql_name, _params(RUN_ID), (x, 300))
        c.link(previous, node)
        x, previous = x + 240, node

    changed = c.add("Did any summary change?", "n8n-nodes-base.if", 2.2, (x, 300), {
        "conditions": {
            "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "loose", "version": 2},
            "conditions": [{"id": _id("cond changed"), "leftValue": "={{ Number($json.summary_rows_changed) }}",
                            "rightValue": 0, "operator": {"type": "number", "operation": "gt"}}],
            "combinator": "and"},
        "options": {}})
    c.link(previous, changed)
    bump = c.add("Bump the sales data version in Redis", "n8n-nodes-base.redis", 1, (x + 240, 200), {
        "operation": "incr", "key": f"={{{{ {w}.redis_key_prefix }}}}:dataver:sales",
        "expire": False},
        {"redis": {"id": "psRedis", "name": "PromptSales Redis"}})
    report = c.add("Report the run", "n8n-nodes-base.set", 3.4, (x + 480, 300), {
        "mode": "raw", "jsonOutput": "={{ JSON.stringify($('Advance the watermarks and close the run').first().json) }}",
        "options": {}}, executeOnce=True)
    c.link(changed, bump, 0)
    c.link(changed, report, 1)
    c.link(bump, report)

    c.add("About this workflow", "n8n-nodes-base.stickyNote", 1, (0, -160), {
        "width": 620, "height": 300, "content": (
            "## PromptSales delta ETL (every 11 minutes)\n"
            "Reads only rows whose **RowVer** (PromptAds, PromptCrm) or **updatedAt** (PromptContent) is "
            "above the watermark and at most the high-water mark read at the start, re-sums the touched "
            "campaigns at the source, stages them in PromptSales and upserts the summaries (unchanged rows "
            "are not written). Watermarks move only in the last step, so a failed run is simply read again.\n\n"
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
                     "saveExecutionProgress": False, "saveManualExecutions": False, "timezone": "UTC"},
        "pinData": {},
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    WORKFLOW_PATH.parent.mkdir(parents=True, exist_ok=True)
    WORKFLOW_PATH.write_text(render())
    print(f"wrote {WORKFLOW_PATH}")
