"""PromptAds fixtures: a throwaway stand-in database with the schema applied and 1,000 campaigns seeded.

Seeding takes a few seconds, so the seeded database is built once per session (in its own database,
like `fresh_database`, which is per test) and only read by the data tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from promptsales import clients
from promptsales.dbinit import ads as ads_dbinit
from promptsales.settings import Settings

import generators.ads
from generators.options import SeedOptions

SEEDED_OPTIONS = SeedOptions(seed=42, campaigns=1000)


def settings_for(settings: Settings, database: str) -> Settings:
    """The same settings, pointed at another PromptAds stand-in database."""
    return settings.model_copy(update={
        "sources": "standin",
        "postgres": settings.postgres.model_copy(update={"ads_standin_database": database})})


@dataclass
class SeededAds:
    settings: Settings
    conn: psycopg.Connection
    options: SeedOptions
    counts: dict[str, int]


@pytest.fixture(scope="session")
def seeded_ads(stack: Settings, session_database) -> Iterator[SeededAds]:
    settings = settings_for(stack, session_database("test_ads"))
    ads_dbinit.apply(settings)
    counts = generators.ads.load(settings, SEEDED_OPTIONS)
    with clients.ads_standin(settings, autocommit=True) as conn:
        yield SeededAds(settings, conn, SEEDED_OPTIONS, counts)


@pytest.fixture
def fresh_ads(stack: Settings, fresh_database) -> Settings:
    """Settings pointing at a new empty database with the PromptAds schema applied."""
    settings = settings_for(stack, fresh_database("ads"))
    ads_dbinit.apply(settings)
    return settings
