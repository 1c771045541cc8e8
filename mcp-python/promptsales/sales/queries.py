"""The SQL behind the sales tools: fixed statements over the PromptSales facts and summaries, values always bound.

Nothing here takes SQL text from a caller. Metric and dimension names are looked up in the dicts below (a
closed vocabulary), filters become `%(name)s` parameters, and every statement has a LIMIT. Each function
takes an open connection (row_factory=dict_row) and returns plain rows.

Figures over a period are sums of the facts the ETL keeps at the sources' grain (analytics.ad_facts_* per
campaign x channel x market, analytics.crm_facts_* per campaign): the whole calendar months inside the
period from the monthly roll-up, the days at its edges from the daily facts. Both hold the same cells (the
ETL writes them with the same changes), so the sum is exactly the sum of the period's days, read from up to
~17x fewer rows. Ratios are recomputed from the sums, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg import sql

from promptsales.sales.models import METRIC_NAMES

BRIEF_COLUMNS = sql.SQL(
    "s.campaign_id, s.campaign_name, s.brand_name, s.status, s.start_date, s.end_date, s.channels, s.markets"
)
# The widest period a question can name (service.EARLIEST_DATE..LATEST_DATE): "no bound" on either side.
ALL_FROM, ALL_TO = date(2000, 1, 1), date(2099, 12, 31)

# Each metric as an aggregate over fact rows (alias f), by source. Counts come back as integers, money and
# hours as floats of the exact sums, ratios rounded as the summaries round them.
SUMS: dict[str, dict[str, sql.Composable]] = {
    "ads": {
        "reach": sql.SQL("SUM(f.reach)::bigint"),
        "views": sql.SQL("SUM(f.views)::bigint"),
        "likes": sql.SQL("SUM(f.likes)::bigint"),
        "interactions": sql.SQL("SUM(f.interactions)::bigint"),
        "reactions": sql.SQL("(SUM(f.likes) + SUM(f.interactions))::bigint"),
        "exposure_hours": sql.SQL("SUM(f.exposure_hours)::float8"),
        "sales_count": sql.SQL("SUM(f.sales)::bigint"),
        "revenue": sql.SQL("SUM(f.revenue)::float8"),
        "cost": sql.SQL("SUM(f.cost)::float8"),
        "roi": sql.SQL("round((SUM(f.revenue) - SUM(f.cost)) / NULLIF(SUM(f.cost), 0), 4)::float8"),
        "conversion_rate": sql.SQL(
            "round(SUM(f.sales)::numeric / NULLIF(SUM(f.interactions), 0), 6)::float8"
        ),
    },
    "crm": {
        "leads": sql.SQL("SUM(f.leads)::bigint"),
        "converted_leads": sql.SQL("SUM(f.converted_leads)::bigint"),
        "clients": sql.SQL("SUM(f.clients)::bigint"),
        "success_rate": sql.SQL(
            "round(SUM(f.converted_leads)::numeric / NULLIF(SUM(f.leads), 0), 6)::float8"
        ),
    },
}
# The fact rows of each source: (monthly roll-up, daily facts, their measure columns, whether they carry
# channel and market). A row "has activity" when it counts a source row: results > 0, or any CRM count.
FACTS = {
    "ads": (
        "ad_facts_monthly",
        "ad_facts_daily",
        ("results", "reach", "views", "likes", "interactions", "sales", "exposure_hours", "cost", "revenue"),
        True,
        sql.SQL("f.results > 0"),
    ),
    "crm": (
        "crm_facts_monthly",
        "crm_facts_daily",
        ("leads", "converted_leads", "clients", "sales_count", "sales_amount"),
        False,
        sql.SQL("(f.leads > 0 OR f.clients > 0 OR f.sales_count > 0)"),
    ),
}
# The fact columns each metric is summed from; a query reads only those of the metrics it answers (and the
# columns that say a row has activity, ACTIVITY).
NEEDS: dict[str, tuple[str, ...]] = {
    "reach": ("reach",),
    "views": ("views",),
    "likes": ("likes",),
    "interactions": ("interactions",),
    "reactions": ("likes", "interactions"),
    "exposure_hours": ("exposure_hours",),
    "sales_count": ("sales",),
    "revenue": ("revenue",),
    "cost": ("cost",),
    "roi": ("revenue", "cost"),
    "conversion_rate": ("sales", "interactions"),
    "leads": ("leads",),
    "converted_leads": ("converted_leads",),
    "clients": ("clients",),
    "success_rate": ("leads", "converted_leads"),
}
ACTIVITY = {"ads": ("results",), "crm": ("leads", "clients", "sales_count")}
# Activity over summed fact rows (alias f): a group with any source row behind it.
ACTIVE_SUMS = {
    "ads": sql.SQL("SUM(f.results) > 0"),
    "crm": sql.SQL("(SUM(f.leads) > 0 OR SUM(f.clients) > 0 OR SUM(f.sales_count) > 0)"),
}
# Lifetime value of each metric on analytics.campaign_summary (alias s): the same sums over all of a
# campaign's facts, kept by the ETL (a test checks they agree).
CAMPAIGN_METRIC_SQL: dict[str, sql.Composable] = {
    name: sql.SQL("s.{}::float8").format(sql.Identifier(name)) for name in METRIC_NAMES
}


@dataclass(frozen=True)
class Period:
    """An inclusive range of days; None on a side means no bound."""

    date_from: date | None = None
    date_to: date | None = None

    def key(self) -> list[str | None]:
        """The period as it enters a cache key."""
        return [self.date_from and self.date_from.isoformat(), self.date_to and self.date_to.isoformat()]

    @property
    def bounded(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def first(self) -> date:
        return self.date_from or ALL_FROM

    def last(self) -> date:
        return self.date_to or ALL_TO

    def parts(self, use_dekads: bool = True) -> Parts:
        """How to read the period from the roll-ups: a range of whole months, then for each month the period
        cuts, its dekads (days 1-10, 11-20, 21 to the end) and days, each added or taken away: the month's
        part inside the period, or the whole month less the part outside, whichever reads fewer rows (by
        COST); likewise a cut dekad is its days inside, or the dekad less its days outside. The sums are
        exactly those of the period's days. use_dekads=False: no dekad roll-up (PromptCrm has none)."""
        first, last = self.first(), self.last()
        months: list[date] = []
        dekads: list[tuple[date, int]] = []
        days: list[tuple[date, date, int]] = []
        # Only the first and the last month can be cut; every month between is whole (no need to visit them:
        # an open period spans 1,200 months).
        edges = sorted({first.replace(day=1), last.replace(day=1)})
        inner = (_next_month(edges[0]), (edges[-1].replace(day=1) - timedelta(days=1)).replace(day=1))
        if len(edges) == 2 and inner[0] <= inner[1]:
            months += list(inner)
        for month in edges:
            end = _next_month(month) - timedelta(days=1)
            low, high = max(first, month), min(last, end)
            if (low, high) == (month, end):
                months.append(month)
            else:
                inside = _cut(month, end, low, high, 1, use_dekads)
                outside = [(MONTH, month, month, 1)] + [
                    part
                    for a, b in ((month, low - timedelta(days=1)), (high + timedelta(days=1), end))
                    if a <= b
                    for part in _cut(month, end, a, b, -1, use_dekads)
                ]
                chosen = min(inside, outside, key=_cost)
                for level, a, b, sign in chosen:
                    if level == MONTH:
                        months.append(a)
                    elif level == DEKAD:
                        dekads.append((a, sign))
                    else:
                        days.append((a, b, sign))
        return Parts((min(months), max(months)) if months else None, dekads, days)

    def days_in(self, month: date) -> int:
        """Days of `month` inside the period."""
        end = _next_month(month) - timedelta(days=1)
        return max(0, (min(end, self.last()) - max(month, self.first())).days + 1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


MONTH, DEKAD, DAY = "month", "dekad", "day"
# Rows read per unit, relative to one day's daily facts (measured at 5,000 campaigns: ~2,500 cells a month or
# a dekad, ~1,700 a day): what `parts` minimizes.
COST = {MONTH: 1.5, DEKAD: 1.3, DAY: 1.0}


@dataclass(frozen=True)
class Parts:
    months: tuple[date, date] | None  # a range of whole months, added
    dekads: list[tuple[date, int]]  # (dekad's first day, +1 or -1)
    days: list[tuple[date, date, int]]  # (first, last, +1 or -1)


def _dekads(month: date, end: date) -> list[tuple[date, date]]:
    return [
        (month, month.replace(day=10)),
        (month.replace(day=11), month.replace(day=20)),
        (month.replace(day=21), end),
    ]


def _cut(
    month: date, end: date, low: date, high: date, sign: int, use_dekads: bool
) -> list[tuple[str, date, date, int]]:
    """[low, high] inside one month as whole dekads and days, with `sign`; a cut dekad as its days, or the
    dekad less its other days, whichever is cheaper. Without dekads: the days."""
    if not use_dekads:
        return [(DAY, low, high, sign)]
    parts: list[tuple[str, date, date, int]] = []
    for start, stop in _dekads(month, end):
        a, b = max(low, start), min(high, stop)
        if a > b:
            continue
        if (a, b) == (start, stop):
            parts.append((DEKAD, start, start, sign))
            continue
        direct = [(DAY, a, b, sign)]
        complement = [(DEKAD, start, start, sign)] + [
            (DAY, x, y, -sign)
            for x, y in ((start, a - timedelta(days=1)), (b + timedelta(days=1), stop))
            if x <= y
        ]
        parts += min(direct, complement, key=_cost)
    return parts


def _cost(parts: list[tuple[str, date, date, int]]) -> float:
    return sum(COST[level] * ((b - a).days + 1 if level == DAY else 1) for level, a, b, _ in parts)


@dataclass(frozen=True)
class Scope:
    """Which facts a figure sums: campaigns (brand, status, ids), channels and markets (ids), and a period."""

    brand: str | None = None
    status: str | None = None
    campaign_ids: tuple[int, ...] | None = None
    channel_ids: tuple[int, ...] | None = None
    market_ids: tuple[int, ...] | None = None
    period: Period = field(default_factory=Period)

    @property
    def splits_channel_or_market(self) -> bool:
        return self.channel_ids is not None or self.market_ids is not None

    def campaign_where(self) -> tuple[sql.Composable, dict[str, Any]]:
        conditions: list[sql.Composable] = [sql.SQL("TRUE")]
        params: dict[str, Any] = {}
        if self.brand:
            conditions.append(sql.SQL("lower(s.brand_name) = lower(%(brand)s)"))
            params["brand"] = self.brand
        if self.status:
            conditions.append(sql.SQL("s.status = %(status)s"))
            params["status"] = self.status
        if self.campaign_ids is not None:
            conditions.append(sql.SQL("s.campaign_id = ANY (%(campaign_ids)s)"))
            params["campaign_ids"] = list(self.campaign_ids)
        return sql.SQL(" AND ").join(conditions), params

    def fact_where(self, with_dimensions: bool) -> tuple[sql.Composable, dict[str, Any]]:
        """Conditions every fact row must meet, pushed into both the monthly and the daily read."""
        conditions: list[sql.Composable] = [sql.SQL("TRUE")]
        params: dict[str, Any] = {}
        if self.campaign_ids is not None:
            conditions.append(sql.SQL("f.campaign_id = ANY (%(campaign_ids)s)"))
            params["campaign_ids"] = list(self.campaign_ids)
        if with_dimensions and self.channel_ids is not None:
            conditions.append(sql.SQL("f.channel_id = ANY (%(channel_ids)s)"))
            params["channel_ids"] = list(self.channel_ids)
        if with_dimensions and self.market_ids is not None:
            conditions.append(sql.SQL("f.market_id = ANY (%(market_ids)s)"))
            params["market_ids"] = list(self.market_ids)
        return sql.SQL(" AND ").join(conditions), params


def _fact_rows(
    source: str,
    scope: Scope,
    measures: tuple[str, ...] | None = None,
    filter_campaigns: bool = True,
    with_month: bool = True,
) -> tuple[sql.Composable, dict[str, Any]]:
    """The fact rows of the period (Period.parts: whole months, and days added or taken away), one stream
    with a `month` column. filter_campaigns: restricted here to the campaigns the scope names (a semi-join on
    their summaries, which also keeps out facts of campaigns PromptSales does not summarize); otherwise the
    caller filters after summing per campaign. Each part is its own plain range, so the planner sees each
    range as it is (an OR of two day ranges was planned as two scans of a whole index)."""
    monthly, daily, every_measure, dimensional, _ = FACTS[source]
    measures = measures or every_measure
    keys = sql.SQL(", ").join(
        sql.SQL("f.{}").format(sql.Identifier(c))
        for c in (["campaign_id", "channel_id", "market_id"] if dimensional else ["campaign_id"])
    )
    where, params = scope.fact_where(dimensional)
    if filter_campaigns:
        campaign_where, campaign_params = scope.campaign_where()
        where = sql.SQL(
            "{} AND f.campaign_id IN (SELECT s.campaign_id FROM analytics.campaign_summary s WHERE {})"
        ).format(where, campaign_where)
        params.update(campaign_params)

    def signed(sign: int) -> sql.Composable:
        return sql.SQL(", ").join(
            sql.SQL("{}f.{} AS {}").format(
                sql.SQL("" if sign > 0 else "-"), sql.Identifier(m), sql.Identifier(m)
            )
            for m in measures
        )

    parts = scope.period.parts(use_dekads=source == "ads")
    months, days = parts.months, parts.days
    branches = []
    if months is not None:
        params.update(m_from=months[0], m_to=months[1])
        branches.append(
            sql.SQL(
                "SELECT {keys}, {values}{month} FROM analytics.{monthly} f "
                "WHERE f.month BETWEEN %(m_from)s AND %(m_to)s AND {where}"
            ).format(
                keys=keys,
                values=signed(1),
                month=sql.SQL(", f.month" if with_month else ""),
                monthly=sql.Identifier(monthly),
                where=where,
            )
        )
    # The month of a dekad or a day is computed only when a question groups by month (a cast per row).
    for sign in (1, -1):
        chosen = [d for d, s in parts.dekads if s == sign]
        if chosen:
            params[f"dekads{'_minus' if sign < 0 else ''}"] = chosen
            branches.append(
                sql.SQL(
                    "SELECT {keys}, {values}{month} FROM analytics.ad_facts_dekad f "
                    "WHERE f.dekad = ANY ({dekads}) AND {where}"
                ).format(
                    keys=keys,
                    values=signed(sign),
                    where=where,
                    month=sql.SQL(
                        ", CAST(date_trunc('month', f.dekad) AS date) AS month" if with_month else ""
                    ),
                    dekads=sql.Placeholder(f"dekads{'_minus' if sign < 0 else ''}"),
                )
            )
    day_month = sql.SQL(", CAST(date_trunc('month', f.day) AS date) AS month" if with_month else "")
    for i, (low, high, sign) in enumerate(days):
        params.update({f"d{i}_from": low, f"d{i}_to": high})
        branches.append(
            sql.SQL(
                "SELECT {keys}, {values}{month} FROM analytics.{daily} f "
                "WHERE f.day BETWEEN {low} AND {high} AND {where}"
            ).format(
                keys=keys,
                values=signed(sign),
                month=day_month,
                daily=sql.Identifier(daily),
                low=sql.Placeholder(f"d{i}_from"),
                high=sql.Placeholder(f"d{i}_to"),
                where=where,
            )
        )
    return sql.SQL(" UNION ALL ").join(branches), params


# What a row is grouped by: (the fact column grouped with each campaign, the key shown, the join it needs).
GROUPS: dict[str, tuple[sql.Composable | None, sql.Composable, sql.Composable]] = {
    "campaign": (None, BRIEF_COLUMNS, sql.SQL("")),
    "channel": (
        sql.SQL("f.channel_id"),
        sql.SQL("COALESCE(n.name, 'channel ' || f.channel_id)"),
        sql.SQL("LEFT JOIN analytics.dimension_names n ON n.kind = 'channel' AND n.id = f.channel_id"),
    ),
    "market": (
        sql.SQL("f.market_id"),
        sql.SQL("COALESCE(n.name, 'market ' || f.market_id)"),
        sql.SQL("LEFT JOIN analytics.dimension_names n ON n.kind = 'market' AND n.id = f.market_id"),
    ),
    "month": (sql.SQL("f.month"), sql.SQL("f.month"), sql.SQL("")),
    "total": (None, sql.SQL("'total'"), sql.SQL("")),
}


def facts(
    conn: psycopg.Connection,
    source: str,
    scope: Scope,
    group: str,
    *,
    rank_by: str | None = None,
    descending: bool = True,
    limit: int = 100,
    with_total: bool = False,
    count_campaigns: bool = True,
    metrics: tuple[str, ...] | None = None,
) -> list[dict]:
    """Every metric of `source` summed over the scope's facts, per `group` (campaign, channel, market, month
    or one total row). `campaigns` counts the campaigns with activity in a row (count_campaigns=False: not
    counted, a cheaper query, and `campaigns` is null). rank_by: keep only rows where that metric has a
    value, highest (or lowest) first; otherwise in key order. with_total: one more row, flagged `is_total`,
    sums the whole scope (the same scan, GROUPING SETS).

    To count campaigns the facts are summed per campaign (and group column) first, a hashed aggregate, and
    only those sums are grouped again and named: cheaper than counting distinct campaigns over every fact row
    (which sorts them all). metrics: only these (and the columns they need) are summed; all by default."""
    names = metrics or tuple(SUMS[source])
    measures = tuple(dict.fromkeys(ACTIVITY[source] + tuple(c for m in names for c in NEEDS[m])))
    per_campaign_first = count_campaigns or group == "campaign"
    # Campaigns are filtered before summing when that keeps few rows (a brand, named campaigns) or when
    # nothing is summed per campaign; otherwise after, on the per-campaign sums (one probe per campaign
    # and group, not one per fact row).
    early = scope.brand is not None or scope.campaign_ids is not None or not per_campaign_first
    rows, params = _fact_rows(source, scope, measures, filter_campaigns=early, with_month=group == "month")
    column, key, join = GROUPS[group]
    active = FACTS[source][4]
    campaign_where, campaign_params = scope.campaign_where()
    if group == "campaign" or not early:
        join = sql.SQL(
            "JOIN analytics.campaign_summary s ON s.campaign_id = f.campaign_id {} WHERE {}"
        ).format(join, campaign_where)
        params.update(campaign_params)
    per_campaign = sql.SQL(", ").join([sql.SQL("f.campaign_id"), *([column] if column is not None else [])])
    sums = sql.SQL(", ").join(sql.SQL("SUM(f.{0}) AS {0}").format(sql.Identifier(m)) for m in measures)
    source_rows = sql.SQL("(SELECT {per_campaign}, {sums} FROM ({rows}) f GROUP BY {per_campaign})").format(
        per_campaign=per_campaign, sums=sums, rows=rows
    )
    # Distinct: the total row of GROUPING SETS sums rows that are per campaign and group column.
    counted = sql.SQL("count(DISTINCT f.campaign_id) FILTER (WHERE {})").format(active)
    if not per_campaign_first:
        source_rows, counted = sql.SQL("({})").format(rows), sql.SQL("NULL::bigint")
    summed = sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(SUMS[source][name], sql.Identifier(name)) for name in names
    )
    selected = BRIEF_COLUMNS if group == "campaign" else sql.SQL("{} AS key").format(key)
    grouping, total_flag = {
        "campaign": (sql.SQL("GROUP BY s.campaign_id"), sql.SQL("false")),
        "total": (sql.SQL(""), sql.SQL("true")),
    }.get(group, (sql.SQL("GROUP BY {}").format(key), sql.SQL("false")))
    if with_total and group not in ("campaign", "total"):
        grouping = sql.SQL("GROUP BY GROUPING SETS (({}), ())").format(key)
        total_flag = sql.SQL("GROUPING({}) = 1").format(key)
    tiebreak = sql.SQL("s.campaign_id") if group == "campaign" else sql.SQL("key")
    # A row is kept when it has activity: days taken away from a month can leave a group (a campaign, a
    # channel) whose sums are all 0, which is no row at all.
    having, order = (
        sql.SQL("HAVING {}").format(ACTIVE_SUMS[source]),
        sql.SQL("ORDER BY is_total, {}").format(tiebreak),
    )
    if rank_by is not None:
        having = sql.SQL("{} AND {} IS NOT NULL").format(having, SUMS[source][rank_by])
        order = sql.SQL("ORDER BY is_total, {} {}, {}").format(
            sql.Identifier(rank_by), sql.SQL("DESC" if descending else "ASC"), tiebreak
        )
    query = sql.SQL(
        "SELECT {selected}, {counted} AS campaigns, {summed}, {total_flag} AS is_total "
        "FROM {source_rows} f {join} {grouping} {having} {order} LIMIT %(limit)s"
    ).format(
        selected=selected,
        counted=counted,
        summed=summed,
        total_flag=total_flag,
        source_rows=source_rows,
        join=join,
        grouping=grouping,
        having=having,
        order=order,
    )
    result = conn.execute(query, {**params, "limit": limit + (1 if with_total else 0)}).fetchall()
    # A scope with no fact row still gives one total row of nulls: that is "nothing", not a row.
    return [r for r in result if not r["is_total"] or r[names[0]] is not None]


