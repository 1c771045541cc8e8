"""The generated PromptAds world: every table as columns, built with numpy from one seed.

Per-row work is vectorized (results, sentiment and reactions are built with np.repeat over ad-days);
only the small per-campaign choices (which channels, markets, ads) loop in Python.
"""

from __future__ import annotations

import numpy as np
from faker import Faker
from promptsales.generators.ads import catalog
from promptsales.generators.ads.activity import daily_activity
from promptsales.generators.ads.calendar import campaign_dates, check_reference_date
from promptsales.generators.ads.tables import COLUMNS, Table
from promptsales.generators.options import SeedOptions

BRANDS_PER_CAMPAIGN = 1 / 15  # about 67 brands for 1,000 campaigns, so each brand runs several campaigns
MAX_CAMPAIGNS = 20_000  # beyond this the local stand-in holds millions of daily rows; use SQL Server


def check_options(options: SeedOptions) -> None:
    """Reject what this world cannot honour, before anything is generated or deleted."""
    if options.campaigns > MAX_CAMPAIGNS:
        raise ValueError(
            f"--campaigns {options.campaigns:,} is more than the PromptAds generator makes "
            f"({MAX_CAMPAIGNS:,}); PA3 asks for at least 1,000"
        )
    if options.campaigns < 4:
        raise ValueError(
            f"--campaigns must be at least 4 so the 30% active / 70% finished split "
            f"holds (got {options.campaigns})"
        )
    check_reference_date(options.reference_date)


def generate(options: SeedOptions) -> dict[str, Table]:
    check_options(options)
    rng = np.random.default_rng(options.seed)
    faker = Faker()
    faker.seed_instance(options.seed)
    tables = {
        "Channels": _rows_table("Channels", [c[:4] for c in catalog.CHANNELS]),
        "Markets": _rows_table("Markets", catalog.MARKETS),
        "SentimentKinds": _rows_table("SentimentKinds", catalog.SENTIMENT_KINDS),
    }
    tables["Brands"] = _brands(rng, faker, max(3, round(options.campaigns * BRANDS_PER_CAMPAIGN)))
    tables["Influencers"] = _influencers(rng, faker)
    campaigns, links, ads = _campaigns_and_ads(rng, options, len(tables["Brands"]))
    tables["Campaigns"] = campaigns
    tables.update(links)
    tables["Ads"] = ads
    tables.update(daily_activity(rng, campaigns, ads, tables["Influencers"], options.reference_date))
    return {name: tables[name] for name in COLUMNS}


def _rows_table(name: str, rows: list[tuple]) -> Table:
    return Table({column: [row[i] for row in rows] for i, column in enumerate(COLUMNS[name])})


def _brands(rng: np.random.Generator, faker: Faker, count: int) -> Table:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = faker.company()
        if name not in seen:
            seen.add(name)
            names.append(name)
    industries = rng.choice(catalog.INDUSTRIES, count)
    return Table({"BrandId": list(range(1, count + 1)), "Name": names, "Industry": industries.tolist()})


def _influencers(rng: np.random.Generator, faker: Faker) -> Table:
    handles: list[str] = []
    channel_ids: list[int] = []
    for channel_id in catalog.INFLUENCER_CHANNEL_IDS:
        for _ in range(30):
            handles.append(f"@{faker.unique.user_name()}")
            channel_ids.append(channel_id)
    count = len(handles)
    followers = np.round(rng.lognormal(11.0, 1.0, count)).astype(int) + 5_000
    return Table(
        {
            "InfluencerId": list(range(1, count + 1)),
            "Handle": handles,
            "ChannelId": channel_ids,
            "Followers": followers.tolist(),
            "Niche": rng.choice(catalog.INFLUENCER_NICHES, count).tolist(),
        }
    )


