"""Running the n8n ETL workflow once now (`promptsales etl run`) and reading its run log."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import psycopg
from psycopg.rows import dict_row

from promptsales.errors import Unavailable
from promptsales.etl.workflow import STALE_AFTER_MINUTES, WEBHOOK_PATH
from promptsales.n8n_client import SECRET_HEADER, N8nClient, N8nWebhookError

RUN_COLUMNS = (
    "run_id, trigger, sources, full_reread, read_in_full, held_back, started_at, ended_at, status, "
    "rows_read, rows_changed, rows_rejected, error, n8n_execution_id"
)


# etl.run_log.error keeps this much of a message (central_fail_run.sql cuts the same).
ERROR_CHARS = 2000
# How long `promptsales etl run` waits for the error workflow to record why a run failed.
REASON_WAIT_S = 10.0
# Where a failed run's n8n execution is kept (the ETL saves failed executions, not successful ones).
WHERE_IN_N8N = (
    ": the n8n editor keeps it under the ETL workflow's Executions, with each step's input and output"
)
# What the person running `promptsales etl run` can do about the failures with a usual cause (by n8n's
# HTTP status; None: n8n could not be reached).
WHAT_TO_DO = {
    None: ". Is the stack up? See `promptsales stack status`",
    403: f". n8n refused the {SECRET_HEADER} header: N8N_WEBHOOK_SECRET is not the secret n8n was started and "
    "imported with; restart n8n (`promptsales stack down`, `promptsales stack up`) and run `promptsales n8n "
    "import` again with the current value",
    404: ". The ETL workflow is not imported or not published: run `promptsales n8n import`",
}


def run_once(n8n: N8nClient, central: psycopg.Connection, full: bool = False) -> dict[str, Any]:
    """Trigger the workflow through its webhook, wait for it, and return the run log entry it closed.

    full: read every source row again (every watermark read as 0), as the daily run does, and keep the
    difference from what was loaded; only summaries whose values differ are written.

    When n8n reports a failure, the run it opened is closed as failed (its watermarks were not advanced
    past what it loaded, so the next run reads the rest again) and Unavailable says why: the failing step
    and its error, which the ETL's error workflow writes into the run log.
    """
    requested_at = central.execute("SELECT clock_timestamp()").fetchone()[0]
    try:
        answer = n8n.post(WEBHOOK_PATH, {"full": True} if full else {})
    except N8nWebhookError as exc:
        _refuse_if_busy(central, requested_at)
        mark_running_failed(central, str(exc), requested_at)
        # Only a workflow that answered its failure has an error workflow about to record why.
        failed = _failures_since(central, requested_at, str(exc), REASON_WAIT_S if exc.status == 500 else 0)
        if not failed:
            raise Unavailable(
                f"the ETL run failed ({exc}); no run was opened, so nothing changed"
                f"{WHAT_TO_DO.get(exc.status, '')}"
            ) from exc
        reasons = "; ".join(
            f"run {run_id} failed{_in_execution(execution)}: {error}" for run_id, error, execution in failed
        )
        raise Unavailable(
            f"{reasons}. Its watermarks were not advanced past what it loaded, so the next run reads "
            "the rest again"
        ) from exc
    run_id = answer.get("run_id") if isinstance(answer, dict) else None
    if run_id is None:
        _refuse_if_busy(central, requested_at)
        raise Unavailable(f"the ETL workflow answered without a run id: {str(answer)[:200]}")
    entry = run_entry(central, int(run_id))
    if entry is None:
        raise Unavailable(f"run {run_id} is not in etl.run_log")
    return entry


def _refuse_if_busy(central: psycopg.Connection, requested_at) -> None:
    """The workflow opens no run while another is in flight; say so instead of a bare failure, with what
    closes the other run if n8n died while it ran (which leaves it 'running')."""
    busy = central.execute(
        "SELECT run_id, to_char(started_at AT TIME ZONE 'UTC', 'HH24:MI:SS'), "
        "to_char((started_at + make_interval(mins => %s)) AT TIME ZONE 'UTC', 'HH24:MI:SS') "
        "FROM etl.run_log WHERE status = 'running' AND started_at < %s ORDER BY run_id DESC LIMIT 1",
        (STALE_AFTER_MINUTES, requested_at),
    ).fetchone()
    if busy:
        run_id, started, given_up = busy
        raise Unavailable(
            f"another ETL run is in progress (run {run_id}, started {started} UTC); nothing was "
            f"started. If n8n died while it ran, n8n closes it as failed when it starts again; "
            f"failing that, a run started after {given_up} UTC ({STALE_AFTER_MINUTES} minutes after "
            "its start) closes it and goes ahead; try again then"
        )


def _failures_since(
    central: psycopg.Connection, requested_at, generic: str, wait_s: float
) -> list[tuple[int, str, str | None]]:
    """The manual runs opened since `requested_at` that failed, with their reasons. n8n answers the webhook
    before its error workflow has written the failing step and error, so wait a little for them; after
    `wait_s`, a run still shows n8n's bare message (n8n's execution list has the rest)."""
    deadline = time.monotonic() + wait_s
    while True:
        failed = central.execute(
            "SELECT run_id, error, n8n_execution_id FROM etl.run_log WHERE status = 'failed' AND trigger = 'manual' "
            "AND started_at >= %s ORDER BY run_id",
            (requested_at,),
        ).fetchall()
        if all(error != generic[:ERROR_CHARS] for _, error, _ in failed) or time.monotonic() > deadline:
            return failed
        time.sleep(0.1)


def mark_running_failed(central: psycopg.Connection, error: str, requested_at) -> None:
    """Mark the manual run(s) opened since `requested_at` failed; a scheduled run in flight is left alone."""
    with central.transaction():
        central.execute(
            "UPDATE etl.run_log SET status = 'failed', ended_at = clock_timestamp(), error = %s "
            "WHERE status = 'running' AND trigger = 'manual' AND started_at >= %s",
            (error[:ERROR_CHARS], requested_at),
        )


def run_entry(central: psycopg.Connection, run_id: int) -> dict[str, Any] | None:
    with central.cursor(row_factory=dict_row) as cur:
        return cur.execute(f"SELECT {RUN_COLUMNS} FROM etl.run_log WHERE run_id = %s", (run_id,)).fetchone()


def recent_runs(central: psycopg.Connection, limit: int = 5) -> list[dict[str, Any]]:
    with central.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT {RUN_COLUMNS} FROM etl.run_log ORDER BY run_id DESC LIMIT %s", (limit,)
        ).fetchall()


# What started a run, by (trigger, full re-read): the Schedule Trigger every 11 minutes, the daily one (the
# only scheduled full re-read), the webhook (`promptsales etl run [--full]`, or any caller with the secret).
TRIGGERS = {
    ("schedule", False): "schedule, every 11 minutes",
    ("schedule", True): "schedule, daily full re-read",
    ("manual", False): "manual",
    ("manual", True): "manual, full re-read",
}


def format_run(entry: dict[str, Any]) -> str:
    seconds = (entry["ended_at"] - entry["started_at"]).total_seconds() if entry["ended_at"] else None
    took = f"{seconds:.2f} s" if seconds is not None else "not ended"
    kind = TRIGGERS.get((entry["trigger"], bool(entry.get("full_reread"))), entry["trigger"])
    if entry.get("read_in_full") and not entry.get("full_reread"):
        kind += f", read in full: {' '.join(entry['read_in_full'])}"
    started = entry["started_at"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    lines = [
        (
            f"run {entry['run_id']} started {started} UTC ({kind}; sources={entry['sources']}): {entry['status']}, "
            f"{took}"
        )
    ]
    read = ", ".join(f"{k}={v}" for k, v in sorted(entry["rows_read"].items())) or "nothing"
    changed = ", ".join(f"{k}={v}" for k, v in sorted(entry["rows_changed"].items())) or "nothing"
    lines.append(f"  read:     {read}")
    lines.append(f"  changed:  {changed}")
    lines.append(f"  rejected: {entry['rows_rejected']}")
    if entry.get("held_back"):
        lines.append(
            f"  waiting:  {' '.join(entry['held_back'])}: a transaction still open there holds back the "
            f"changes committed after it; a later run reads them once it ends"
        )
    if entry.get("error"):
        lines.append(f"  error:    {entry['error']}")
        if entry.get("n8n_execution_id"):
            lines.append(f"  n8n:      execution {entry['n8n_execution_id']}{WHERE_IN_N8N}")
    return "\n".join(lines)


def _in_execution(execution: str | None) -> str:
    return f" (n8n execution {execution})" if execution else ""
