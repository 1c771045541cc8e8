"""An isolated ETL world for this test package (promptsales_testkit.etl_world): fresh central, stand-in and
MongoDB databases, n8n credentials pointed at them, the committed workflow imported into the real n8n.
Package scope: it closes, and the credentials point back at the stack, before other packages' tests.

Each test that changes the world starts from the same state (`seeded`, or `loaded` after one run), whatever
the tests before it did: so a test runs alone, or in any order, as it runs in the whole package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from promptsales.etl import runner
from promptsales.settings import Settings
from promptsales_testkit import etl_sample
from promptsales_testkit.etl_world import EtlWorld, as_before_the_first_run, isolated_etl

SAMPLE = etl_sample.SampleSize(campaigns=40)


@pytest.fixture(scope="package")
def etl_world(n8n: Settings) -> Iterator[EtlWorld]:
    with isolated_etl(n8n) as world:
        yield world


@pytest.fixture
def seeded(etl_world: EtlWorld) -> EtlWorld:
    """The sample sources loaded afresh (deterministic: seed 7) and PromptSales as before its first run."""
    # As in databases the sample is loaded into for the first time: no change-log entry or tombstone of
    # what earlier tests did (a full re-read prunes the logs, and the tests count what stays).
    etl_world.ads.execute("TRUNCATE ads.resultchanges, ads.deletedcampaigns")
    etl_world.crm.execute("TRUNCATE crm.campaignchanges")
    etl_sample.load_sources(etl_world.ads, etl_world.crm, SAMPLE, seed=7)
    etl_sample.load_images(etl_world.mongo_db, SAMPLE)
    as_before_the_first_run(etl_world)
    return etl_world


@pytest.fixture
def loaded(seeded: EtlWorld) -> EtlWorld:
    """`seeded` after one successful run: every summary derived from the sources."""
    entry = runner.run_once(seeded.n8n, seeded.central)
    assert entry["status"] == "succeeded", entry
    return seeded
