"""The ETL's source SQL runs unchanged on the real PromptAds/PromptCrm stand-in schemas (the ones
`promptsales db init` builds from the T-SQL), so a renamed table or column fails here, not at 3 a.m."""

from __future__ import annotations

import json

import pytest
from promptsales import clients
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.etl import workflow
from promptsales_testkit import isolated_world

pytestmark = pytest.mark.stack

# The stand-in reads of the committed workflow, by source.
QUERIES = {
    "ads": [
        name
        for name in workflow.nodes()
        if name.endswith(" from the stand-in") and "PromptAds" in name and not name.startswith("Prune")
    ],
    "crm": [
        name
        for name in workflow.nodes()
        if name.endswith(" from the stand-in") and "PromptCrm" in name and not name.startswith("Prune")
    ],
}
ADS_ENTITIES = (
    "campaigns",
    "ads",
    "adresults",
    "brands",
    "campaignchannels",
    "campaignmarkets",
    "channels",
    "markets",
    "resultchanges",
)
CRM_ENTITIES = ("leads", "sales", "clientcampaigns", "campaignchanges")


def _marks(entities: tuple[str, ...], low: int, high: int, in_full: int) -> str:
    """A high-water marks row as the later reads of a source take it (their one parameter)."""
    return json.dumps(
        {f"low_{e}": str(low) for e in entities}
        | {f"high_{e}": str(high) for e in entities}
        | {"read_in_full": in_full, "heldback": 0}
    )


def _text(step: str) -> str:
    # n8n puts the parameter into the query itself; psycopg spells the same placeholder %(p)s.
    return workflow.query(step).replace("%", "%%").replace("$1", "%(p)s")


@pytest.fixture(scope="module")
def real_standins(stack):
    with isolated_world(stack, "etlq", postgres=("ads_standin_database", "crm_standin_database")) as settings:
        ads_init.apply(settings)
        crm_init.apply(settings)
        yield settings


@pytest.mark.parametrize("db,name", [(db, name) for db, names in QUERIES.items() for name in names])
def test_source_query_runs_on_the_real_standin(real_standins, db, name):
    connect = clients.ads_standin if db == "ads" else clients.crm_standin
    entities = ADS_ENTITIES if db == "ads" else CRM_ENTITIES
    with connect(real_standins) as conn:
        if "high-water marks" in name:  # its parameter: the run-opening step's row, the stored watermarks
            stored = json.dumps({f"{db}_{e}": "0" for e in entities})
            rows = conn.execute(_text(name), {"p": stored}).fetchall()
        else:  # read in full and as a delta, over every row version there could be
            rows = [
                row
                for in_full in (1, 0)
                for row in conn.execute(_text(name), {"p": _marks(entities, 0, 10**12, in_full)}).fetchall()
            ]
    if "high-water marks" in name:
        # Empty tables: every mark 0 (the change log's too), never NULL, read in full, nothing held back.
        assert rows == [(0,) * (2 * len(entities)) + (1, 0)]
    else:
        assert rows == []


def test_a_read_from_zero_names_every_live_campaign_above_the_high_mark_too(real_standins):
    """A campaign changed after the high marks were read is still live: a read from 0 (a full re-read)
    must name it, or the central side would take its summary for one deleted without a tombstone."""
    step = "Read the changed PromptAds campaigns from the stand-in"
    with clients.ads_standin(real_standins) as conn:
        conn.execute("INSERT INTO ads.brands (name, industry) VALUES ('Probe brand', 'retail')")
        conn.execute(
            "INSERT INTO ads.campaigns (brandid, name, status, startdate, enddate, budget) "
            "SELECT max(brandid), 'Probe', 'active', DATE '2026-01-01', DATE '2026-02-01', 10 "
            "FROM ads.brands"
        )
        named = {
            low: conn.execute(_text(step), {"p": _marks(ADS_ENTITIES, low, 0, 0)}).fetchall()
            for low in (0, 1)
        }
        conn.rollback()
    assert [(row[1], row[-1]) for row in named[0]] == [("Probe", 0)]  # named, not deleted
    assert named[1] == []  # a delta reads only up to the high marks