def budgets(conn: psycopg.Connection, scope: Scope, *, descending: bool, limit: int) -> list[dict]:
    """Campaigns with PromptAds activity in the scope's period, ranked by their (whole) budget."""
    rows, params = _fact_rows("ads", scope, ACTIVITY["ads"], with_month=False)
    campaign_where, campaign_params = scope.campaign_where()
    return conn.execute(
        sql.SQL(
            "SELECT {brief}, s.budget::float8 AS value FROM analytics.campaign_summary s "
            "WHERE {campaign_where} AND s.budget IS NOT NULL "
            "AND s.campaign_id IN (SELECT f.campaign_id FROM ({rows}) f GROUP BY f.campaign_id HAVING SUM(f.results) > 0) "
            "ORDER BY value {order}, s.campaign_id LIMIT %(limit)s"
        ).format(
            brief=BRIEF_COLUMNS,
            campaign_where=campaign_where,
            rows=rows,
            order=sql.SQL("DESC" if descending else "ASC"),
        ),
        {**params, **campaign_params, "limit": limit},
    ).fetchall()


@dataclass(frozen=True)
class CampaignFilters:
    """Which campaigns find_campaigns lists. Dates select campaigns whose run overlaps [date_from, date_to];
    channel and market select campaigns linked to them (PromptAds CampaignChannels / CampaignMarkets)."""

    name_contains: str | None = None
    brand: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    market: str | None = None

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
        return sql.SQL(" AND ").join(conditions), params


