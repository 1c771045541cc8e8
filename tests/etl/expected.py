"""Independent expectations: the summaries recomputed in Python from raw source rows (no SQL GROUP BY)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import psycopg

VALID_RESULT = ("resultdate", "revenue", "cost", "sales", "views", "likes", "interactions", "audiencereached",
                "exposurehours")


def _zero() -> dict:
    return {"reach": 0, "views": 0, "likes": 0, "interactions": 0, "sales_count": 0,
            "revenue": Decimal(0), "cost": Decimal(0), "exposure_hours": Decimal(0)}


def expected_summaries(ads: psycopg.Connection, crm: psycopg.Connection) -> dict:
    """{'campaign': {id: {...}}, 'channel': {(id, name): {...}}, 'market': ..., 'month': ...}."""
    campaigns = {}
    for cid, name, brand, status, start, end, budget in ads.execute(
            "SELECT c.campaignid, c.name, b.name, c.status, c.startdate, c.enddate, c.budget "
            "FROM ads.campaigns c LEFT JOIN ads.brands b ON b.brandid = c.brandid").fetchall():
        if start is None or budget is None or budget < 0 or (end is not None and end < start):
            continue
        campaigns[cid] = {"campaign_name": name, "brand_name": brand, "status": status, "start_date": start,
                          "end_date": end, "budget": budget, **_zero(), "leads": 0, "clients": 0,
                          "channels": set(), "markets": set(), "content_used": set()}
    for cid, ch in ads.execute("SELECT cc.campaignid, c.name FROM ads.campaignchannels cc "
                               "JOIN ads.channels c ON c.channelid = cc.channelid").fetchall():
        if cid in campaigns:
            campaigns[cid]["channels"].add(ch)
    for cid, mk in ads.execute("SELECT cm.campaignid, m.name FROM ads.campaignmarkets cm "
                               "JOIN ads.markets m ON m.marketid = cm.marketid").fetchall():
        if cid in campaigns:
            campaigns[cid]["markets"].add(mk)
    channel_names = dict(ads.execute("SELECT channelid, name FROM ads.channels").fetchall())
    market_names = dict(ads.execute("SELECT marketid, name FROM ads.markets").fetchall())
    ad_info = {}
    for ad_id, cid, market_id, code in ads.execute(
            "SELECT adid, campaignid, marketid, imagecode FROM ads.ads").fetchall():
        ad_info[ad_id] = (cid, market_id)
        if cid in campaigns and code is not None:
            campaigns[cid]["content_used"].add(code)
    channel, market, month = defaultdict(_zero), defaultdict(_zero), defaultdict(_zero)
    for row in ads.execute(
            "SELECT adid, channelid, resultdate, audiencereached, views, likes, interactions, sales, revenue, "
            "cost, exposurehours FROM ads.adresults").fetchall():
        ad_id, ch_id, day, reach, views, likes, inter, sales, revenue, cost, hours = row
        values = (day, reach, views, likes, inter, sales, revenue, cost, hours)
        if any(v is None for v in values) or any(v < 0 for v in values[1:]):
            continue
        cid, market_id = ad_info[ad_id]
        if cid not in campaigns:
            continue
        for target in (campaigns[cid], channel[(cid, channel_names[ch_id])],
                       market[(cid, market_names[market_id])], month[(cid, day.replace(day=1))]):
            target["reach"] += reach
            target["views"] += views
            target["likes"] += likes
            target["interactions"] += inter
            target["sales_count"] += sales
            target["revenue"] += revenue
            target["cost"] += cost
            target["exposure_hours"] += hours
    for cid, created in crm.execute("SELECT campaignid, createdat FROM crm.leads").fetchall():
        if cid in campaigns and created is not None:
            campaigns[cid]["leads"] += 1
    clients = defaultdict(set)
    for client_id, cid in crm.execute("SELECT clientid, campaignid FROM crm.clientcampaigns").fetchall():
        clients[cid].add(client_id)
    for cid, members in clients.items():
        if cid in campaigns:
            campaigns[cid]["clients"] = len(members)
    for c in list(channel.values()) + list(market.values()) + list(month.values()):
        del c["exposure_hours"]
    return {"campaign": campaigns, "channel": dict(channel), "market": dict(market), "month": dict(month)}


def actual_summaries(central: psycopg.Connection) -> dict:
    campaigns = {}
    for row in central.execute(
            "SELECT campaign_id, campaign_name, brand_name, status, start_date, end_date, budget, reach, views, "
            "likes, interactions, sales_count, revenue, cost, exposure_hours, leads, clients, channels, markets, "
            "content_used FROM analytics.campaign_summary").fetchall():
        (cid, name, brand, status, start, end, budget, reach, views, likes, inter, sales, revenue, cost, hours,
         leads, clients, channels, markets, content) = row
        campaigns[cid] = {"campaign_name": name, "brand_name": brand, "status": status, "start_date": start,
                          "end_date": end, "budget": budget, "reach": reach, "views": views, "likes": likes,
                          "interactions": inter, "sales_count": sales, "revenue": revenue, "cost": cost,
                          "exposure_hours": hours, "leads": leads, "clients": clients,
                          "channels": set(channels), "markets": set(markets), "content_used": set(content)}
    out = {"campaign": campaigns}
    for kind, column in [("channel", "channel_name"), ("market", "market_name"), ("month", "month")]:
        out[kind] = {
            (cid, key): {"reach": reach, "views": views, "likes": likes, "interactions": inter,
                         "sales_count": sales, "revenue": revenue, "cost": cost}
            for cid, key, reach, views, likes, inter, sales, revenue, cost in central.execute(
                f"SELECT campaign_id, {column}, reach, views, likes, interactions, sales_count, revenue, cost "
                f"FROM analytics.campaign_{kind}_summary").fetchall()}
    return out


def derived_problems(central: psycopg.Connection) -> list:
    """Rows whose derived columns disagree with the formulas in the contract."""
    return central.execute(
        "SELECT campaign_id FROM analytics.campaign_summary WHERE reactions <> likes + interactions "
        "OR roi IS DISTINCT FROM CASE WHEN cost > 0 THEN round((revenue - cost) / cost, 4) END "
        "OR conversion_rate IS DISTINCT FROM CASE WHEN reach > 0 THEN round(sales_count::numeric / reach, 6) END "
        "OR success_rate IS DISTINCT FROM CASE WHEN leads > 0 THEN round(sales_count::numeric / leads, 6) END"
    ).fetchall()
