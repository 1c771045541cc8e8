"""Business questions answered through the MCP SDK client, each checked against the raw source rows.

The world: the real PromptAds and PromptCrm generators at a small scale loaded into fresh stand-in
databases, the committed n8n ETL run by the real n8n, and the sales server over the resulting PromptSales
database. Every expected value is computed here, in Python, straight from the rows of ads.adresults,
ads.ads, ads.campaigns, crm.leads, crm.clientcampaigns and crm.sales: no analytics table and no code of the
service is read. Money must match to the cent, counts exactly, ratios to their rounding.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import anyio.from_thread
import pytest
from mcp import Client
from promptsales.etl import runner
from promptsales.generators import ads as ads_generator
from promptsales.generators import crm as crm_generator
from promptsales.generators.options import SeedOptions
from promptsales.sales.server import build_server
from promptsales_testkit.etl_world import isolated_etl

pytestmark = [pytest.mark.stack, pytest.mark.slow]

D = dt.date
ADS_SUMS = ("reach", "views", "likes", "interactions", "sales_count", "revenue", "cost", "exposure_hours")
CRM_SUMS = ("leads", "converted_leads", "clients")
MONEY = {"revenue", "cost", "exposure_hours"}
RATIO_DIGITS = {"roi": 4, "conversion_rate": 6, "success_rate": 6}


# -- the raw rows, as a person checking by hand would read them ------------------------------------------------
@dataclass
class Raw:
    campaigns: dict[int, dict] = field(
        default_factory=dict
    )  # the valid campaigns (those PromptSales summarizes)
    results: list[tuple] = field(default_factory=list)  # (campaign, channel, market, day, {measure: value})
    crm: list[tuple] = field(default_factory=list)  # (campaign, day, {leads, converted_leads, clients})


def read_raw(ads, crm) -> Raw:
    raw = Raw()
    brands = dict(ads.execute("SELECT brandid, name FROM ads.brands").fetchall())
    for cid, name, brand, status, start, end, budget in ads.execute(
        "SELECT campaignid, name, brandid, status, startdate, enddate, budget FROM ads.campaigns"
    ).fetchall():
        # The documented validity rule (docs/promptsales-etl.md, "Impossible rows").
        if start is not None and budget is not None and budget >= 0 and (end is None or end >= start):
            raw.campaigns[cid] = {
                "name": name,
                "brand": brands.get(brand),
                "status": status,
                "budget": budget,
            }
    channels = dict(ads.execute("SELECT channelid, name FROM ads.channels").fetchall())
    markets = dict(ads.execute("SELECT marketid, name FROM ads.markets").fetchall())
    ad_of = {
        ad: (cid, market)
        for ad, cid, market in ads.execute("SELECT adid, campaignid, marketid FROM ads.ads").fetchall()
    }
    for ad, channel, day, reach, views, likes, inter, sales, revenue, cost, hours in ads.execute(
        "SELECT adid, channelid, resultdate, audiencereached, views, likes, interactions, sales, revenue, "
        "cost, exposurehours FROM ads.adresults"
    ).fetchall():
        cid, market = ad_of[ad]
        values = (reach, views, likes, inter, sales, revenue, cost, hours)
        if day is None or market is None or any(v is None or v < 0 for v in values):
            continue
        raw.results.append((cid, channels[channel], markets[market], day, dict(zip(ADS_SUMS, values))))
    for cid, created, status in crm.execute("SELECT campaignid, createdat, status FROM crm.leads").fetchall():
        if created is not None:
            raw.crm.append(
                (
                    cid,
                    created.date(),
                    {"leads": 1, "converted_leads": int(status == "converted"), "clients": 0},
                )
            )
    for cid, linked in crm.execute("SELECT campaignid, linkedat FROM crm.clientcampaigns").fetchall():
        if linked is not None:
            raw.crm.append((cid, linked, {"leads": 0, "converted_leads": 0, "clients": 1}))
    for cid, day, amount in crm.execute("SELECT campaignid, saledate, amount FROM crm.sales").fetchall():
        if day is not None and amount is not None and amount >= 0:  # a sale day is CRM activity too
            raw.crm.append((cid, day, {"leads": 0, "converted_leads": 0, "clients": 0}))
    return raw


def _in_scope(raw: Raw, cid: int, day: dt.date, a: dict) -> bool:
    campaign = raw.campaigns.get(cid)
    if campaign is None:
        return False
    if a.get("period_from") and day < D.fromisoformat(a["period_from"]):
        return False
    if a.get("period_to") and day > D.fromisoformat(a["period_to"]):
        return False
    if a.get("brand") and (campaign["brand"] or "").lower() != a["brand"].lower():
        return False
    if a.get("status") and campaign["status"] != a["status"]:
        return False
    return not (a.get("campaign") is not None and cid != int(a["campaign"]))


def ad_rows(raw: Raw, a: dict) -> Iterator[tuple]:
    for cid, channel, market, day, values in raw.results:
        if not _in_scope(raw, cid, day, a):
            continue
        if a.get("channel") and channel.lower() != a["channel"].lower():
            continue
        if a.get("market") and market.lower() != a["market"].lower():
            continue
        yield cid, channel, market, day, values


def crm_rows(raw: Raw, a: dict) -> Iterator[tuple]:
    for cid, day, values in raw.crm:
        if _in_scope(raw, cid, day, a):
            yield cid, day, values


def _ratio(numerator, denominator, digits: int) -> float | None:
    return None if not denominator else float(round(Decimal(numerator) / Decimal(denominator), digits))


def with_ratios(sums: dict) -> dict:
    """The derived metrics, by the definitions in sales://metrics."""
    out = dict(sums)
    if "reach" in sums:
        out["reactions"] = sums["likes"] + sums["interactions"]
        out["roi"] = _ratio(sums["revenue"] - sums["cost"], sums["cost"], 4)
        out["conversion_rate"] = _ratio(sums["sales_count"], sums["interactions"], 6)
    if "leads" in sums:
        out["success_rate"] = _ratio(sums["converted_leads"], sums["leads"], 6)
    return out


