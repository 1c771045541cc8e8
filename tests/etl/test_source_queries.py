"""The ETL's source SQL runs unchanged on the real PromptAds/PromptCrm stand-in schemas (the ones
`promptsales db init` builds from the T-SQL), so a renamed table or column fails here, not at 3 a.m."""

from __future__ import annotations

import re
import uuid

import pytest
from promptsales import clients
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.etl import workflow
from promptsales.etl.workflow import query
from promptsales.localstack.postgres import PostgresService

pytestmark = pytest.mark.stack

QUERIES = {"ads": ["ads_high_water_marks", "ads_changed_campaigns", "ads_result_changes", "ads_rejects"],
           "crm": ["crm_high_water_marks", "crm_campaign_changes", "crm_rejects"]}
CHANGE_LOG_READS = {"ads_result_changes", "crm_campaign_changes"}


@pytest.fixture(scope="module")
def real_standins(stack):
    admin = PostgresService(stack)
    suffix = uuid.uuid4().hex[:8]
    names = {"ads_standin_database": f"etlq_ads_{suffix}", "crm_standin_database": f"etlq_crm_{suffix}"}
    for name in names.values():
        admin.create_database(name)
    settings = stack.model_copy(update={"postgres": stack.postgres.model_copy(update=names)})
    try:
        ads_init.apply(settings)
        crm_init.apply(settings)
        yield settings
    finally:
        for name in names.values():
            admin.drop_database(name)


@pytest.mark.parametrize("db,name", [(db, name) for db, names in QUERIES.items() for name in names])
def test_source_query_runs_on_the_real_standin(real_standins, db, name):
    connect = clients.ads_standin if db == "ads" else clients.crm_standin
    # n8n binds $1..$n itself; psycopg spells the same placeholders %(pN)s. Low marks first, then high.
    text = re.sub(r"\$(\d+)", r"%(p\1)s", query(name))
    lows = len(workflow.ADS_ENTITIES if db == "ads" else workflow.CRM_ENTITIES)
    params = {f"p{i}": "0" if i <= lows else str(10**12) for i in range(1, 2 * lows + 1)}
    if name == "ads_changed_campaigns":
        params |= {f"p{2 * lows + 1}": "0", f"p{2 * lows + 2}": str(10**12)}  # the change log's marks
    with connect(real_standins) as conn:
        if name in CHANGE_LOG_READS:  # $1 = read in full (1) or the log entries in ($2, $3] (0)
            rows = [row for full in ("1", "0") for row in conn.execute(
                text, {"p1": full, "p2": "0", "p3": str(10**12)}).fetchall()]
        else:
            rows = conn.execute(text, params).fetchall()
    if name.endswith("high_water_marks"):
        # Empty tables: every mark 0 (the change log's too), never NULL, and nothing held back.
        assert rows == [(0,) * (lows + 2)]
    else:
        assert rows == []


def test_a_read_from_zero_names_every_live_campaign_above_the_high_mark_too(real_standins):
    """A campaign changed after the high marks were read is still live: a read from 0 (a full re-read)
    must name it, or the central side would take its summary for one deleted without a tombstone."""
    text = re.sub(r"\$(\d+)", r"%(p\1)s", query("ads_changed_campaigns"))
    lows = len(workflow.ADS_ENTITIES)
    with clients.ads_standin(real_standins) as conn:
        conn.execute("INSERT INTO ads.brands (name, industry) VALUES ('Probe brand', 'retail')")
        conn.execute("INSERT INTO ads.campaigns (brandid, name, status, startdate, enddate, budget) "
                     "SELECT max(brandid), 'Probe', 'active', DATE '2026-01-01', DATE '2026-02-01', 10 "
                     "FROM ads.brands")
        every_high_mark_below_it = {f"p{i}": "0" for i in range(lows + 1, 2 * lows + 1)}
        named = {low: conn.execute(text, {f"p{i}": low for i in range(1, lows + 1)} | every_high_mark_below_it)
                 .fetchall() for low in ("0", "1")}
        conn.rollback()
    assert [(row[1], row[-1]) for row in named["0"]] == [("Probe", 0)]  # named, not deleted
    assert named["1"] == []  # a delta reads only up to the high marks