def escape_like(text: str) -> str:
    """A fragment matched literally inside ILIKE: %, _ and \\ lose their pattern meaning."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_campaigns(
    conn: psycopg.Connection, filters: CampaignFilters, limit: int, offset: int
) -> tuple[int, list[dict]]:
    where, params = filters.where()
    total = conn.execute(
        sql.SQL("SELECT count(*) AS n FROM analytics.campaign_summary s WHERE {}").format(where), params
    ).fetchone()["n"]
    rows = conn.execute(
        sql.SQL(
            "SELECT {} FROM analytics.campaign_summary s WHERE {} "
            "ORDER BY s.start_date DESC NULLS LAST, s.campaign_id LIMIT %(limit)s OFFSET %(offset)s"
        ).format(BRIEF_COLUMNS, where),
        {**params, "limit": limit, "offset": offset},
    ).fetchall()
    return total, rows


def campaign_by_id(conn: psycopg.Connection, campaign_id: int) -> dict | None:
    return conn.execute(
        sql.SQL(
            "SELECT {}, s.reach, s.views, s.likes, s.interactions, s.reactions, s.exposure_hours::float8, s.leads, "
            "s.converted_leads, s.clients, s.sales_count, s.revenue::float8, s.cost::float8, s.budget::float8, "
            "s.roi::float8, s.conversion_rate::float8, s.success_rate::float8, s.content_used, "
            "s.last_source_change, s.updated_at "
            "FROM analytics.campaign_summary s WHERE s.campaign_id = %(id)s"
        ).format(BRIEF_COLUMNS),
        {"id": campaign_id},
    ).fetchone()


def campaigns_by_ids(conn: psycopg.Connection, campaign_ids: list[int]) -> list[dict]:
    return conn.execute(
        sql.SQL(
            "SELECT {}, s.budget::float8 AS budget FROM analytics.campaign_summary s "
            "WHERE s.campaign_id = ANY (%(ids)s) LIMIT 100"
        ).format(BRIEF_COLUMNS),
        {"ids": campaign_ids},
    ).fetchall()


def campaigns_named(conn: psycopg.Connection, name: str, limit: int = 11) -> list[dict]:
    """Campaigns whose name is exactly `name` (ignoring case)."""
    return conn.execute(
        sql.SQL(
            "SELECT {} FROM analytics.campaign_summary s WHERE lower(s.campaign_name) = lower(%(name)s) "
            "ORDER BY s.campaign_id LIMIT %(limit)s"
        ).format(BRIEF_COLUMNS),
        {"name": name, "limit": limit},
    ).fetchall()


def campaigns_containing(conn: psycopg.Connection, fragment: str, limit: int = 11) -> list[dict]:
    return conn.execute(
        sql.SQL(
            r"SELECT {} FROM analytics.campaign_summary s WHERE s.campaign_name ILIKE %(like)s ESCAPE '\' "
            "ORDER BY similarity(s.campaign_name, %(text)s) DESC, s.campaign_id LIMIT %(limit)s"
        ).format(BRIEF_COLUMNS),
        {"like": f"%{escape_like(fragment)}%", "text": fragment, "limit": limit},
    ).fetchall()


def closest_campaign_names(conn: psycopg.Connection, text: str, limit: int = 5) -> list[dict]:
    """Nearest names by trigram similarity (pg_trgm), for "did you mean" answers; unrelated names are left out."""
    return conn.execute(
        "SELECT s.campaign_id, s.campaign_name, similarity(s.campaign_name, %(text)s)::float8 AS score "
        "FROM analytics.campaign_summary s WHERE similarity(s.campaign_name, %(text)s) >= 0.1 "
        "ORDER BY score DESC, s.campaign_id LIMIT %(limit)s",
        {"text": text, "limit": limit},
    ).fetchall()


def closest_values(conn: psycopg.Connection, kind: str, text: str, limit: int = 5) -> list[str]:
    """Known brands/channels/markets nearest to `text` (for an unknown filter value)."""
    source = VALUE_SOURCES[kind]
    rows = conn.execute(
        sql.SQL(
            "SELECT v, similarity(v, %(text)s) AS score FROM ({}) known(v) "
            "ORDER BY score DESC, v LIMIT %(limit)s"
        ).format(source),
        {"text": text, "limit": limit},
    ).fetchall()
    return [row["v"] for row in rows]


VALUE_SOURCES: dict[str, sql.Composable] = {
    "brand": sql.SQL(
        "SELECT DISTINCT brand_name FROM analytics.campaign_summary WHERE brand_name IS NOT NULL"
    ),
    "channel": sql.SQL("SELECT DISTINCT unnest(channels) FROM analytics.campaign_summary"),
    "market": sql.SQL("SELECT DISTINCT unnest(markets) FROM analytics.campaign_summary"),
}


# Existence checks stop at the first match, so a known value costs a few rows, not a scan of every campaign.
EXISTS_SQL: dict[str, sql.Composable] = {
    "brand": sql.SQL(
        "SELECT 1 FROM analytics.campaign_summary s WHERE lower(s.brand_name) = lower(%(value)s)"
    ),
    "channel": sql.SQL(
        "SELECT 1 FROM analytics.campaign_summary s, unnest(s.channels) x WHERE lower(x) = lower(%(value)s)"
    ),
    "market": sql.SQL(
        "SELECT 1 FROM analytics.campaign_summary s, unnest(s.markets) x WHERE lower(x) = lower(%(value)s)"
    ),
}


def value_exists(conn: psycopg.Connection, kind: str, value: str) -> bool:
    return conn.execute(
        sql.SQL("SELECT EXISTS ({}) AS e").format(EXISTS_SQL[kind]), {"value": value}
    ).fetchone()["e"]


def dimension_ids(conn: psycopg.Connection, kind: str, name: str) -> tuple[int, ...]:
    """The PromptAds ids of a channel or market name (ignoring case) that the facts carry."""
    return tuple(
        r["id"]
        for r in conn.execute(
            "SELECT id FROM analytics.dimension_names WHERE kind = %(kind)s AND lower(name) = lower(%(name)s) "
            "ORDER BY id LIMIT 10",
            {"kind": kind, "name": name},
        ).fetchall()
    )


def campaign_values(conn: psycopg.Connection, campaign_ids: list[int], metrics: list[str]) -> list[dict]:
    """Lifetime values of the given metrics, from each campaign's summary."""
    columns = sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(CAMPAIGN_METRIC_SQL[m], sql.Identifier(m)) for m in metrics
    )
    return conn.execute(
        sql.SQL(
            "SELECT s.campaign_id, {} FROM analytics.campaign_summary s WHERE s.campaign_id = ANY (%(ids)s) LIMIT 100"
        ).format(columns),
        {"ids": campaign_ids},
    ).fetchall()


