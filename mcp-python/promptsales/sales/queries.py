"""The SQL behind the sales tools: fixed statements over the analytics summaries, values always bound.

Nothing here takes SQL text from a caller. Metric and dimension names are looked up in the dicts
below (a closed vocabulary), filters become `%(name)s` parameters, and every statement has a LIMIT.
Each function takes an open connection (row_factory=dict_row) and returns plain rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

BRIEF_COLUMNS = sql.SQL(
    "s.campaign_id, s.campaign_name, s.brand_name, s.status, s.start_date, s.end_date, s.channels, s.markets")

# Lifetime value of each metric on analytics.campaign_summary (alias s).
CAMPAIGN_METRIC_SQL: dict[str, sql.Composable] = {
    name: sql.SQL("s.{}::float8").format(sql.Identifier(name))
    for name in ("reach", "views", "likes", "interactions", "reactions", "exposure_hours", "leads", "clients",
                 "sales_count", "revenue", "cost", "budget", "roi", "conversion_rate", "success_rate")
}

# The same metrics summed over breakdown rows (alias b); ratios are recomputed from the sums, never averaged.
SUMMED_METRIC_SQL: dict[str, sql.Composable] = {
    **{name: sql.SQL("SUM(b.{})::float8").format(sql.Identifier(name))
       for name in ("reach", "views", "likes", "interactions", "reactions", "sales_count", "revenue", "cost")},
    "roi": sql.SQL("round((SUM(b.revenue) - SUM(b.cost)) / NULLIF(SUM(b.cost), 0), 4)::float8"),
    "conversion_rate": sql.SQL("round(SUM(b.sales_count)::numeric / NULLIF(SUM(b.reach), 0), 6)::float8"),
}

# dimension -> (breakdown table, its key column)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "channel": ("campaign_channel_summary", "channel_name"),
    "market": ("campaign_market_summary", "market_name"),
    "month": ("campaign_month_summary", "month"),
}


@dataclass(frozen=True)
class CampaignFilters:
    """Which campaigns a question is about. Dates select campaigns whose run overlaps [date_from, date_to]."""

    name_contains: str | None = None
    brand: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    market: str | None = None
    campaign_ids: tuple[int, ...] | None = None

    def where(self) -> tuple[sql.Composable, dict[str, Any]]:
        conditions: list[sql.Composable] = [sql.SQL("TRUE")]
        params: dict[str, Any] = {}
        if self.name_contains:
            conditions.append(sql.SQL(r"s.campaign_name ILIKE %(name_like)s ESCAPE '\'"))
            params["name_like"] = f"%{escape_like(self.name_contains)}%"
        if self.brand:
            conditions.append(sql.SQL("lower(s.brand_name) = lower(%(brand)s)"))
            params["brand"] = self.brand
        if self.status:
            conditions.append(sql.SQL("s.status = %(status)s"))
            params["status"] = self.status
        if self.date_from:
            conditions.append(sql.SQL("(s.end_date IS NULL OR s.end_date >= %(date_from)s)"))
            params["date_from"] = self.date_from
        if self.date_to:
            conditions.append(sql.SQL("s.start_date <= %(date_to)s"))
            params["date_to"] = self.date_to
        if self.channel:
            conditions.append(sql.SQL("lower(%(channel)s) = ANY (SELECT lower(x) FROM unnest(s.channels) x)"))
            params["channel"] = self.channel
        if self.market:
            conditions.append(sql.SQL("lower(%(market)s) = ANY (SELECT lower(x) FROM unnest(s.markets) x)"))
            params["market"] = self.market
        if self.campaign_ids is not None:
            conditions.append(sql.SQL("s.campaign_id = ANY (%(campaign_ids)s)"))
            params["campaign_ids"] = list(self.campaign_ids)
        return sql.SQL(" AND ").join(conditions), params


def escape_like(text: str) -> str:
    """A fragment matched literally inside ILIKE: %, _ and \\ lose their pattern meaning."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_campaigns(conn: psycopg.Connection, filters: CampaignFilters, limit: int,
                   offset: int) -> tuple[int, list[dict]]:
    where, params = filters.where()
    total = conn.execute(sql.SQL("SELECT count(*) AS n FROM analytics.campaign_summary s WHERE {}").format(where),
                         params).fetchone()["n"]
    rows = conn.execute(sql.SQL(
        "SELECT {} FROM analytics.campaign_summary s WHERE {} "
        "ORDER BY s.start_date DESC NULLS LAST, s.campaign_id LIMIT %(limit)s OFFSET %(offset)s"
    ).format(BRIEF_COLUMNS, where), {**params, "limit": limit, "offset": offset}).fetchall()
    return total, rows