def summed(rows: Iterator[tuple], key, names: tuple[str, ...]) -> dict[Any, dict]:
    groups: dict[Any, dict] = defaultdict(lambda: {**dict.fromkeys(names, 0), "_campaigns": set()})
    for row in rows:
        group = groups[key(row)]
        for name in names:
            group[name] += row[-1][name]
        group["_campaigns"].add(row[0])
    return {
        k: with_ratios({n: v for n, v in g.items() if n != "_campaigns"})
        | {"campaigns": len(g["_campaigns"])}
        for k, g in groups.items()
    }


def source_of(metric: str) -> str:
    return "crm" if metric in (*CRM_SUMS, "success_rate") else "ads"


def expected_top(raw: Raw, a: dict) -> list[tuple[int, Any]]:
    metric = a["metric"]
    rows = crm_rows(raw, a) if source_of(metric) == "crm" else ad_rows(raw, a)
    names = CRM_SUMS if source_of(metric) == "crm" else ADS_SUMS
    values = {
        cid: sums[metric]
        for cid, sums in summed(rows, lambda r: r[0], names).items()
        if sums[metric] is not None
    }
    descending = a.get("order", "desc") == "desc"
    ranked = sorted(values.items(), key=lambda kv: ((-kv[1] if descending else kv[1]), kv[0]))
    return ranked[: a.get("limit", 10)]


def expected_breakdown(raw: Raw, a: dict) -> tuple[dict, dict | None]:
    dimension = a["dimension"]
    key = {
        "channel": lambda r: r[1],
        "market": lambda r: r[2],
        "month": lambda r: r[3].replace(day=1).isoformat(),
    }[dimension]
    rows = summed(ad_rows(raw, a), key, ADS_SUMS)
    total = summed(ad_rows(raw, a), lambda r: "total", ADS_SUMS).get("total")
    if dimension == "month" and not (a.get("channel") or a.get("market")):
        # PromptCrm figures per month: a month with CRM activity only is a row with no PromptAds figure.
        no_ads = {**with_ratios(dict.fromkeys(ADS_SUMS, 0)), "campaigns": 0}
        no_crm = with_ratios(dict.fromkeys(CRM_SUMS, 0))
        crm = summed(crm_rows(raw, a), lambda r: r[1].replace(day=1).isoformat(), CRM_SUMS)
        for month in rows.keys() | crm.keys():
            sums = crm.get(month, no_crm)
            rows.setdefault(month, dict(no_ads)).update({n: sums[n] for n in (*CRM_SUMS, "success_rate")})
        crm_total = summed(crm_rows(raw, a), lambda r: "total", CRM_SUMS).get("total")
        if crm_total or total:
            total = {
                **(total or no_ads),
                **{n: (crm_total or no_crm)[n] for n in (*CRM_SUMS, "success_rate")},
            }
    return rows, total


