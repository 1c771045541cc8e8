"""`promptsales etl log` says when each run started and what started it, so the 11-minute cadence shows."""

from __future__ import annotations

import datetime as dt

import pytest
from promptsales.etl import runner

LIMA = dt.timezone(dt.timedelta(hours=-5))  # a session time zone other than UTC must not shift the time shown


def _entry(trigger: str, full: bool, read_in_full: list[str] | None = None) -> dict:
    started = dt.datetime(2026, 12, 1, 22, 0, 0, tzinfo=LIMA)  # 03:00:00 UTC the next day
    return {
        "run_id": 7,
        "trigger": trigger,
        "full_reread": full,
        "read_in_full": read_in_full or [],
        "sources": "standin",
        "status": "succeeded",
        "started_at": started,
        "ended_at": started + dt.timedelta(milliseconds=640),
        "rows_read": {},
        "rows_changed": {},
        "rows_rejected": 0,
    }


@pytest.mark.parametrize(
    "trigger,full,read_in_full,first_line",
    [
        (
            "schedule",
            False,
            None,
            (
                "run 7 started 2026-12-02 03:00:00 UTC (schedule, every 11 minutes; sources=standin): "
                "succeeded, 0.64 s"
            ),
        ),
        (
            "schedule",
            True,
            ["promptads", "promptcrm"],
            "run 7 started 2026-12-02 03:00:00 UTC (schedule, daily full re-read; sources=standin): succeeded, 0.64 s",
        ),
        (
            "manual",
            False,
            ["promptads"],
            "run 7 started 2026-12-02 03:00:00 UTC (manual, read in full: promptads; sources=standin): succeeded, 0.64 s",
        ),
        (
            "manual",
            True,
            None,
            (
                "run 7 started 2026-12-02 03:00:00 UTC (manual, full re-read; sources=standin): "
                "succeeded, 0.64 s"
            ),
        ),
    ],
)
def test_each_run_says_when_it_started_and_what_started_it(trigger, full, read_in_full, first_line):
    assert runner.format_run(_entry(trigger, full, read_in_full)).splitlines()[0] == first_line