def top_lifetime(
    conn: psycopg.Connection, metric: str, scope: Scope, descending: bool, limit: int
) -> list[dict]:
    """Campaigns ranked by a lifetime value from their summaries (no period, channel or market asked)."""
    where, params = scope.campaign_where()
    value = CAMPAIGN_METRIC_SQL[metric]
    return conn.execute(
        sql.SQL(
            "SELECT {}, {} AS value FROM analytics.campaign_summary s WHERE {} AND {} IS NOT NULL "
            "ORDER BY value {}, s.campaign_id LIMIT %(limit)s"
        ).format(BRIEF_COLUMNS, value, where, value, sql.SQL("DESC" if descending else "ASC")),
        {**params, "limit": limit},
    ).fetchall()


def activity_span(conn: psycopg.Connection) -> dict:
    """The first and last day with PromptAds results (index ends of ad_facts_daily_day_idx)."""
    return conn.execute(
        "SELECT (SELECT min(day) FROM analytics.ad_facts_daily) AS first, "
        "(SELECT max(day) FROM analytics.ad_facts_daily) AS last"
    ).fetchone()


def overview(conn: psycopg.Connection, list_limit: int = 200) -> dict:
    """Counts, date coverage and the known brand/channel/market names, in one round trip."""
    return conn.execute(
        sql.SQL(
            "SELECT count(*) AS campaigns, count(*) FILTER (WHERE status = 'active') AS active, "
            "count(*) FILTER (WHERE status = 'finished') AS finished, min(start_date) AS first_start_date, "
            "max(end_date) AS last_end_date, max(updated_at) AS last_etl_update, "
            "(SELECT min(day) FROM analytics.ad_facts_daily) AS first_activity_day, "
            "(SELECT max(day) FROM analytics.ad_facts_daily) AS last_activity_day, "
            "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({brand} ORDER BY 1 LIMIT %(n)s) b(v)) AS brands, "
            "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({channel} ORDER BY 1 LIMIT %(n)s) c(v)) AS channels, "
            "(SELECT coalesce(array_agg(v ORDER BY v), '{{}}') FROM ({market} ORDER BY 1 LIMIT %(n)s) m(v)) AS markets "
            "FROM analytics.campaign_summary"
        ).format(**VALUE_SOURCES),
        {"n": list_limit},
    ).fetchone()
