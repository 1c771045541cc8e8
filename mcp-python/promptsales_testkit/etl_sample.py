"""Small synthetic PromptAds/PromptCrm/PromptContent sources for the ETL tests and benchmark.

Used by the ETL tests and benchmark; tables follow the contract names (etl_world.CONTRACT_DDL).
Deterministic from `seed`; loaded with COPY so the benchmark measures the ETL, not this.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import psycopg

CHANNELS = ["Facebook", "Instagram", "TikTok", "LinkedIn", "Email", "SMS"]
MARKETS = [
    ("Costa Rica", "CR"),
    ("Mexico", "MX"),
    ("Colombia", "CO"),
    ("Spain", "ES"),
    ("Chile", "CL"),
    ("Peru", "PE"),
]


@dataclass
class SampleSize:
    campaigns: int = 40
    ads_per_campaign: int = 3
    days: int = 20
    clients_per_campaign: int = 12
    leads_per_campaign: int = 8
    images: int = 30


def load_sources(ads: psycopg.Connection, crm: psycopg.Connection, size: SampleSize, seed: int = 42) -> None:
    """Truncate and fill the ads and crm stand-in tables (contract names)."""
    rng = random.Random(seed)
    with ads.transaction():
        # TRUNCATE fires no change-log trigger: the logged rows are deleted first, as the generators' stand-in
        # loads do, so a reload is logged (the removal, then the COPYs below) and the ETL's deltas stay exact.
        ads.execute("DELETE FROM ads.adresults")
        ads.execute(
            "TRUNCATE ads.adresults, ads.ads, ads.campaignchannels, ads.campaignmarkets, ads.campaigns, "
            "ads.brands, ads.channels, ads.markets"
        )
        with ads.cursor() as cur:
            with cur.copy("COPY ads.brands (brandid, name) FROM STDIN") as cp:
                for b in range(1, 9):
                    cp.write_row((b, f"Brand {b}"))
            with cur.copy("COPY ads.channels (channelid, name, kind) FROM STDIN") as cp:
                for i, name in enumerate(CHANNELS, 1):
                    cp.write_row((i, name, "social"))
            with cur.copy("COPY ads.markets (marketid, name, countrycode) FROM STDIN") as cp:
                for i, (name, code) in enumerate(MARKETS, 1):
                    cp.write_row((i, name, code))
            campaigns, links_ch, links_mk, ad_rows, results = [], [], [], [], []
            ad_id = 0
            for cid in range(1, size.campaigns + 1):
                start = dt.date(2024, 7, 1) + dt.timedelta(days=rng.randrange(0, 540))
                end = start + dt.timedelta(days=size.days - 1)
                campaigns.append(
                    (
                        cid,
                        rng.randint(1, 8),
                        f"Campaign {cid}",
                        rng.choice(["active", "finished"]),
                        start,
                        end,
                        round(rng.uniform(1000, 50000), 2),
                    )
                )
                chans = rng.sample(range(1, len(CHANNELS) + 1), 3)
                mkts = rng.sample(range(1, len(MARKETS) + 1), 2)
                links_ch += [(cid, c) for c in chans]
                links_mk += [(cid, m) for m in mkts]
                for _ in range(size.ads_per_campaign):
                    ad_id += 1
                    channel = rng.choice(chans)
                    ad_rows.append(
                        (ad_id, cid, channel, rng.choice(mkts), f"img-{rng.randint(1, size.images):04d}")
                    )
                    for day in range(size.days):
                        reach = rng.randint(100, 5000)
                        views = reach + rng.randint(0, 2000)
                        interactions = rng.randint(5, 200)
                        sales = rng.randint(0, min(interactions, 20))
                        results.append(
                            (
                                ad_id,
                                channel,
                                start + dt.timedelta(days=day),
                                rng.randint(0, 500),
                                views,
                                interactions,
                                sales,
                                round(rng.uniform(0.5, 30), 2),
                                reach,
                                round(rng.uniform(5, 300), 2),
                                round(sales * rng.uniform(10, 80), 2),
                            )
                        )
            for sql_text, rows in [
                (
                    "COPY ads.campaigns (campaignid, brandid, name, status, startdate, enddate, budget) FROM STDIN",
                    campaigns,
                ),
                ("COPY ads.campaignchannels (campaignid, channelid) FROM STDIN", links_ch),
                ("COPY ads.campaignmarkets (campaignid, marketid) FROM STDIN", links_mk),
                ("COPY ads.ads (adid, campaignid, channelid, marketid, imagecode) FROM STDIN", ad_rows),
                (
                    (
                        "COPY ads.adresults (adid, channelid, resultdate, likes, views, interactions, sales, "
                        "exposurehours, audiencereached, cost, revenue) FROM STDIN"
                    ),
                    results,
                ),
            ]:
                with cur.copy(sql_text) as cp:
                    for row in rows:
                        cp.write_row(row)
    with crm.transaction():
        for table in ("crm.sales", "crm.leads", "crm.clientcampaigns"):
            crm.execute(f"DELETE FROM {table}")
        crm.execute("TRUNCATE crm.sales, crm.leads, crm.clientcampaigns, crm.clients")
        with crm.cursor() as cur:
            client_id, lead_id, sale_id = 0, 0, 0
            clients, links, leads, sales = [], [], [], []
            for cid in range(1, size.campaigns + 1):
                for _ in range(size.clients_per_campaign):
                    client_id += 1
                    clients.append((client_id, f"Client {client_id}"))
                    links.append((client_id, cid, dt.date(2025, 1, 1) + dt.timedelta(days=client_id % 90)))
                for _ in range(size.leads_per_campaign):
                    lead_id += 1
                    leads.append(
                        (
                            lead_id,
                            client_id,
                            cid,
                            "web",
                            rng.choice(["new", "converted"]),
                            dt.datetime(2025, 1, 1) + dt.timedelta(hours=lead_id),
                        )
                    )
                for _ in range(rng.randint(1, 6)):
                    sale_id += 1
                    sales.append(
                        (
                            sale_id,
                            client_id,
                            cid,
                            1,
                            1,
                            round(rng.uniform(10, 500), 2),
                            dt.date(2025, 1, 1) + dt.timedelta(days=sale_id % 300),
                        )
                    )
            for sql_text, rows in [
                ("COPY crm.clients (clientid, name) FROM STDIN", clients),
                ("COPY crm.clientcampaigns (clientid, campaignid, linkedat) FROM STDIN", links),
                (
                    "COPY crm.leads (leadid, clientid, campaignid, source, status, createdat) FROM STDIN",
                    leads,
                ),
                (
                    "COPY crm.sales (saleid, clientid, campaignid, channelid, marketid, amount, saledate) FROM STDIN",
                    sales,
                ),
            ]:
                with cur.copy(sql_text) as cp:
                    for row in rows:
                        cp.write_row(row)
    # Fresh statistics, as a loaded production database has: the delta reads are planned on them.
    for conn in (ads, crm):
        conn.execute("ANALYZE")


def load_images(db, size: SampleSize) -> None:
    """Replace the images collection with `size.images` image documents carrying code and updatedAt."""
    db.images.delete_many({})
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    db.images.insert_many(
        [
            {
                "code": f"img-{i:04d}",
                "description": f"Sample image {i}",
                "hashtags": [f"#tag{i % 5}"],
                "updatedAt": now - dt.timedelta(minutes=i),
            }
            for i in range(1, size.images + 1)
        ]
    )
