"""An isolated ETL world for this test package (promptsales.etl.sandbox): fresh central, stand-in and
MongoDB databases, n8n credentials pointed at them, the committed workflow imported into the real n8n.
Package scope: it closes, and the credentials point back at the stack, before other packages' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from promptsales.etl import sample
from promptsales.etl.sandbox import EtlWorld, isolated_etl
from promptsales.settings import Settings


@pytest.fixture(scope="package")
def etl_world(n8n: Settings) -> Iterator[EtlWorld]:
    with isolated_etl(n8n) as world:
        yield world


@pytest.fixture(scope="package")
def seeded(etl_world: EtlWorld) -> EtlWorld:
    size = sample.SampleSize(campaigns=40)
    sample.load_sources(etl_world.ads, etl_world.crm, size, seed=7)
    sample.load_images(etl_world.mongo_db, size)
    return etl_world
