"""Deterministic campaign facts for the sales tests and benchmarks, written straight into the analytics tables.

The real facts and summaries come from the ETL (tested on its own against the raw source rows); the sales
server only reads them, so its tests and benchmarks fill a throwaway database with figures generated here
from a seed. Figures are drawn per (channel, market, day) cell and per CRM day, then summed upwards into
the monthly roll-ups, the campaign summaries and the breakdowns, as the ETL derives them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg

CHANNELS = ["TikTok", "Instagram", "Facebook", "YouTube", "X", "LinkedIn", "Google Ads"]
MARKETS = ["Costa Rica", "Mexico", "Colombia", "Chile", "Peru", "Spain", "United States", "Brazil"]
BRANDS = [
    "Aurora Foods",
    "Brisa Telecom",
    "Cafe Volcan",
    "Delta Sports",
    "Estrella Beauty",
    "Fenix Motors",
    "Gaia Home",
    "Horizonte Travel",
    "Iris Fashion",
    "Jade Electronics",
    "Kai Pets",
    "Luna Bank",
]
THEMES = [
    "Holiday Glow",
    "Summer Splash",
    "Back to School",
    "New Year Reset",
    "Spring Bloom",
    "Black Friday",
    "Launch Wave",
    "Loyalty Boost",
    "Flash Deals",
    "Green Week",
    "Family Days",
    "Night Sale",
]
METRIC_COLUMNS = (
    "reach",
    "views",
    "likes",
    "interactions",
    "sales_count",
    "revenue",
    "cost",
    "exposure_hours",
)
CRM_COLUMNS = ("leads", "converted_leads", "clients")
MONEY = ("revenue", "cost", "exposure_hours")


@dataclass
class Campaign:
    campaign_id: int
    name: str
    brand: str
    status: str
    start_date: date
    end_date: date
    budget: float
    content_used: list[str]
    # (channel, market, day) -> metric -> value (METRIC_COLUMNS)
    cells: dict[tuple[str, str, date], dict[str, float]] = field(default_factory=dict)
    # day -> leads, converted_leads, clients
    crm_days: dict[date, dict[str, int]] = field(default_factory=dict)

    def totals(self, by: int | None = None) -> dict:
        """Sum of the cells, overall (by=None) or per channel (0), market (1) or month (2)."""
        sums: dict = defaultdict(lambda: dict.fromkeys(METRIC_COLUMNS, 0))
        for (channel, market, day), values in self.cells.items():
            group = None if by is None else (channel, market, day.replace(day=1))[by]
            for metric, value in values.items():
                sums[group][metric] += value
        rounded = {g: {k: round(v, 2) for k, v in m.items()} for g, m in sums.items()}
        return rounded[None] if by is None else rounded

    def crm_totals(self) -> dict[str, int]:
        return {c: sum(day[c] for day in self.crm_days.values()) for c in CRM_COLUMNS}


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def generate(count: int, seed: int = 42, first_id: int = 1) -> list[Campaign]:
    """`count` campaigns of 14-120 days, each on 1-3 channels x 1-2 markets with results every day."""
    rng = random.Random(seed)
    campaigns = []
    for offset in range(count):
        campaign_id = first_id + offset
        brand = rng.choice(BRANDS)
        start = date(2024, 7, 1) + timedelta(days=rng.randrange(0, 560))
        end = start + timedelta(days=rng.randrange(14, 120))
        campaign = Campaign(
            campaign_id=campaign_id,
            name=f"{rng.choice(THEMES)} {brand.split()[0]} #{campaign_id:05d}",
            brand=brand,
            status="active" if rng.random() < 0.3 else "finished",
            start_date=start,
            end_date=end,
            budget=round(rng.uniform(5_000, 200_000), 2),
            content_used=sorted({f"img-{rng.randrange(1, 101):04d}" for _ in range(rng.randrange(1, 5))}),
        )
        days = _days(start, end)
        for channel in rng.sample(CHANNELS, rng.randrange(1, 4)):
            for market in rng.sample(MARKETS, rng.randrange(1, 3)):
                for day in days:
                    reach = rng.randrange(30, 1_700)
                    interactions = rng.randrange(1, max(2, reach // 20))
                    sales = rng.randrange(0, max(1, interactions // 3))
                    campaign.cells[(channel, market, day)] = {
                        "reach": reach,
                        "views": reach * rng.randrange(1, 4),
                        "likes": rng.randrange(0, reach // 10 + 1),
                        "interactions": interactions,
                        "sales_count": sales,
                        "revenue": round(sales * rng.uniform(10, 90), 2),
                        "cost": round(rng.uniform(7, 130), 2),
                        "exposure_hours": round(rng.uniform(0.5, 40), 2),
                    }
        if rng.random() > 0.05:
            for day in days[:: max(1, len(days) // 10)]:
                leads = rng.randrange(1, 40)
                campaign.crm_days[day] = {
                    "leads": leads,
                    "converted_leads": rng.randrange(0, leads + 1),
                    "clients": rng.randrange(0, 60),
                }
        campaigns.append(campaign)
    return campaigns


def load(conn: psycopg.Connection, campaigns: list[Campaign]) -> None:
    """Replace the facts, summaries and breakdowns with these campaigns' (the triggers derive reactions, ROI
    and the rates of the summaries)."""
    channel_ids = {name: i for i, name in enumerate(sorted({k[0] for c in campaigns for k in c.cells}), 1)}
    market_ids = {name: i for i, name in enumerate(sorted({k[1] for c in campaigns for k in c.cells}), 1)}
    with conn.transaction():
        conn.execute(
            "TRUNCATE analytics.campaign_summary, analytics.ad_facts_daily, analytics.ad_facts_monthly, "
            "analytics.ad_facts_dekad, "
            "analytics.crm_facts_daily, analytics.crm_facts_monthly, analytics.dimension_names CASCADE"
        )
        with conn.cursor().copy("COPY analytics.dimension_names (kind, id, name) FROM STDIN") as copy:
            for kind, ids in (("channel", channel_ids), ("market", market_ids)):
                for name, dimension_id in ids.items():
                    copy.write_row((kind, dimension_id, name))
        _copy_ad_facts(conn, campaigns, channel_ids, market_ids)
        _copy_crm_facts(conn, campaigns)
        with conn.cursor().copy(
            "COPY analytics.campaign_summary (campaign_id, ads_campaign_id, campaign_name, brand_name, status, "
            "start_date, end_date, budget, reach, views, likes, interactions, exposure_hours, leads, "
            "converted_leads, clients, sales_count, revenue, cost, channels, markets, content_used, "
            "last_source_change) FROM STDIN"
        ) as copy:
            for c in campaigns:
                t, k = c.totals(), c.crm_totals()
                copy.write_row(
                    (
                        c.campaign_id,
                        c.campaign_id,
                        c.name,
                        c.brand,
                        c.status,
                        c.start_date,
                        c.end_date,
                        c.budget,
                        t["reach"],
                        t["views"],
                        t["likes"],
                        t["interactions"],
                        t["exposure_hours"],
                        k["leads"],
                        k["converted_leads"],
                        k["clients"],
                        t["sales_count"],
                        t["revenue"],
                        t["cost"],
                        sorted(c.totals(0)),
                        sorted(c.totals(1)),
                        c.content_used,
                        c.end_date,
                    )
                )
        breakdown_columns = ("reach", "views", "likes", "interactions", "sales_count", "revenue", "cost")
        for by, table, key in (
            (0, "campaign_channel_summary", "channel_name"),
            (1, "campaign_market_summary", "market_name"),
            (2, "campaign_month_summary", "month"),
        ):
            with conn.cursor().copy(
                f"COPY analytics.{table} (campaign_id, {key}, {', '.join(breakdown_columns)}) FROM STDIN"
            ) as copy:
                for c in campaigns:
                    for group, t in c.totals(by).items():
                        copy.write_row((c.campaign_id, group, *(t[m] for m in breakdown_columns)))


def _copy_ad_facts(
    conn: psycopg.Connection,
    campaigns: list[Campaign],
    channel_ids: dict[str, int],
    market_ids: dict[str, int],
) -> None:
    columns = (
        "campaign_id, channel_id, market_id, {key}, results, reach, views, likes, interactions, sales, "
        "exposure_hours, cost, revenue"
    )
    rollups: dict[str, dict[tuple, list]] = {"month": {}, "dekad": {}}
    with conn.cursor().copy(
        f"COPY analytics.ad_facts_daily ({columns.format(key='day')}) FROM STDIN"
    ) as copy:
        for c in campaigns:
            for (channel, market, day), v in c.cells.items():
                row = [
                    1,
                    v["reach"],
                    v["views"],
                    v["likes"],
                    v["interactions"],
                    v["sales_count"],
                    v["exposure_hours"],
                    v["cost"],
                    v["revenue"],
                ]
                key = (c.campaign_id, channel_ids[channel], market_ids[market])
                copy.write_row((*key, day, *row))
                dekad = day.replace(day=21 if day.day >= 21 else 11 if day.day >= 11 else 1)
                for rollup, start in (("month", day.replace(day=1)), ("dekad", dekad)):
                    cell = rollups[rollup].setdefault((*key, start), [0] * len(row))
                    for i, value in enumerate(row):
                        cell[i] += value
    for rollup, table in (("month", "ad_facts_monthly"), ("dekad", "ad_facts_dekad")):
        with conn.cursor().copy(f"COPY analytics.{table} ({columns.format(key=rollup)}) FROM STDIN") as copy:
            for key, row in rollups[rollup].items():
                copy.write_row((*key, *(round(v, 2) for v in row)))


def _copy_crm_facts(conn: psycopg.Connection, campaigns: list[Campaign]) -> None:
    columns = "campaign_id, {key}, leads, converted_leads, clients, sales_count, sales_amount"
    monthly: dict[tuple, list] = {}
    with conn.cursor().copy(
        f"COPY analytics.crm_facts_daily ({columns.format(key='day')}) FROM STDIN"
    ) as copy:
        for c in campaigns:
            for day, v in c.crm_days.items():
                row = [v["leads"], v["converted_leads"], v["clients"]]
                copy.write_row((c.campaign_id, day, *row, 0, 0))
                month = monthly.setdefault((c.campaign_id, day.replace(day=1)), [0, 0, 0])
                for i, value in enumerate(row):
                    month[i] += value
    with conn.cursor().copy(
        f"COPY analytics.crm_facts_monthly ({columns.format(key='month')}) FROM STDIN"
    ) as copy:
        for key, row in monthly.items():
            copy.write_row((*key, *row, 0, 0))