def campaign_by_id(conn: psycopg.Connection, campaign_id: int) -> dict | None:
    return conn.execute(sql.SQL(
        "SELECT {}, s.reach, s.views, s.likes, s.interactions, s.reactions, s.exposure_hours::float8, s.leads, "
        "s.clients, s.sales_count, s.revenue::float8, s.cost::float8, s.budget::float8, s.roi::float8, "
        "s.conversion_rate::float8, s.success_rate::float8, s.content_used, "
        "s.last_source_change, s.updated_at "
        "FROM analytics.campaign_summary s WHERE s.campaign_id = %(id)s"
    ).format(BRIEF_COLUMNS), {"id": campaign_id}).fetchone()


def campaigns_named(conn: psycopg.Connection, name: str, limit: int = 11) -> list[dict]:
    """Campaigns whose name is exactly `name` (ignoring case)."""
    return conn.execute(sql.SQL(
        "SELECT {} FROM analytics.campaign_summary s WHERE lower(s.campaign_name) = lower(%(name)s) "
        "ORDER BY s.campaign_id LIMIT %(limit)s").format(BRIEF_COLUMNS), {"name": name, "limit": limit}).fetchall()


def campaigns_containing(conn: psycopg.Connection, fragment: str, limit: int = 11) -> list[dict]:
    return conn.execute(sql.SQL(
        r"SELECT {} FROM analytics.campaign_summary s WHERE s.campaign_name ILIKE %(like)s ESCAPE '\' "
        "ORDER BY similarity(s.campaign_name, %(text)s) DESC, s.campaign_id LIMIT %(limit)s"
    ).format(BRIEF_COLUMNS), {"like": f"%{escape_like(fragment)}%", "text": fragment, "limit": limit}).fetchall()


def closest_campaign_names(conn: psycopg.Connection, text: str, limit: int = 5) -> list[dict]:
    """Nearest names by trigram similarity (pg_trgm), for "did you mean" answers; unrelated names are left out."""
    return conn.execute(
        "SELECT s.campaign_id, s.campaign_name, similarity(s.campaign_name, %(text)s)::float8 AS score "
        "FROM analytics.campaign_summary s WHERE similarity(s.campaign_name, %(text)s) >= 0.1 "
        "ORDER BY score DESC, s.campaign_id LIMIT %(limit)s",
        {"text": text, "limit": limit}).fetchall()


def closest_values(conn: psycopg.Connection, kind: str, text: str, limit: int = 5) -> list[str]:
    """Known brands/channels/markets nearest to `text` (for an unknown filter value)."""
    source = VALUE_SOURCES[kind]
    rows = conn.execute(sql.SQL(
        "SELECT v, similarity(v, %(text)s) AS score FROM ({}) known(v) "
        "ORDER BY score DESC, v LIMIT %(limit)s").format(source), {"text": text, "limit": limit}).fetchall()
    return [row["v"] for row in rows]


VALUE_SOURCES: dict[str, sql.Composable] = {
    "brand": sql.SQL("SELECT DISTINCT brand_name FROM analytics.campaign_summary WHERE brand_name IS NOT NULL"),
    "channel": sql.SQL("SELECT DISTINCT unnest(channels) FROM analytics.campaign_summary"),
    "market": sql.SQL("SELECT DISTINCT unnest(markets) FROM analytics.campaign_summary"),
}


# Existence checks stop at the first match, so a known value costs a few rows, not a scan of every campaign.
EXISTS_SQL: dict[str, sql.Composable] = {
    "brand": sql.SQL("SELECT 1 FROM analytics.campaign_summary s WHERE lower(s.brand_name) = lower(%(value)s)"),
    "channel": sql.SQL("SELECT 1 FROM analytics.campaign_summary s, unnest(s.channels) x "
                       "WHERE lower(x) = lower(%(value)s)"),
    "market": sql.SQL("SELECT 1 FROM analytics.campaign_summary s, unnest(s.markets) x "
                      "WHERE lower(x) = lower(%(value)s)"),
}


def value_exists(conn: psycopg.Connection, kind: str, value: str) -> bool:
    return conn.execute(sql.SQL("SELECT EXISTS ({}) AS e").format(EXISTS_SQL[kind]), {"value": value}).fetchone()["e"]


def campaign_values(conn: psycopg.Connection, campaign_ids: list[int], metrics: list[str]) -> list[dict]:
    columns = sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(CAMPAIGN_METRIC_SQL[m], sql.Identifier(m)) for m in metrics)
    return conn.execute(sql.SQL(
        "SELECT {}, {} FROM analytics.campaign_summary s WHERE s.campaign_id = ANY (%(ids)s) LIMIT 100"
    ).format(BRIEF_COLUMNS, columns), {"ids": campaign_ids}).fetchall()


