"""The 11-minute cadence, proven with the pinned n8n's own Schedule Trigger code and a fake clock.

What is proven: the rule in our workflow, fed through n8n-nodes-base's toCronExpression /
intervalToRecurrence / recurrenceCheck (the functions ScheduleTrigger.trigger() registers), fires
exactly every 11 minutes for 6 hours, across hour boundaries. What is not: waiting 11 real minutes
for the running n8n to fire (the test checks instead that the imported workflow is published).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
from pathlib import Path

import pytest
from promptsales.etl.workflow import DAILY, WORKFLOW_PATH
from promptsales.localstack.n8n import N8nService
from promptsales.settings import get_settings

PROBE = Path(__file__).with_name("schedule_probe.js")


def _schedule_node(name: str = "Every 11 minutes") -> tuple[dict, str]:
    """The trigger node as committed (its parameters in the editor's form: what differs from the defaults;
    the probe resolves them as n8n does before it runs the workflow)."""
    workflow = json.loads(WORKFLOW_PATH.read_text())
    [node] = [
        n for n in workflow["nodes"] if n["type"] == "n8n-nodes-base.scheduleTrigger" and n["name"] == name
    ]
    assert len(node["parameters"]["rule"]["interval"]) == 1
    return node, f"{workflow['id']}:{node['id']}"


def _fires(rule: dict, node_key: str, hours: int = 6) -> dict:
    service = N8nService(get_settings())
    base = service.install_dir() / "node_modules" / "n8n-nodes-base"
    node = service._node_bin() / "node"
    out = subprocess.run(
        [str(node), str(PROBE), str(base), json.dumps(rule), "2026-01-01T00:00:00Z", str(hours), node_key],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def _gaps(fires: list[str]) -> set[int]:
    times = [dt.datetime.fromisoformat(f) for f in fires]
    return {int((b - a).total_seconds()) for a, b in itertools.pairwise(times)}


def test_workflow_schedule_fires_every_11_minutes_in_n8n_2_41_1():
    node, node_key = _schedule_node()
    result = _fires(node, node_key)
    assert result["rule"]["field"] == "minutes" and result["rule"]["minutesInterval"] == 11
    assert "*/11" not in result["expression"]
    assert result["ticks"] == 6 * 60  # n8n ticks once a minute and lets recurrenceCheck decide
    assert len(result["fires"]) == 6 * 60 // 11 + 1
    assert _gaps(result["fires"]) == {11 * 60}


def test_the_full_re_read_fires_once_a_day_at_3_utc():
    """The second Schedule Trigger (every watermark read as 0, so deleted source rows leave the sums)."""
    node, node_key = _schedule_node(DAILY)
    result = _fires(node, node_key, hours=72)
    assert [f[11:16] for f in result["fires"]] == ["03:00"] * 3
    assert _gaps(result["fires"]) == {24 * 3600}


def test_the_probe_would_catch_the_old_cron_behaviour():
    """A raw `*/11` cron (what 'every 11 minutes' compiled to before) fires at :55 then :00."""
    result = _fires({"field": "cronExpression", "expression": "0 */11 * * * *"}, "probe:cron")
    assert _gaps(result["fires"]) == {11 * 60, 5 * 60}


@pytest.mark.stack
def test_imported_workflow_is_published(etl_world):
    import sqlite3

    from promptsales.settings import STATE_DIR

    db = sqlite3.connect(STATE_DIR / "n8n" / ".n8n" / "database.sqlite")
    try:
        active = db.execute(
            "SELECT active FROM workflow_entity WHERE id = 'psEtlPromptSales11min'"
        ).fetchone()
    finally:
        db.close()
    assert active == (1,)
