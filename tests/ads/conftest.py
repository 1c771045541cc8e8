"""PromptAds fixtures: a throwaway stand-in database with the schema applied and 1,000 campaigns seeded.

Seeding takes a few seconds, so the seeded database is built once per session (in its own database,
like `fresh_world`, which is per test) and only read by the data tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from promptsales import clients
from promptsales.dbinit import ads as ads_dbinit
from promptsales.generators import ads as ads_generator
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings

SEEDED_OPTIONS = SeedOptions(seed=42, campaigns=1000)


def standin_world(factory, prefix: str) -> Settings:
    """Settings on the stand-in path, pointed at a new PromptAds stand-in database of `factory`."""
    return factory(prefix, postgres=("ads_standin_database",), sources="standin")


@dataclass
class SeededAds:
    settings: Settings
    conn: psycopg.Connection
    options: SeedOptions
    counts: dict[str, int]


@pytest.fixture(scope="session")
def seeded_ads(session_world) -> Iterator[SeededAds]:
    settings = standin_world(session_world, "test_ads")
    ads_dbinit.apply(settings)
    counts = ads_generator.load(settings, SEEDED_OPTIONS)
    with clients.ads_standin(settings, autocommit=True) as conn:
        yield SeededAds(settings, conn, SEEDED_OPTIONS, counts)


@pytest.fixture
def fresh_ads(fresh_world) -> Settings:
    """Settings pointing at a new empty database with the PromptAds schema applied."""
    settings = standin_world(fresh_world, "ads")
    ads_dbinit.apply(settings)
    return settings