def top_lifetime(conn: psycopg.Connection, metric: str, filters: CampaignFilters, descending: bool,
                 limit: int) -> list[dict]:
    """Campaigns ranked by a lifetime metric; filters pick the campaigns (a period = runs overlapping it)."""
    where, params = filters.where()
    value = CAMPAIGN_METRIC_SQL[metric]
    return conn.execute(sql.SQL(
        "SELECT {}, {} AS value FROM analytics.campaign_summary s WHERE {} AND {} IS NOT NULL "
        "ORDER BY value {}, s.campaign_id LIMIT %(limit)s"
    ).format(BRIEF_COLUMNS, value, where, value, sql.SQL("DESC" if descending else "ASC")),
        {**params, "limit": limit}).fetchall()


def top_in_period(conn: psycopg.Connection, metric: str, filters: CampaignFilters, month_from: date,
                  month_to: date, descending: bool, limit: int) -> list[dict]:
    """Campaigns ranked by a metric summed over the months of a period (campaign_month_summary)."""
    where, params = filters.where()
    value = SUMMED_METRIC_SQL[metric]
    return conn.execute(sql.SQL(
        "SELECT {}, {} AS value FROM analytics.campaign_summary s "
        "JOIN analytics.campaign_month_summary b ON b.campaign_id = s.campaign_id "
        "WHERE {} AND b.month BETWEEN %(month_from)s AND %(month_to)s "
        "GROUP BY s.campaign_id HAVING {} IS NOT NULL ORDER BY value {}, s.campaign_id LIMIT %(limit)s"
    ).format(BRIEF_COLUMNS, value, where, value, sql.SQL("DESC" if descending else "ASC")),
        {**params, "month_from": month_from, "month_to": month_to, "limit": limit}).fetchall()


def breakdown(conn: psycopg.Connection, dimension: str, filters: CampaignFilters,
              month_from: date | None, month_to: date | None, limit: int) -> list[dict]:
    """Metrics summed per channel, market or month over the chosen campaigns."""
    table, key = DIMENSIONS[dimension]
    where, params = filters.where()
    months = sql.SQL("")
    if dimension == "month" and month_from is not None and month_to is not None:
        months = sql.SQL(" AND b.month BETWEEN %(month_from)s AND %(month_to)s")
        params = {**params, "month_from": month_from, "month_to": month_to}
    sums = sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(SUMMED_METRIC_SQL[m], sql.Identifier(m)) for m in SUMMED_METRIC_SQL)
    return conn.execute(sql.SQL(
        "SELECT b.{key}::text AS key, count(DISTINCT b.campaign_id) AS campaigns, {sums} "
        "FROM analytics.{table} b JOIN analytics.campaign_summary s ON s.campaign_id = b.campaign_id "
        "WHERE {where}{months} GROUP BY b.{key} ORDER BY {order} LIMIT %(limit)s"
    ).format(key=sql.Identifier(key), sums=sums, table=sql.Identifier(table), where=where, months=months,
             order=sql.SQL("b.month") if dimension == "month" else sql.SQL("revenue DESC, key")),
        {**params, "limit": limit}).fetchall()


def monthly_series(conn: psycopg.Connection, metric: str, filters: CampaignFilters, month_from: date,
                   month_to: date) -> list[dict]:
    where, params = filters.where()
    return conn.execute(sql.SQL(
        "SELECT b.month, {} AS value FROM analytics.campaign_month_summary b "
        "JOIN analytics.campaign_summary s ON s.campaign_id = b.campaign_id "
        "WHERE {} AND b.month BETWEEN %(month_from)s AND %(month_to)s GROUP BY b.month ORDER BY b.month LIMIT 240"
    ).format(SUMMED_METRIC_SQL[metric], where),
        {**params, "month_from": month_from, "month_to": month_to}).fetchall()


def overview(conn: psycopg.Connection, list_limit: int = 200) -> dict:
    """Counts, date coverage and the known brand/channel/market names, in one round trip."""
    return conn.execute(sql.SQL(
        "SELECT count(*) AS campaigns, count(*) FILTER (WHERE status = 'active') AS active, "
        "count(*) FILTER (WHERE status = 'finished') AS finished, min(start_date) AS first_start_date, "
        "max(end_date) AS last_end_date, max(updated_at) AS last_etl_update, "
        "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({brand} ORDER BY 1 LIMIT %(n)s) b(v)) AS brands, "
        "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({channel} ORDER BY 1 LIMIT %(n)s) c(v)) AS channels, "
        "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({market} ORDER BY 1 LIMIT %(n)s) m(v)) AS markets "
        "FROM analytics.campaign_summary"
    ).format(**VALUE_SOURCES), {"n": list_limit}).fetchone()


def month_bounds(conn: psycopg.Connection) -> dict:
    return conn.execute("SELECT min(month) AS first, max(month) AS last FROM analytics.campaign_month_summary"
                        ).fetchone()
