"""A throwaway PromptSales database with the real schema (dbinit.central.apply) and hand-checked summaries.

Four campaigns whose figures are written out cell by cell in sales_data.py; the tests compute their
expectations from those literals, independently of the server's SQL. Each session uses its own Redis key prefix, so
cached answers of other sessions (and the demo) never mix with these.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from promptsales import clients
from promptsales.cache import Cache
from promptsales.dbinit import central
from promptsales.sales.service import SalesService, open_pool
from promptsales.settings import Settings
from promptsales_testkit import isolated_world, sales_synthetic
from psycopg import sql
from sales_data import hand_checked


@pytest.fixture(scope="session")
def sales_settings(stack: Settings) -> Iterator[Settings]:
    """Settings pointing at a fresh database holding the hand-checked campaigns, and a private Redis prefix."""
    with isolated_world(stack, "sales_test") as settings:
        central.apply(settings)
        with clients.postgres(settings) as conn:
            sales_synthetic.load(conn, hand_checked())
        yield settings


@pytest.fixture(scope="session")
def service(sales_settings: Settings) -> Iterator[SalesService]:
    pool = open_pool(sales_settings)
    pool.wait(timeout=10)
    redis_client = clients.redis_client(sales_settings)
    yield SalesService(pool, Cache(redis_client, sales_settings.redis.key_prefix))
    pool.close()
    redis_client.close()


@pytest.fixture
def writer(sales_settings: Settings) -> Iterator[psycopg.Connection]:
    """A read-write connection, for tests that play the ETL (change a summary, bump the data version)."""
    with clients.postgres(sales_settings, autocommit=True) as conn:
        yield conn


@pytest.fixture
def fingerprint(writer: psycopg.Connection):
    """md5 over every summary and fact row: equal before and after means no row changed."""
    return lambda: table_fingerprint(writer)


def table_fingerprint(conn: psycopg.Connection) -> str:
    parts = []
    for table in (
        "campaign_summary",
        "campaign_channel_summary",
        "campaign_market_summary",
        "campaign_month_summary",
        "ad_facts_daily",
        "ad_facts_monthly",
        "crm_facts_daily",
        "crm_facts_monthly",
        "dimension_names",
    ):
        parts.append(
            conn.execute(
                sql.SQL(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM analytics.{} t"
                ).format(sql.Identifier(table))
            ).fetchone()[0]
        )
    return ",".join(parts)