def expected_trend(raw: Raw, a: dict) -> dict[str, Any]:
    metric = a["metric"]
    if source_of(metric) == "crm":
        months = summed(crm_rows(raw, a), lambda r: r[1].replace(day=1).isoformat(), CRM_SUMS)
    else:
        months = summed(ad_rows(raw, a), lambda r: r[3].replace(day=1).isoformat(), ADS_SUMS)
    return {month: sums[metric] for month, sums in sorted(months.items())}


def expected_performance(raw: Raw, a: dict) -> dict:
    ads = summed(ad_rows(raw, a), lambda r: "c", ADS_SUMS).get("c") or with_ratios(dict.fromkeys(ADS_SUMS, 0))
    if a.get("channel") or a.get("market"):
        return ads  # PromptCrm figures cannot be split: the answer gives none
    crm = summed(crm_rows(raw, a), lambda r: "c", CRM_SUMS).get("c") or with_ratios(
        dict.fromkeys(CRM_SUMS, 0)
    )
    return {**ads, **crm}


def same(metric: str, got, want) -> bool:
    if want is None or got is None:
        return got is want
    if metric in RATIO_DIGITS:
        return abs(got - want) <= 10 ** -RATIO_DIGITS[metric]
    if metric in MONEY:
        return Decimal(str(got)).quantize(Decimal("0.01")) == Decimal(want).quantize(Decimal("0.01"))
    return got == want


# -- the world and the client -----------------------------------------------------------------------------------
@dataclass
class World:
    etl: Any
    raw: Raw
    picks: dict
    call: Any  # (tool, arguments) -> structured result


def _picks(raw: Raw) -> dict:
    """Arguments a user would plausibly ask about, taken from the raw rows (so they exist)."""
    brand_count: dict = defaultdict(int)
    for c in raw.campaigns.values():
        brand_count[c["brand"]] += 1
    channel_rows: dict = defaultdict(int)
    market_rows: dict = defaultdict(int)
    december = defaultdict(int)
    for cid, channel, market, day, _ in raw.results:
        channel_rows[channel] += 1
        market_rows[market] += 1
        if D(2025, 11, 15) <= day <= D(2025, 12, 14):
            december[cid] += 1
    brand = max(brand_count, key=lambda b: (brand_count[b], b))
    channel = max(channel_rows, key=lambda c: (channel_rows[c], c))
    rare = min(channel_rows, key=lambda c: (channel_rows[c], c))
    # A brand and a month inside the data's range in which that brand has no result: a filter matching nothing.
    active = {
        (raw.campaigns[cid]["brand"], day.replace(day=1))
        for cid, _, _, day, _ in raw.results
        if cid in raw.campaigns
    }
    months = sorted({month for _, month in active})
    idle_brand, idle_month = next(
        ((b, m) for b in sorted(brand_count) for m in months if (b, m) not in active), (None, None)
    )
    running = max(december, key=lambda c: (december[c], -c))
    running_channels = sorted({ch for cid, ch, *_ in raw.results if cid == running})
    never = next(ch for ch in sorted(channel_rows) if ch not in running_channels)
    return {
        "brand": brand,
        "channel": channel,
        "rare_channel": rare,
        "idle_brand": idle_brand,
        "idle_from": idle_month and idle_month.isoformat(),
        "idle_to": idle_month and (idle_month + dt.timedelta(days=27)).isoformat(),
        "market": max(market_rows, key=lambda m: (market_rows[m], m)),
        "campaign": running,
        "campaign_channel": running_channels[0],
        "never_channel": never,
        "other_campaign": next(c for c in sorted(december) if c != running),
    }


