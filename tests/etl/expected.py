"""Independent expectations: the summaries recomputed in Python from raw source rows (no SQL GROUP BY)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import psycopg

VALID_RESULT = (
    "resultdate",
    "revenue",
    "cost",
    "sales",
    "views",
    "likes",
    "interactions",
    "audiencereached",
    "exposurehours",
)


def _zero() -> dict:
    return {
        "reach": 0,
        "views": 0,
        "likes": 0,
        "interactions": 0,
        "sales_count": 0,
        "revenue": Decimal(0),
        "cost": Decimal(0),
        "exposure_hours": Decimal(0),
    }


def expected_summaries(ads: psycopg.Connection, crm: psycopg.Connection) -> dict:
    """{'campaign': {id: {...}}, 'channel': {(id, name): {...}}, 'market': ..., 'month': ...}."""
    campaigns = {}
    for cid, name, brand, status, start, end, budget in ads.execute(
        "SELECT c.campaignid, c.name, b.name, c.status, c.startdate, c.enddate, c.budget "
        "FROM ads.campaigns c LEFT JOIN ads.brands b ON b.brandid = c.brandid"
    ).fetchall():
        if start is None or budget is None or budget < 0 or (end is not None and end < start):
            continue
        campaigns[cid] = {
            "campaign_name": name,
            "brand_name": brand,
            "status": status,
            "start_date": start,
            "end_date": end,
            "budget": budget,
            **_zero(),
            "leads": 0,
            "converted_leads": 0,
            "clients": 0,
            "channels": set(),
            "markets": set(),
            "content_used": set(),
        }
    for cid, ch in ads.execute(
        "SELECT cc.campaignid, c.name FROM ads.campaignchannels cc "
        "JOIN ads.channels c ON c.channelid = cc.channelid"
    ).fetchall():
        if cid in campaigns:
            campaigns[cid]["channels"].add(ch)
    for cid, mk in ads.execute(
        "SELECT cm.campaignid, m.name FROM ads.campaignmarkets cm "
        "JOIN ads.markets m ON m.marketid = cm.marketid"
    ).fetchall():
        if cid in campaigns:
            campaigns[cid]["markets"].add(mk)
    channel_names = dict(ads.execute("SELECT channelid, name FROM ads.channels").fetchall())
    market_names = dict(ads.execute("SELECT marketid, name FROM ads.markets").fetchall())
    ad_info = {}
    for ad_id, cid, market_id, code in ads.execute(
        "SELECT adid, campaignid, marketid, imagecode FROM ads.ads"
    ).fetchall():
        ad_info[ad_id] = (cid, market_id)
        if cid in campaigns and code is not None:
            campaigns[cid]["content_used"].add(code)
    channel, market, month = defaultdict(_zero), defaultdict(_zero), defaultdict(_zero)
    # The facts at the sources' own grain (every valid result, whether or not its campaign is valid).
    ad_day: dict = defaultdict(lambda: {**_zero(), "results": 0})
    for row in ads.execute(
        "SELECT adid, channelid, resultdate, audiencereached, views, likes, interactions, sales, revenue, "
        "cost, exposurehours FROM ads.adresults"
    ).fetchall():
        ad_id, ch_id, day, reach, views, likes, inter, sales, revenue, cost, hours = row
        values = (day, reach, views, likes, inter, sales, revenue, cost, hours)
        if any(v is None for v in values) or any(v < 0 for v in values[1:]):
            continue
        cid, market_id = ad_info[ad_id]
        if market_id is not None:
            cell = ad_day[(cid, ch_id, market_id, day)]
            cell["results"] += 1
            for name, value in zip(
                (
                    "reach",
                    "views",
                    "likes",
                    "interactions",
                    "sales_count",
                    "revenue",
                    "cost",
                    "exposure_hours",
                ),
                (reach, views, likes, inter, sales, revenue, cost, hours),
            ):
                cell[name] += value
        if cid not in campaigns:
            continue
        for target in (
            campaigns[cid],
            channel[(cid, channel_names[ch_id])],
            market[(cid, market_names[market_id])],
            month[(cid, day.replace(day=1))],
        ):
            target["reach"] += reach
            target["views"] += views
            target["likes"] += likes
            target["interactions"] += inter
            target["sales_count"] += sales
            target["revenue"] += revenue
            target["cost"] += cost
            target["exposure_hours"] += hours
    crm_day: dict = defaultdict(
        lambda: {"leads": 0, "converted_leads": 0, "clients": 0, "sales_count": 0, "sales_amount": Decimal(0)}
    )
    for cid, created, status in crm.execute("SELECT campaignid, createdat, status FROM crm.leads").fetchall():
        if created is None:
            continue
        crm_day[(cid, created.date())]["leads"] += 1
        crm_day[(cid, created.date())]["converted_leads"] += status == "converted"
        if cid in campaigns:
            campaigns[cid]["leads"] += 1
            campaigns[cid]["converted_leads"] += status == "converted"
    clients = defaultdict(set)
    for client_id, cid, linked in crm.execute(
        "SELECT clientid, campaignid, linkedat FROM crm.clientcampaigns"
    ).fetchall():
        if linked is not None:
            clients[cid].add(client_id)
            crm_day[(cid, linked)]["clients"] += 1
    for cid, members in clients.items():
        if cid in campaigns:
            campaigns[cid]["clients"] = len(members)
    for cid, amount, day in crm.execute("SELECT campaignid, amount, saledate FROM crm.sales").fetchall():
        if day is not None and amount is not None and amount >= 0:
            crm_day[(cid, day)]["sales_count"] += 1
            crm_day[(cid, day)]["sales_amount"] += amount
    for c in list(channel.values()) + list(market.values()) + list(month.values()):
        del c["exposure_hours"]
    return {
        "campaign": campaigns,
        "channel": dict(channel),
        "market": dict(market),
        "month": dict(month),
        "ad_day": dict(ad_day),
        "crm_day": dict(crm_day),
    }


def actual_summaries(central: psycopg.Connection) -> dict:
    campaigns = {}
    for row in central.execute(
        "SELECT campaign_id, campaign_name, brand_name, status, start_date, end_date, budget, reach, views, "
        "likes, interactions, sales_count, revenue, cost, exposure_hours, leads, converted_leads, clients, "
        "channels, markets, content_used FROM analytics.campaign_summary"
    ).fetchall():
        (
            cid,
            name,
            brand,
            status,
            start,
            end,
            budget,
            reach,
            views,
            likes,
            inter,
            sales,
            revenue,
            cost,
            hours,
            leads,
            converted,
            clients,
            channels,
            markets,
            content,
        ) = row
        campaigns[cid] = {
            "campaign_name": name,
            "brand_name": brand,
            "status": status,
            "start_date": start,
            "end_date": end,
            "budget": budget,
            "reach": reach,
            "views": views,
            "likes": likes,
            "interactions": inter,
            "sales_count": sales,
            "revenue": revenue,
            "cost": cost,
            "exposure_hours": hours,
            "leads": leads,
            "converted_leads": converted,
            "clients": clients,
            "channels": set(channels),
            "markets": set(markets),
            "content_used": set(content),
        }
    out = {"campaign": campaigns}
    for kind, column in [("channel", "channel_name"), ("market", "market_name"), ("month", "month")]:
        out[kind] = {
            (cid, key): {
                "reach": reach,
                "views": views,
                "likes": likes,
                "interactions": inter,
                "sales_count": sales,
                "revenue": revenue,
                "cost": cost,
            }
            for cid, key, reach, views, likes, inter, sales, revenue, cost in central.execute(
                f"SELECT campaign_id, {column}, reach, views, likes, interactions, sales_count, revenue, cost "
                f"FROM analytics.campaign_{kind}_summary"
            ).fetchall()
        }
    out["ad_day"] = {
        (cid, ch, mk, day): {
            "results": results,
            "reach": reach,
            "views": views,
            "likes": likes,
            "interactions": inter,
            "sales_count": sales,
            "revenue": revenue,
            "cost": cost,
            "exposure_hours": hours,
        }
        for cid, ch, mk, day, results, reach, views, likes, inter, sales, revenue, cost, hours in central.execute(
            "SELECT campaign_id, channel_id, market_id, day, results, reach, views, likes, interactions, sales, "
            "revenue, cost, exposure_hours FROM analytics.ad_facts_daily"
        ).fetchall()
    }
    out["crm_day"] = {
        (cid, day): {
            "leads": leads,
            "converted_leads": converted,
            "clients": clients,
            "sales_count": sales,
            "sales_amount": amount,
        }
        for cid, day, leads, converted, clients, sales, amount in central.execute(
            "SELECT campaign_id, day, leads, converted_leads, clients, sales_count, sales_amount "
            "FROM analytics.crm_facts_daily"
        ).fetchall()
    }
    return out


def rollup_problems(central: psycopg.Connection) -> list:
    """Roll-up cells (month, dekad: days 1-10, 11-20, 21 to the end) that differ from the sum of their days,
    or days whose roll-up cell is missing. The dekad is computed here by its definition, not the SQL function."""
    return central.execute(
        "SELECT 'ads', m.campaign_id, m.month FROM analytics.ad_facts_monthly m FULL JOIN ("
        "  SELECT campaign_id, channel_id, market_id, date_trunc('month', day)::date AS month, sum(results) AS r, "
        "  sum(reach) AS a, sum(views) AS v, sum(likes) AS l, sum(interactions) AS i, sum(sales) AS s, "
        "  sum(exposure_hours) AS e, sum(cost) AS c, sum(revenue) AS rv FROM analytics.ad_facts_daily "
        "  GROUP BY 1, 2, 3, 4) d USING (campaign_id, channel_id, market_id, month) "
        "WHERE (m.results, m.reach, m.views, m.likes, m.interactions, m.sales, m.exposure_hours, m.cost, m.revenue) "
        "  IS DISTINCT FROM (d.r, d.a, d.v, d.l, d.i, d.s, d.e, d.c, d.rv) "
        "UNION ALL "
        "SELECT 'ads dekad', m.campaign_id, m.dekad FROM analytics.ad_facts_dekad m FULL JOIN ("
        "  SELECT campaign_id, channel_id, market_id, "
        "  date_trunc('month', day)::date + CASE WHEN extract(day FROM day) >= 21 THEN 20 "
        "  WHEN extract(day FROM day) >= 11 THEN 10 ELSE 0 END AS dekad, sum(results) AS r, "
        "  sum(reach) AS a, sum(views) AS v, sum(likes) AS l, sum(interactions) AS i, sum(sales) AS s, "
        "  sum(exposure_hours) AS e, sum(cost) AS c, sum(revenue) AS rv FROM analytics.ad_facts_daily "
        "  GROUP BY 1, 2, 3, 4) d USING (campaign_id, channel_id, market_id, dekad) "
        "WHERE (m.results, m.reach, m.views, m.likes, m.interactions, m.sales, m.exposure_hours, m.cost, m.revenue) "
        "  IS DISTINCT FROM (d.r, d.a, d.v, d.l, d.i, d.s, d.e, d.c, d.rv) "
        "UNION ALL "
        "SELECT 'crm', m.campaign_id, m.month FROM analytics.crm_facts_monthly m FULL JOIN ("
        "  SELECT campaign_id, date_trunc('month', day)::date AS month, sum(leads) AS l, sum(converted_leads) AS c, "
        "  sum(clients) AS k, sum(sales_count) AS s, sum(sales_amount) AS a FROM analytics.crm_facts_daily "
        "  GROUP BY 1, 2) d USING (campaign_id, month) "
        "WHERE (m.leads, m.converted_leads, m.clients, m.sales_count, m.sales_amount) "
        "  IS DISTINCT FROM (d.l, d.c, d.k, d.s, d.a)"
    ).fetchall()


def derived_problems(central: psycopg.Connection) -> list:
    """Rows whose derived columns disagree with the formulas in the contract."""
    return central.execute(
        "SELECT campaign_id FROM analytics.campaign_summary WHERE reactions <> likes + interactions "
        "OR roi IS DISTINCT FROM CASE WHEN cost > 0 THEN round((revenue - cost) / cost, 4) END "
        "OR conversion_rate IS DISTINCT FROM CASE WHEN interactions > 0 "
        "                                         THEN round(sales_count::numeric / interactions, 6) END "
        "OR success_rate IS DISTINCT FROM CASE WHEN leads > 0 THEN round(converted_leads::numeric / leads, 6) END "
        "OR NOT (conversion_rate BETWEEN 0 AND 1) OR NOT (success_rate BETWEEN 0 AND 1) OR roi < -1"
    ).fetchall()