def _campaigns_and_ads(
    rng: np.random.Generator, options: SeedOptions, brands: int
) -> tuple[Table, dict[str, Table], Table]:
    n = options.campaigns
    start, end = campaign_dates(rng, n, options.reference_date)
    order = np.argsort(start, kind="stable")  # campaign ids grow with time, as they would in production
    start, end = start[order], end[order]
    reference = np.datetime64(options.reference_date, "D")
    status = np.where(end >= reference, "active", "finished")
    brand_ids = rng.integers(1, brands + 1, n)
    themes = rng.choice(catalog.THEMES, n)
    years = start.astype("datetime64[Y]").astype(int) + 1970
    budget = np.round(rng.lognormal(10.5, 0.7, n) + 1_000, 2)
    names = [f"{theme} {year} #{i + 1}" for i, (theme, year) in enumerate(zip(themes, years))]
    campaign_ids = np.arange(1, n + 1)
    campaigns = Table(
        {
            "CampaignId": campaign_ids.tolist(),
            "BrandId": brand_ids.tolist(),
            "Name": names,
            "Status": status.tolist(),
            "StartDate": start,
            "EndDate": end,
            "Budget": budget.tolist(),
        }
    )

    channel_ids = np.array([c[0] for c in catalog.CHANNELS])
    utm_tokens = {c[0]: c[4] for c in catalog.CHANNELS}
    market_ids = np.array([m[0] for m in catalog.MARKETS])
    unit_price = np.round(rng.lognormal(3.3, 0.8, n) + 1, 2)
    cc_campaign, cc_channel, cm_campaign, cm_market = [], [], [], []
    ad_campaign, ad_channel, ad_market = [], [], []
    for campaign_id in campaign_ids:
        chosen_channels = rng.choice(channel_ids, rng.integers(2, 6), replace=False)
        chosen_markets = rng.choice(market_ids, rng.integers(1, 5), replace=False)
        ads = max(len(chosen_channels), len(chosen_markets), int(rng.integers(3, 9)))
        cc_campaign += [campaign_id] * len(chosen_channels)
        cc_channel += chosen_channels.tolist()
        cm_campaign += [campaign_id] * len(chosen_markets)
        cm_market += chosen_markets.tolist()
        # Every linked channel and market gets at least one ad, so every campaign has results in each.
        ad_campaign += [campaign_id] * ads
        ad_channel += np.resize(chosen_channels, ads).tolist()
        ad_market += np.resize(rng.permutation(chosen_markets), ads).tolist()
    links = {
        "CampaignChannels": Table({"CampaignId": cc_campaign, "ChannelId": cc_channel}),
        "CampaignMarkets": Table({"CampaignId": cm_campaign, "MarketId": cm_market}),
    }
    total = len(ad_campaign)
    ad_campaign_arr = np.array(ad_campaign)
    images = rng.integers(1, options.images + 1, total)
    image_codes = [
        None if ch in catalog.TEXT_ONLY_CHANNEL_IDS else f"img-{img:04d}"
        for ch, img in zip(ad_channel, images.tolist())
    ]
    titles = [f"{themes[c - 1]} {fmt}" for c, fmt in zip(ad_campaign, rng.choice(catalog.AD_FORMATS, total))]
    # Hand-typed utm_source: stray leading spaces and mixed case, what PA5's LTRIM/LOWER cleans up.
    styles = rng.integers(0, 4, total)
    pads = rng.integers(0, 3, total)
    utm = []
    for ch, style, pad in zip(ad_channel, styles.tolist(), pads.tolist()):
        token = utm_tokens[ch]
        token = (token, token.upper(), token.capitalize(), token)[style]
        utm.append(" " * pad + token)
    ads_table = Table(
        {
            "AdId": list(range(1, total + 1)),
            "CampaignId": ad_campaign,
            "ChannelId": ad_channel,
            "MarketId": ad_market,
            "Title": titles,
            "ImageCode": image_codes,
            "UtmSource": utm,
            "UnitPrice": unit_price[ad_campaign_arr - 1].tolist(),
        }
    )
    return campaigns, links, ads_table