@pytest.fixture(scope="module")
def world(n8n) -> Iterator[World]:
    with isolated_etl(n8n, real_schemas=True) as etl:
        options = SeedOptions(campaigns=30, clients=12_000, seed=20)
        ads_generator.load(etl.settings, options)
        crm_generator.load(etl.settings, options)
        assert runner.run_once(etl.n8n, etl.central)["status"] == "succeeded"
        prefix = etl.redis_key.split(":")[0]  # the world's Redis prefix: the ETL bumps its data version
        settings = etl.settings.model_copy(
            update={"redis": etl.settings.redis.model_copy(update={"key_prefix": prefix})}
        )
        with (
            anyio.from_thread.start_blocking_portal() as portal,
            portal.wrap_async_context_manager(Client(build_server(settings))) as client,
        ):

            def call(tool: str, arguments: dict) -> dict:
                result = portal.call(client.call_tool, tool, arguments)
                assert not result.is_error, (tool, arguments, result.content[0].text)
                return result.structured_content

            raw = read_raw(etl.ads, etl.crm)
            yield World(etl, raw, _picks(raw), call)


# -- the questions ------------------------------------------------------------------------------------------------
# Placeholders in {braces} are filled from World.picks. Periods cut months in half, cover one day, a
# quarter, nothing at all (before the data), and the whole history.
DEC = {"period_from": "2025-11-15", "period_to": "2025-12-14"}
QUESTIONS: list[tuple[str, dict]] = [
    ("top_campaigns", {"metric": "revenue", **DEC}),
    ("top_campaigns", {"metric": "revenue", **DEC, "channel": "{channel}"}),
    ("top_campaigns", {"metric": "sales_count", **DEC, "channel": "{channel}", "market": "{market}"}),
    (
        "top_campaigns",
        {"metric": "reach", "period_from": "2024-12-20", "period_to": "2025-01-10", "brand": "{brand}"},
    ),
    (
        "top_campaigns",
        {
            "metric": "cost",
            "period_from": "2025-10-01",
            "period_to": "2025-12-31",
            "order": "asc",
            "limit": 5,
        },
    ),
    ("top_campaigns", {"metric": "roi", "period_from": "2025-03-07", "period_to": "2025-06-21"}),
    ("top_campaigns", {"metric": "conversion_rate", "market": "{market}", "status": "finished"}),
    ("top_campaigns", {"metric": "reactions", "period_from": "2025-12-01", "period_to": "2025-12-01"}),
    ("top_campaigns", {"metric": "exposure_hours", "channel": "{rare_channel}"}),
    ("top_campaigns", {"metric": "leads", **DEC}),
    (
        "top_campaigns",
        {
            "metric": "success_rate",
            "period_from": "2025-01-01",
            "period_to": "2025-06-30",
            "brand": "{brand}",
        },
    ),
    ("top_campaigns", {"metric": "clients", "status": "active", "period_from": "2025-09-10"}),
    (
        "top_campaigns",
        {"metric": "revenue", "period_from": "2023-01-01", "period_to": "2023-06-30"},
    ),  # nothing
    (
        "top_campaigns",
        {
            "metric": "revenue",
            "brand": "{idle_brand}",
            "period_from": "{idle_from}",
            "period_to": "{idle_to}",
        },
    ),  # nothing
    ("breakdown", {"dimension": "channel", **DEC}),
    ("breakdown", {"dimension": "market", "period_from": "2025-02-14", "period_to": "2025-04-02"}),
    (
        "breakdown",
        {"dimension": "month", "brand": "{brand}", "period_from": "2024-11-20", "period_to": "2025-03-10"},
    ),
    ("breakdown", {"dimension": "month", "channel": "{channel}", "market": "{market}"}),
    ("breakdown", {"dimension": "channel", "status": "active", "market": "{market}"}),
    ("breakdown", {"dimension": "market", "campaign": "{campaign}", **DEC}),
    (
        "breakdown",
        {"dimension": "channel", "period_from": "2030-01-01", "period_to": "2030-12-31"},
    ),  # nothing
    (
        "breakdown",
        {
            "dimension": "market",
            "brand": "{idle_brand}",
            "period_from": "{idle_from}",
            "period_to": "{idle_to}",
        },
    ),  # nothing
    ("trends", {"metric": "revenue", "period_from": "2025-01-16", "period_to": "2025-07-15"}),
    ("trends", {"metric": "sales_count", "channel": "{channel}", "brand": "{brand}"}),
    ("trends", {"metric": "success_rate", "status": "finished"}),
    (
        "trends",
        {"metric": "roi", "market": "{market}", "period_from": "2025-05-05", "period_to": "2025-11-11"},
    ),
    ("campaign_performance", {"campaign": "{campaign}"}),
    ("campaign_performance", {"campaign": "{campaign}", **DEC}),
    (
        "campaign_performance",
        {"campaign": "{campaign}", "channel": "{campaign_channel}", "period_from": "2025-12-01"},
    ),
    ("campaign_performance", {"campaign": "{campaign}", "channel": "{never_channel}"}),  # never used: zeros
]


