"""Daily activity of every ad: results (a funnel), social sentiment and influencer reactions.

A share of social ads meets a backlash on some day (an "incident"): from then on one kind of negative
mention floods in and reach, likes and influencer reactions fall. PA6 finds exactly these.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from promptsales.generators.ads import catalog
from promptsales.generators.ads.tables import Table

INCIDENT_SHARE = 0.10  # of the social ads long enough to compare a week before and after
COMPARISON_DAYS = 7
PEAK_DEMAND = 1.3  # more reach per ad in the peak months
LIKE_TO_INTERACTION = 0.02  # comments, shares and clicks per view, on top of likes
INTERACTION_TO_SALE = 0.015


def _by_channel(position: int, dtype=float) -> np.ndarray:
    values = np.zeros(max(c[0] for c in catalog.CHANNELS) + 1, dtype=dtype)
    for channel in catalog.CHANNELS:
        values[channel[0]] = channel[position]
    return values


def daily_activity(
    rng: np.random.Generator, campaigns: Table, ads: Table, influencers: Table, reference: date
) -> dict[str, Table]:
    ad_ids = np.asarray(ads.columns["AdId"])
    ad_campaign = np.asarray(ads.columns["CampaignId"])
    ad_channel = np.asarray(ads.columns["ChannelId"])
    price_cents = np.round(np.asarray(ads.columns["UnitPrice"]) * 100).astype(np.int64)
    start = np.asarray(campaigns.columns["StartDate"])[ad_campaign - 1]
    last_day = np.minimum(np.asarray(campaigns.columns["EndDate"]), np.datetime64(reference, "D") - 1)
    days = (last_day[ad_campaign - 1] - start).astype(int) + 1

    is_social = _by_channel(3, bool)[ad_channel]
    eligible = is_social & (days >= 2 * COMPARISON_DAYS + 1)
    incident = eligible & (rng.random(len(ad_ids)) < INCIDENT_SHARE)
    latest_offset = np.maximum(days - COMPARISON_DAYS, COMPARISON_DAYS + 1)
    incident_offset = np.where(incident, rng.integers(COMPARISON_DAYS, latest_offset), np.iinfo(np.int32).max)
    incident_drop = rng.uniform(0.35, 0.65, len(ad_ids))
    incident_kind = rng.choice(catalog.NEGATIVE_KINDS, len(ad_ids))
    campaign_scale = rng.lognormal(0.0, 0.4, int(ad_campaign.max()) + 1)
    ad_scale = campaign_scale[ad_campaign] * rng.lognormal(0.0, 0.25, len(ad_ids))

    # One row per ad and day: index arrays built once, every measure computed column-wise.
    row_ad = np.repeat(np.arange(len(ad_ids)), days)
    first_row = np.repeat(np.cumsum(days) - days, days)
    offset = np.arange(len(row_ad)) - first_row
    row_date = start[row_ad] + offset.astype("timedelta64[D]")
    months = row_date.astype("datetime64[M]").astype(int) % 12 + 1
    after_incident = offset >= incident_offset[row_ad]
    damping = np.where(after_incident, incident_drop[row_ad], 1.0)
    channel = ad_channel[row_ad]
    demand = (
        _by_channel(5)[channel]
        * ad_scale[row_ad]
        * damping
        * np.where(np.isin(months, catalog.PEAK_MONTHS), PEAK_DEMAND, 1.0)
    )
    reach = rng.poisson(demand) + 10
    views = reach + rng.poisson(reach * 0.5)
    likes = rng.binomial(views, _by_channel(6)[channel] * damping)
    interactions = likes + rng.binomial(views, LIKE_TO_INTERACTION)
    sales = rng.binomial(interactions, INTERACTION_TO_SALE)
    cost = np.round(reach * _by_channel(7)[channel] / 1000 + 0.25, 2)
    revenue = sales * price_cents[row_ad] / 100  # exact cents: revenue = sales x unit price
    exposure = np.round(views * _by_channel(8)[channel] / 3600, 2)
    results = Table(
        {
            "AdId": ad_ids[row_ad],
            "ChannelId": channel,
            "ResultDate": row_date,
            "Likes": likes,
            "Views": views,
            "Interactions": interactions,
            "Sales": sales,
            "ExposureHours": exposure,
            "AudienceReached": reach,
            "Cost": cost,
            "Revenue": revenue,
        }
    )

    social_rows = np.flatnonzero(is_social[row_ad])
    sentiment = _sentiment(
        rng, social_rows, ad_ids[row_ad], channel, row_date, reach, after_incident, incident_kind[row_ad]
    )
    reactions = _influencer_reactions(
        rng, influencers, row_ad, ad_ids, ad_channel, row_date, ad_scale, damping
    )
    return {"AdResults": results, "AdSentiment": sentiment, "InfluencerReactions": reactions}


def _sentiment(
    rng: np.random.Generator,
    rows: np.ndarray,
    row_ad_id: np.ndarray,
    channel: np.ndarray,
    row_date: np.ndarray,
    reach: np.ndarray,
    after_incident: np.ndarray,
    kind: np.ndarray,
) -> Table:
    parts = []
    for kind_id, per_reach in ((catalog.POSITIVE_KIND, 0.004), (catalog.NEUTRAL_KIND, 0.006)):
        parts.append((rows, np.full(len(rows), kind_id), rng.poisson(reach[rows] * per_reach) + 1))
    flooded = rows[after_incident[rows]]
    parts.append((flooded, kind[flooded], rng.poisson(40, len(flooded)) + 5))
    # Everyday grumbling: a few negative mentions now and then, with no drop behind them.
    calm = rows[~after_incident[rows]]
    grumbling = calm[rng.random(len(calm)) < 0.02]
    parts.append(
        (grumbling, rng.choice(catalog.NEGATIVE_KINDS, len(grumbling)), rng.poisson(2, len(grumbling)) + 1)
    )
    picked = np.concatenate([p[0] for p in parts])
    return Table(
        {
            "AdId": row_ad_id[picked],
            "ChannelId": channel[picked],
            "SentimentDate": row_date[picked],
            "SentimentKindId": np.concatenate([p[1] for p in parts]),
            "Mentions": np.concatenate([p[2] for p in parts]),
        }
    )


def _influencer_reactions(
    rng: np.random.Generator,
    influencers: Table,
    row_ad: np.ndarray,
    ad_ids: np.ndarray,
    ad_channel: np.ndarray,
    row_date: np.ndarray,
    ad_scale: np.ndarray,
    damping: np.ndarray,
) -> Table:
    influencer_ids = np.asarray(influencers.columns["InfluencerId"])
    influencer_channel = np.asarray(influencers.columns["ChannelId"])
    followers = np.zeros(influencer_ids.max() + 1)
    followers[influencer_ids] = influencers.columns["Followers"]
    pair_ad, pair_influencer = [], []
    for ad_index in np.flatnonzero(np.isin(ad_channel, catalog.INFLUENCER_CHANNEL_IDS)):
        pool = influencer_ids[influencer_channel == ad_channel[ad_index]]
        chosen = rng.choice(pool, int(rng.integers(1, 4)), replace=False)
        pair_ad += [ad_index] * len(chosen)
        pair_influencer += chosen.tolist()
    pair_ad_arr, pair_influencer_arr = np.array(pair_ad, dtype=int), np.array(pair_influencer, dtype=int)
    # Rows of each ad are contiguous in row_ad: expand every (ad, influencer) pair over the ad's days.
    ad_first = np.searchsorted(row_ad, pair_ad_arr, side="left")
    ad_days = np.searchsorted(row_ad, pair_ad_arr, side="right") - ad_first
    pair_index = np.repeat(np.arange(len(pair_ad_arr)), ad_days)
    rows = np.repeat(ad_first, ad_days) + (
        np.arange(len(pair_index)) - np.repeat(np.cumsum(ad_days) - ad_days, ad_days)
    )
    influencer = pair_influencer_arr[pair_index]
    expected = followers[influencer] * 0.0015 * ad_scale[row_ad[rows]] * damping[rows]
    return Table(
        {
            "AdId": ad_ids[row_ad[rows]],
            "InfluencerId": influencer,
            "ReactionDate": row_date[rows],
            "Reactions": rng.poisson(expected),
        }
    )
