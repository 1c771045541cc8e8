"""Each sales tool's answer against figures computed here from the hand-checked campaigns (conftest.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import psycopg
import pytest
from promptsales import clients
from promptsales.cache import Cache
from promptsales.errors import Unavailable
from promptsales.sales.service import SalesService, open_pool
from sales_data import hand_checked

pytestmark = pytest.mark.stack
CAMPAIGNS = {c.campaign_id: c for c in hand_checked()}


def expected_totals(campaign_id: int) -> dict:
    sums: dict = defaultdict(float)
    for values in CAMPAIGNS[campaign_id].cells.values():
        for metric, value in values.items():
            sums[metric] += value
    return sums


def ids(answer) -> list[int]:
    return [c.campaign_id for c in answer.campaigns]


def test_campaign_performance_matches_the_literal_cells(service: SalesService):
    answer = service.campaign_performance("holiday glow aurora")
    totals = expected_totals(101)
    m = answer.metrics
    assert answer.campaign.campaign_id == 101
    assert (
        (m.reach, m.views, m.likes, m.interactions)
        == (3500, 5900, 440, 160)
        == (totals["reach"], totals["views"], totals["likes"], totals["interactions"])
    )
    assert m.reactions == 600 and m.sales_count == 19 and m.revenue == 1150.0 and m.cost == 600.0
    assert m.roi == pytest.approx((1150 - 600) / 600, abs=1e-4)
    assert m.conversion_rate == pytest.approx(19 / 160, abs=1e-6)  # sales per interaction
    assert m.success_rate == pytest.approx(19 / 38) and m.success_rate_pct == 50.0  # converted / leads
    assert (m.leads, m.converted_leads, m.clients) == (38, 19, 400)
    assert answer.campaign.channels == ["Instagram", "TikTok"] and answer.campaign.markets == ["Mexico"]
    assert answer.content_used == ["img-0001", "img-0042"]
    assert "reach" in answer.metric_notes and "success_rate" in answer.metric_notes


def test_success_rate_is_null_without_leads_and_ids_resolve(service: SalesService):
    answer = service.campaign_performance("102")
    assert answer.campaign.campaign_name == "Summer Splash Brisa"
    assert service.campaign_performance(102).campaign.campaign_id == 102  # a number, as most clients send it
    assert answer.metrics.success_rate is None and answer.metrics.leads == 0
    assert service.campaign_performance("Splash").campaign.campaign_id == 102  # a fragment matching one name


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"brand": "brisa telecom"}, {102, 103, 104}),
        (
            {"channel": "tiktok", "active_from": date(2024, 12, 1), "active_to": date(2024, 12, 31)},
            {101, 103},
        ),
        ({"name_contains": "glow"}, {101, 103, 104}),
        ({"name_contains": "100%"}, set()),  # % is matched literally, not as a wildcard
        ({"status": "active"}, {102}),
        ({"market": "Chile"}, {102}),
        ({"brand": "Brisa Telecom", "active_from": date(2025, 12, 15)}, {104}),
    ],
)
def test_find_campaigns(service: SalesService, filters, expected):
    answer = service.find_campaigns(**filters)
    assert set(ids(answer)) == expected and answer.total_matches == len(expected)


def test_find_campaigns_pages_with_limit_and_offset(service: SalesService):
    first = service.find_campaigns(limit=2)
    second = service.find_campaigns(limit=2, offset=2)
    assert first.total_matches == 4 and first.returned == 2
    assert set(ids(first)) | set(ids(second)) == set(CAMPAIGNS)


def _sales_between(first: date, last: date) -> list[tuple[int, float]]:
    sums = {
        cid: sum(v["sales_count"] for (_, _, day), v in c.cells.items() if first <= day <= last)
        for cid, c in CAMPAIGNS.items()
    }
    return sorted(((cid, s) for cid, s in sums.items() if s), key=lambda x: (-x[1], x[0]))


@pytest.mark.parametrize(
    "first, last, by_hand",
    [
        (date(2024, 12, 1), date(2024, 12, 31), [(101, 14), (103, 12)]),  # 101: Dec 5 (10) + Dec 24 (4)
        (
            date(2024, 12, 10),
            date(2025, 1, 25),
            [(103, 12), (101, 9)],
        ),  # cuts both months: 101 Dec 24 + Jan 20
        (date(2024, 12, 25), date(2025, 1, 19), []),  # between two cells: no activity at all
    ],
)
def test_top_campaigns_in_a_period_sums_its_days(service: SalesService, first, last, by_hand):
    answer = service.top_campaigns(metric="sales_count", period_from=first, period_to=last)
    assert (
        [(r.campaign.campaign_id, r.value) for r in answer.campaigns]
        == _sales_between(first, last)
        == by_hand
    )
    assert f"days {first}..{last}" in answer.basis and "activity inside the period only" in answer.basis


def test_top_campaigns_lifetime_roi_and_ascending(service: SalesService):
    roi = {
        cid: (expected_totals(cid)["revenue"] - expected_totals(cid)["cost"]) / expected_totals(cid)["cost"]
        for cid in CAMPAIGNS
    }
    answer = service.top_campaigns(metric="roi")
    assert ids_of(answer) == sorted(roi, key=lambda cid: -roi[cid]) == [103, 102, 101, 104]
    assert [r.value for r in answer.campaigns] == pytest.approx([roi[c] for c in ids_of(answer)], abs=1e-4)
    lowest = service.top_campaigns(metric="revenue", order="asc", limit=1)
    assert ids_of(lowest) == [104]


def ids_of(answer) -> list[int]:
    return [r.campaign.campaign_id for r in answer.campaigns]


def test_top_campaigns_by_a_crm_metric_in_a_period(service: SalesService):
    answer = service.top_campaigns(metric="leads", period_from=date(2024, 12, 1), period_to=date(2025, 1, 31))
    assert [(r.campaign.campaign_id, r.value) for r in answer.campaigns] == [(101, 38), (103, 24)]
    december = service.top_campaigns(
        metric="leads", period_from=date(2024, 12, 1), period_to=date(2024, 12, 31)
    )
    assert [(r.campaign.campaign_id, r.value) for r in december.campaigns] == [(103, 24), (101, 20)]
    assert "PromptCrm" in december.basis


def test_a_crm_metric_on_a_channel_says_it_cannot_be_split(service: SalesService):
    answer = service.top_campaigns(metric="leads", channel="TikTok")
    assert answer.campaigns == [] and "leads cannot be split by channel" in answer.basis
    performance = service.campaign_performance("Holiday Glow Aurora", channel="TikTok")
    assert performance.metrics.leads is None and performance.metrics.success_rate is None
    assert performance.metrics.reach == 1500 and "cannot be split by channel" in performance.basis


def test_breakdown_by_channel_over_all_campaigns(service: SalesService):
    expected: dict = defaultdict(lambda: defaultdict(float))
    for c in CAMPAIGNS.values():
        for (channel, _, _), v in c.cells.items():
            for metric, value in v.items():
                expected[channel][metric] += value
    answer = service.breakdown(dimension="channel")
    got = {r.key: r for r in answer.rows}
    assert set(got) == set(expected) == {"TikTok", "Instagram", "Facebook", "YouTube"}
    for channel, sums in expected.items():
        assert got[channel].reach == sums["reach"] and got[channel].revenue == sums["revenue"]
        assert got[channel].reactions == sums["likes"] + sums["interactions"]
        assert got[channel].roi == pytest.approx((sums["revenue"] - sums["cost"]) / sums["cost"], abs=1e-4)
    assert got["TikTok"].campaigns == 2
    assert sum(r.share_of_revenue_pct for r in answer.rows) == pytest.approx(100, abs=0.05)


def test_breakdown_by_month_for_a_brand_and_period(service: SalesService):
    # From June 20: 102's June cell (June 18) and its CRM day (June 15) are outside the period.
    answer = service.breakdown(
        dimension="month", brand="Brisa Telecom", period_from=date(2025, 6, 20), period_to=date(2025, 12, 31)
    )
    assert [(r.key, r.reach, r.leads) for r in answer.rows] == [
        ("2025-07-01", 1000, 0),
        ("2025-08-01", 3000, 0),
        ("2025-12-01", 10000, 10),
    ]
    assert (answer.total.reach, answer.total.leads, answer.total.converted_leads) == (14000, 10, 5)


def test_breakdown_by_market_for_one_campaign(service: SalesService):
    answer = service.breakdown(dimension="market", campaign="Summer Splash Brisa")
    assert {r.key: r.sales_count for r in answer.rows} == {"Chile": 70, "Peru": 10}


def test_trends_month_over_month(service: SalesService):
    answer = service.trends(
        metric="revenue", brand="brisa telecom", period_from=date(2025, 6, 1), period_to=date(2025, 8, 31)
    )
    assert [(p.month, p.value) for p in answer.points] == [
        (date(2025, 6, 1), 4000.0),
        (date(2025, 7, 1), 800.0),
        (date(2025, 8, 1), 2100.0),
    ]
    assert [p.change_pct for p in answer.points] == [None, -80.0, 162.5]
    assert answer.first_to_last_change_pct == -47.5 and answer.direction == "falling"


def test_compare_campaigns_names_the_leader(service: SalesService):
    answer = service.compare_campaigns(["Holiday Glow Aurora", "102", "#103"], ["revenue", "success_rate"])
    values = {c.campaign.campaign_id: c.values for c in answer.campaigns}
    assert values[101]["revenue"] == 1150.0 and values[102]["revenue"] == 6900.0
    assert values[103]["success_rate"] == pytest.approx(0.5) and values[102]["success_rate"] is None
    assert answer.leaders["revenue"] == "Summer Splash Brisa"
    assert answer.higher_is_better == {"revenue": True, "success_rate": True}
    costs = service.compare_campaigns([101, 102], ["cost", "budget"])
    assert costs.higher_is_better == {"cost": False, "budget": None}
    assert costs.leaders == {"cost": "Holiday Glow Aurora", "budget": None}  # 600 < 2,500: less is better


def test_sales_overview_lists_the_names_other_tools_accept(service: SalesService):
    answer = service.sales_overview()
    assert (answer.campaigns, answer.active, answer.finished) == (4, 1, 3)
    assert answer.brands == ["Aurora Foods", "Brisa Telecom"]
    assert answer.channels == ["Facebook", "Instagram", "TikTok", "YouTube"]
    assert answer.first_start_date == date(2024, 12, 1) and answer.last_end_date == date(2025, 12, 31)


# -- caching ------------------------------------------------------------------------------------------------
def test_cache_hit_after_miss_and_invalidated_by_the_etl_data_version(service: SalesService, writer):
    first = service.top_campaigns(metric="exposure_hours", limit=3)
    second = service.top_campaigns(metric="exposure_hours", limit=3)
    assert (first.cache.hit, first.cache.cached, second.cache.hit) == (False, True, True)
    assert second.campaigns == first.campaigns
    writer.execute("UPDATE analytics.campaign_summary SET exposure_hours = 999 WHERE campaign_id = 104")
    try:
        stale = service.top_campaigns(metric="exposure_hours", limit=3)
        assert stale.cache.hit and stale.campaigns[0].value == 12.5  # not bumped yet: the cached answer
        service.cache.bump_data_version("sales")  # what the ETL does after it changes summaries
        fresh = service.top_campaigns(metric="exposure_hours", limit=3)
        assert not fresh.cache.hit and fresh.campaigns[0].campaign.campaign_id == 104
        assert fresh.campaigns[0].value == 999
    finally:
        writer.execute("UPDATE analytics.campaign_summary SET exposure_hours = 12.5 WHERE campaign_id = 104")
        service.cache.bump_data_version("sales")


def test_cache_key_follows_the_documented_scheme(service: SalesService, sales_settings):
    prefix = sales_settings.redis.key_prefix
    service.find_campaigns(brand="Aurora Foods")
    version = service.cache.data_version("sales")
    keys = list(service.cache.client.scan_iter(f"{prefix}:sales:query:v{version}:*"))
    assert keys and all(len(k.decode().rsplit(":", 1)[1]) == 32 for k in keys)
    ttl = service.cache.client.ttl(keys[0])
    assert 0 < ttl <= 11 * 60


def test_redis_down_answers_uncached_and_says_so(service: SalesService, sales_settings):
    dead = sales_settings.model_copy(update={"redis": sales_settings.redis.model_copy(update={"port": 1})})
    uncached = SalesService(service.pool, Cache(clients.redis_client(dead), dead.redis.key_prefix))
    answer = uncached.campaign_performance("Holiday Glow Aurora")
    assert answer.metrics.reach == 3500
    assert (answer.cache.hit, answer.cache.cached) == (
        False,
        False,
    ) and "Redis is unavailable" in answer.cache.note


def test_postgres_down_is_a_clear_error(sales_settings):
    dead = sales_settings.model_copy(
        update={"postgres": sales_settings.postgres.model_copy(update={"port": 1})}
    )
    pool = open_pool(dead)
    try:
        unavailable = SalesService(pool, Cache(None))
        with pytest.raises(Unavailable, match="PostgreSQL.*unavailable"):
            unavailable.find_campaigns(brand="Aurora Foods")
    finally:
        pool.close()


def test_connections_are_read_only(service: SalesService):
    with service.pool.connection() as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("UPDATE analytics.campaign_summary SET leads = 0")


def test_every_question_is_planned_for_its_own_parameters(service: SalesService):
    # PostgreSQL's rule (plan_cache_mode=auto): from a prepared statement's 6th run a generic plan may replace
    # the custom ones; psycopg prepares from the 5th. The pool's connections must not allow that (see open_pool).
    with service.pool.connection() as conn:
        assert conn.execute("SHOW plan_cache_mode").fetchone()["plan_cache_mode"] == "force_custom_plan"
        statement = "SELECT count(*) AS n FROM analytics.campaign_summary WHERE start_date >= %s"
        for _ in range(8):
            conn.execute(statement, ("2025-01-01",))
        plans = conn.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ("%analytics.campaign_summary WHERE start_date >=%",),
        ).fetchone()
        assert plans is not None and plans["generic_plans"] == 0 and plans["custom_plans"] >= 3, plans