def fill(arguments: dict, picks: dict) -> dict:
    out = {}
    for name, value in arguments.items():
        if isinstance(value, str) and value.startswith("{"):
            value = picks[value.strip("{}")]
        out[name] = value
    return out


def check(world: World, tool: str, a: dict) -> None:
    answer = world.call(tool, a)
    raw = world.raw
    if tool == "top_campaigns":
        want = expected_top(raw, a)
        got = [(c["campaign"]["campaign_id"], c["value"]) for c in answer["campaigns"]]
        assert [cid for cid, _ in got] == [cid for cid, _ in want], answer["basis"]
        assert all(same(a["metric"], g, w) for (_, g), (_, w) in zip(got, want)), (got, want)
    elif tool == "breakdown":
        rows, total = expected_breakdown(raw, a)
        got = {r["key"]: r for r in answer["rows"]}
        assert set(got) == set(rows), answer["scope"]
        for key, want in [*rows.items(), *([("total", total)] if total else [])]:
            have = got[key] if key != "total" else answer["total"]
            wrong = {m: (have[m], v) for m, v in want.items() if not same(m, have[m], v)}
            assert not wrong, (key, wrong)
        assert (answer["total"] is None) == (total is None)
    elif tool == "trends":
        want = expected_trend(raw, a)
        got = {p["month"]: p["value"] for p in answer["points"]}
        assert list(got) == list(want)
        assert all(same(a["metric"], got[m], want[m]) for m in want), (got, want)
    elif tool == "campaign_performance":
        want = expected_performance(raw, a)
        metrics = answer["metrics"]
        wrong = {
            m: (metrics[m], v) for m, v in want.items() if m != "campaigns" and not same(m, metrics[m], v)
        }
        assert not wrong, wrong
        if a.get("channel") or a.get("market"):
            assert metrics["leads"] is None and "cannot be split" in answer["basis"]


@pytest.mark.parametrize(
    "tool, arguments", QUESTIONS, ids=[f"{i:02d}-{t}" for i, (t, _) in enumerate(QUESTIONS)]
)
def test_answer_equals_the_raw_rows(world: World, tool, arguments):
    check(world, tool, fill(arguments, world.picks))


def test_the_questions_cover_what_they_claim(world: World):
    """Guard the oracle itself: the data-dependent picks exist, some periods hold activity, some none."""
    assert len(QUESTIONS) >= 25
    picks = world.picks
    assert picks["idle_brand"] is not None
    assert not expected_top(
        world.raw,
        {
            "metric": "revenue",
            "brand": picks["idle_brand"],
            "period_from": picks["idle_from"],
            "period_to": picks["idle_to"],
        },
    )
    assert expected_top(world.raw, {"metric": "revenue", **DEC})
    assert not expected_top(
        world.raw, {"metric": "revenue", "period_from": "2023-01-01", "period_to": "2023-06-30"}
    )


