"""Deterministic campaign summaries for the sales tests and benchmarks, written straight into the analytics tables.

The real summaries come from the ETL (tested on its own); the sales server only reads them, so its tests
and benchmarks fill a throwaway database with figures generated here from a seed. Figures are drawn per
(channel, market, month) cell and summed upwards, so the campaign totals equal the sum of each breakdown,
as they do after an ETL run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg

CHANNELS = ["TikTok", "Instagram", "Facebook", "YouTube", "X", "LinkedIn", "Google Ads"]
MARKETS = ["Costa Rica", "Mexico", "Colombia", "Chile", "Peru", "Spain", "United States", "Brazil"]
BRANDS = ["Aurora Foods", "Brisa Telecom", "Cafe Volcan", "Delta Sports", "Estrella Beauty", "Fenix Motors",
          "Gaia Home", "Horizonte Travel", "Iris Fashion", "Jade Electronics", "Kai Pets", "Luna Bank"]
THEMES = ["Holiday Glow", "Summer Splash", "Back to School", "New Year Reset", "Spring Bloom", "Black Friday",
          "Launch Wave", "Loyalty Boost", "Flash Deals", "Green Week", "Family Days", "Night Sale"]
METRIC_COLUMNS = ("reach", "views", "likes", "interactions", "sales_count", "revenue", "cost")


@dataclass
class Campaign:
    campaign_id: int
    name: str
    brand: str
    status: str
    start_date: date
    end_date: date
    budget: float
    leads: int
    clients: int
    exposure_hours: float
    content_used: list[str]
    # (channel, market, month) -> metric -> value
    cells: dict[tuple[str, str, date], dict[str, float]] = field(default_factory=dict)

    def totals(self, by: int | None = None) -> dict:
        """Sum of the cells, overall (by=None) or per channel (0), market (1) or month (2)."""
        sums: dict = defaultdict(lambda: dict.fromkeys(METRIC_COLUMNS, 0))
        for key, values in self.cells.items():
            group = None if by is None else key[by]
            for metric, value in values.items():
                sums[group][metric] += value
        if by is None:
            return {k: round(v, 2) for k, v in sums[None].items()}
        return {g: {k: round(v, 2) for k, v in m.items()} for g, m in sums.items()}


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def generate(count: int, seed: int = 42, first_id: int = 1) -> list[Campaign]:
    rng = random.Random(seed)
    campaigns = []
    for offset in range(count):
        campaign_id = first_id + offset
        brand = rng.choice(BRANDS)
        start = date(2024, 7, 1) + timedelta(days=rng.randrange(0, 560))
        end = start + timedelta(days=rng.randrange(14, 120))
        campaign = Campaign(
            campaign_id=campaign_id, name=f"{rng.choice(THEMES)} {brand.split()[0]} #{campaign_id:05d}",
            brand=brand, status="active" if rng.random() < 0.3 else "finished", start_date=start, end_date=end,
            budget=round(rng.uniform(5_000, 200_000), 2), leads=0, clients=rng.randrange(400, 1001),
            exposure_hours=round(rng.uniform(50, 5_000), 2),
            content_used=sorted({f"img-{rng.randrange(1, 101):04d}" for _ in range(rng.randrange(1, 5))}))
        for channel in rng.sample(CHANNELS, rng.randrange(1, 4)):
            for market in rng.sample(MARKETS, rng.randrange(1, 3)):
                for month in months_between(start, end):
                    reach = rng.randrange(1_000, 50_000)
                    sales = rng.randrange(0, max(1, reach // 200))
                    campaign.cells[(channel, market, month)] = {
                        "reach": reach, "views": reach * rng.randrange(1, 4), "likes": rng.randrange(0, reach // 10),
                        "interactions": rng.randrange(0, reach // 20), "sales_count": sales,
                        "revenue": round(sales * rng.uniform(10, 90), 2), "cost": round(rng.uniform(200, 4_000), 2)}
        campaign.leads = int(campaign.totals()["sales_count"] * rng.uniform(1.2, 4)) if rng.random() > 0.05 else 0
        campaigns.append(campaign)
    return campaigns


def load(conn: psycopg.Connection, campaigns: list[Campaign]) -> None:
    """Replace the summaries with these campaigns (the triggers derive reactions, ROI and the rates)."""
    with conn.transaction():
        conn.execute("TRUNCATE analytics.campaign_summary CASCADE")
        with conn.cursor().copy(
                "COPY analytics.campaign_summary (campaign_id, ads_campaign_id, campaign_name, brand_name, status, "
                "start_date, end_date, budget, reach, views, likes, interactions, exposure_hours, leads, clients, "
                "sales_count, revenue, cost, channels, markets, content_used, last_source_change) FROM STDIN") as copy:
            for c in campaigns:
                t = c.totals()
                copy.write_row((c.campaign_id, c.campaign_id, c.name, c.brand, c.status, c.start_date, c.end_date,
                                c.budget, t["reach"], t["views"], t["likes"], t["interactions"], c.exposure_hours,
                                c.leads, c.clients, t["sales_count"], t["revenue"], t["cost"],
                                sorted(c.totals(0)), sorted(c.totals(1)), c.content_used, c.end_date))
        for by, table, key in ((0, "campaign_channel_summary", "channel_name"),
                               (1, "campaign_market_summary", "market_name"),
                               (2, "campaign_month_summary", "month")):
            with conn.cursor().copy(
                    f"COPY analytics.{table} (campaign_id, {key}, reach, views, likes, interactions, sales_count, "
                    f"revenue, cost) FROM STDIN") as copy:
                for c in campaigns:
                    for group, t in c.totals(by).items():
                        copy.write_row((c.campaign_id, group, *(t[m] for m in METRIC_COLUMNS)))
