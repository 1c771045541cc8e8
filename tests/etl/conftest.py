"""An isolated ETL world for this test package (promptsales_testkit.etl_world): fresh central, stand-in and
MongoDB databases, n8n credentials pointed at them, the committed workflow imported into the real n8n.
Package scope: it closes, and the credentials point back at the stack, before other packages' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from promptsales.settings import Settings
from promptsales_testkit import etl_sample
from promptsales_testkit.etl_world import EtlWorld, isolated_etl


@pytest.fixture(scope="package")
def etl_world(n8n: Settings) -> Iterator[EtlWorld]:
    with isolated_etl(n8n) as world:
        yield world


@pytest.fixture(scope="package")
def seeded(etl_world: EtlWorld) -> EtlWorld:
    size = etl_sample.SampleSize(campaigns=40)
    etl_sample.load_sources(etl_world.ads, etl_world.crm, size, seed=7)
    etl_sample.load_images(etl_world.mongo_db, size)
    return etl_world