def test_breakdown_rows_sum_to_the_total_of_the_same_filter(world: World):
    for dimension in ("channel", "market", "month"):
        answer = world.call("breakdown", {"dimension": dimension, **DEC, "limit": 100})
        for metric in ("reach", "sales_count", "revenue", "cost"):
            assert same(
                metric,
                sum(Decimal(str(r[metric])) for r in answer["rows"]),
                Decimal(str(answer["total"][metric])),
            ), (dimension, metric)


def test_top_campaigns_equal_campaign_performance_for_the_same_scope(world: World):
    scope = {**DEC, "channel": world.picks["channel"]}
    top = world.call("top_campaigns", {"metric": "revenue", "limit": 3, **scope})
    assert top["campaigns"]
    for ranked in top["campaigns"]:
        performance = world.call(
            "campaign_performance", {"campaign": ranked["campaign"]["campaign_id"], **scope}
        )
        assert performance["metrics"]["revenue"] == ranked["value"]


def test_compare_campaigns_in_a_period_equals_the_raw_rows(world: World):
    picks = world.picks
    answer = world.call(
        "compare_campaigns",
        {
            "campaigns": [picks["campaign"], str(picks["other_campaign"])],
            "metrics": ["revenue", "cost", "leads", "success_rate"],
            **DEC,
        },
    )
    for compared in answer["campaigns"]:
        want = expected_performance(world.raw, {"campaign": compared["campaign"]["campaign_id"], **DEC})
        assert all(same(m, compared["values"][m], want[m]) for m in compared["values"])
    assert answer["higher_is_better"]["cost"] is False
    cheapest = min(answer["campaigns"], key=lambda c: c["values"]["cost"])
    assert answer["leaders"]["cost"] == cheapest["campaign"]["campaign_name"]


def test_no_ratio_leaves_its_range(world: World):
    central = world.etl.central
    low, high = central.execute(
        "SELECT count(*) FILTER (WHERE conversion_rate NOT BETWEEN 0 AND 1 OR success_rate NOT BETWEEN 0 AND 1 "
        "OR roi < -1), count(*) FROM analytics.campaign_summary"
    ).fetchone()
    assert low == 0 and high == 30
    for dimension in ("channel", "market", "month"):
        for row in world.call("breakdown", {"dimension": dimension, "limit": 100})["rows"]:
            assert row["conversion_rate"] is None or 0 <= row["conversion_rate"] <= 1
            assert row["roi"] is None or row["roi"] >= -1
            assert row.get("success_rate") is None or 0 <= row["success_rate"] <= 1


def test_after_a_delta_run_the_same_questions_still_match(world: World):
    """A few source rows change (results in the December window updated and deleted, a lead converted, a
    sale added); one delta ETL run later every question is still the raw rows' answer."""
    ads, crm, picks = world.etl.ads, world.etl.crm, world.picks
    ads.execute(
        "UPDATE ads.adresults SET revenue = revenue + 12.34, sales = sales + 1, "
        "interactions = interactions + 1 WHERE (adid, resultdate) IN (SELECT r.adid, r.resultdate "
        "FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s "
        "AND r.resultdate BETWEEN '2025-12-01' AND '2025-12-10' ORDER BY 1, 2 LIMIT 5)",
        (picks["campaign"],),
    )
    ads.execute(
        "DELETE FROM ads.adresults WHERE (adid, channelid, resultdate) IN (SELECT r.adid, r.channelid, "
        "r.resultdate FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s "
        "AND r.resultdate = '2025-11-20' LIMIT 2)",
        (picks["other_campaign"],),
    )
    crm.execute(
        "UPDATE crm.leads SET status = 'converted' WHERE leadid = (SELECT min(leadid) FROM crm.leads "
        "WHERE campaignid = %s AND status <> 'converted')",
        (picks["campaign"],),
    )
    entry = runner.run_once(world.etl.n8n, world.etl.central)
    assert entry["status"] == "succeeded" and entry["read_in_full"] == []
    assert 0 < entry["rows_changed"]["ad_facts_daily"] <= 7
    world.raw = read_raw(ads, crm)
    for tool, arguments in QUESTIONS:
        check(world, tool, fill(arguments, picks))
