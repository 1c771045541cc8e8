"""The ETL on the real PromptAds/PromptCrm generators and stand-in schemas, at small scale
(40 campaigns, 16,000 clients: the CRM generator gives every campaign at least 400)."""

from __future__ import annotations

import pytest
from promptsales.etl import runner
from promptsales.generators import ads as ads_generator
from promptsales.generators import crm as crm_generator
from promptsales.generators.options import SeedOptions
from promptsales_testkit.etl_world import isolated_etl

from .expected import actual_summaries, derived_problems, expected_summaries, rollup_problems

pytestmark = [pytest.mark.stack, pytest.mark.slow]


@pytest.fixture(scope="module")
def real_world(etl_world):
    # Opened after the session world: its credentials are pointed back at that world afterwards.
    with isolated_etl(etl_world.settings, real_schemas=True, restore_to=etl_world.settings) as world:
        options = SeedOptions(campaigns=40, clients=16_000, seed=11)
        ads_generator.load(world.settings, options)
        crm_generator.load(world.settings, options)
        yield world


def _assert_exact(world) -> None:
    expected, actual = expected_summaries(world.ads, world.crm), actual_summaries(world.central)
    for kind in expected:
        assert actual[kind] == expected[kind], kind
    assert derived_problems(world.central) == []
    assert rollup_problems(world.central) == []


def test_real_generators_full_then_delta(real_world):
    world = real_world
    entry = runner.run_once(world.n8n, world.central)
    assert entry["status"] == "succeeded" and entry["rows_changed"]["campaign_summary"] == 40
    _assert_exact(world)
    summary = world.central.execute(
        "SELECT min(clients), sum(sales_count) FROM analytics.campaign_summary"
    ).fetchone()
    assert summary[0] >= 400 and summary[1] > 0
    again = runner.run_once(world.n8n, world.central)
    assert sum(again["rows_changed"].values()) == 0
    campaign = world.ads.execute("SELECT min(CampaignId) FROM ads.Campaigns").fetchone()[0]
    world.ads.execute(
        "UPDATE ads.AdResults SET Revenue = Revenue + 1 WHERE AdId = "
        "(SELECT min(AdId) FROM ads.Ads WHERE CampaignId = %s)",
        (campaign,),
    )
    delta = runner.run_once(world.n8n, world.central)
    assert delta["rows_read"]["promptads.cells"] >= 1 and delta["rows_changed"]["campaign_summary"] == 1
    assert delta["rows_changed"]["touched_campaigns"] == 1
    _assert_exact(world)
