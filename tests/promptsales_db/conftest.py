"""A fresh PromptSales central database with db-init applied and a few hand-made summaries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from promptsales import clients
from promptsales.dbinit import central
from promptsales.settings import PROJECT_ROOT, Settings
from promptsales_testkit import isolated_world

DEMOS = PROJECT_ROOT / "db-init" / "promptsales" / "demos"

SUMMARIES = [
    # campaign_id, name, brand, status, start, reach, likes, interactions, leads, converted leads, sales,
    # revenue, cost
    (1, "Spring launch", "Brand A", "finished", "2025-03-01", 10000, 300, 200, 50, 20, 40, 4000, 1000),
    (2, "Summer push", "Brand A", "active", "2025-06-01", 5000, 100, 50, 0, 0, 10, 500, 800),
    (3, "Holiday deals", "Brand B", "finished", "2024-12-01", 0, 0, 0, 10, 0, 0, 0, 0),
]


@pytest.fixture(scope="session")
def central_db(stack: Settings) -> Iterator[tuple[Settings, str]]:
    with isolated_world(stack, "ps6") as settings:
        yield settings, _seeded(settings)


def _seeded(settings: Settings) -> str:
    """The central schema with SUMMARIES and a few portal rows; returns the database's name."""
    central.apply(settings)
    with clients.postgres(settings, autocommit=True) as conn:
        for row in SUMMARIES:
            cid = row[0]  # also its PromptAds id
            conn.execute(
                "INSERT INTO analytics.campaign_summary (campaign_id, ads_campaign_id, campaign_name, brand_name, "
                "status, start_date, reach, likes, interactions, leads, converted_leads, sales_count, revenue, "
                "cost) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (cid, *row),
            )
            conn.execute(
                "INSERT INTO analytics.campaign_channel_summary (campaign_id, channel_name, reach) "
                "VALUES (%s, 'Email', 1)",
                (cid,),
            )
        conn.execute(
            "INSERT INTO analytics.campaign_month_summary (campaign_id, month, reach) "
            "VALUES (1, '2025-03-01', 10)"
        )
        conn.execute(
            "INSERT INTO portal.campaigns (campaign_id, name, status) VALUES "
            "(1, 'Spring launch', 'active'), (7, 'Not yet run', 'approved')"
        )
    return settings.postgres.database


@pytest.fixture
def db(central_db) -> Iterator[psycopg.Connection]:
    settings, _ = central_db
    with clients.postgres(settings, autocommit=True) as conn:
        yield conn


def blocks(path: Path, marker: str) -> dict[str, str]:
    """`-- <marker>: name` (or `-- <marker> name`) sections of a demo script, by name."""
    parts = re.split(rf"^-- {marker}:? (\S+)\s*$", path.read_text(), flags=re.MULTILINE)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}
