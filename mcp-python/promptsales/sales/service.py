"""The work behind each sales tool: check the input, resolve campaign names, answer from Redis or PostgreSQL.

`SalesService` holds the two clients the lifespan opened (a read-only psycopg pool and the `Cache`) and
has one method per tool. Every failure a caller can cause or meet becomes a `SalesError`, a `ToolError`
whose one-line message says what to do next; the MCP SDK hands that text to the client's model.
Answers are cached under kind `sales:query` (see `promptsales.cache`): the key carries the `sales` data
version the ETL bumps, so a cached answer is never older than the last ETL run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import psycopg
from mcp.server.mcpserver.exceptions import ToolError
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from promptsales.cache import Cache
from promptsales.sales import models, queries
from promptsales.sales.queries import CampaignFilters
from promptsales.settings import Settings

log = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Answer)

CACHE_KIND = "sales:query"
# Dates outside this window are typos (1900, 9999), not questions about campaigns.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
DEFAULT_COMPARE_METRICS = ("reach", "reactions", "sales_count", "revenue", "cost", "roi", "conversion_rate",
                           "success_rate")


class SalesError(ToolError):
    """A question this server cannot answer as asked; the message says how to ask it."""


def open_pool(settings: Settings, *, min_size: int = 2, max_size: int = 8) -> ConnectionPool:
    """A pool of read-only connections: every transaction is READ ONLY and, where the database has it,
    runs as the promptsales_readonly role, so no tool can change a row even by mistake."""
    pool = ConnectionPool(
        settings.postgres.dsn(), min_size=min_size, max_size=max_size, open=False, name="sales-mcp",
        kwargs={"row_factory": dict_row, "autocommit": True, "connect_timeout": 3,
                "options": "-c default_transaction_read_only=on -c statement_timeout=5000"},
        configure=_use_readonly_role, reconnect_timeout=60)
    pool.open(wait=False)  # the server starts even while PostgreSQL is down; calls then say so
    return pool


def _use_readonly_role(conn: psycopg.Connection) -> None:
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'promptsales_readonly') "
                       "AND pg_has_role(current_user, 'promptsales_readonly', 'SET') AS ok").fetchone()
    if row["ok"]:
        conn.execute("SET ROLE promptsales_readonly")


class SalesService:
    def __init__(self, pool: ConnectionPool, cache: Cache):
        self.pool = pool
        self.cache = cache

    # -- plumbing -----------------------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            with self.pool.connection(timeout=3) as conn:
                yield conn
        except SalesError:
            raise
        except PoolTimeout as exc:
            raise SalesError("The PromptSales database (PostgreSQL) is unavailable right now; nothing was "
                             "answered. Try again in a minute.") from exc
        except pg_errors.QueryCanceled as exc:
            raise SalesError("The query took longer than 5 s and was stopped; narrow the question "
                             "(a shorter period, a brand, fewer campaigns).") from exc
        except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName) as exc:
            raise SalesError("The campaign summaries do not exist yet in this database: run "
                             "`promptsales db init` and `promptsales etl run` first.") from exc
        except psycopg.OperationalError as exc:
            raise SalesError("Lost the connection to the PromptSales database (PostgreSQL); try again "
                             "in a minute.") from exc
        except psycopg.Error as exc:
            log.warning("sales query failed: %s", exc)
            raise SalesError(f"The database refused the query ({type(exc).__name__}); nothing was changed.") from exc

    def _answer(self, tool: str, args: dict[str, Any], model: type[M], compute: Callable[[], M]) -> M:
        result = self.cache.get_or_compute(CACHE_KIND, {"tool": tool, "args": args},
                                           lambda: compute().model_dump(mode="json", exclude={"cache"}))
        if result.hit:
            info = models.CacheInfo(hit=True, cached=True, note="from the Redis cache (current data version)")
        elif result.key is None:
            info = models.CacheInfo(hit=False, cached=False,
                                    note="Redis is unavailable: computed fresh from PostgreSQL and not cached")
        else:
            info = models.CacheInfo(hit=False, cached=True, note="computed fresh from PostgreSQL and cached")
        return model.model_validate({**result.value, "cache": info.model_dump()})

    # -- input checks -------------------------------------------------------------------------------------
    @staticmethod
    def check_text(name: str, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise SalesError(f"{name} is empty; leave it out or give some text.")
        if any(ord(ch) < 32 for ch in value):
            raise SalesError(f"{name} contains control characters; send plain text.")
        return value

    @staticmethod
    def check_period(date_from: date | None, date_to: date | None, names: tuple[str, str]) -> None:
        for name, value in zip(names, (date_from, date_to)):
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                raise SalesError(f"{name} {value} is out of range: use a date between {EARLIEST_DATE} and "
                                 f"{LATEST_DATE} (campaign data runs from July 2024).")
        if date_from and date_to and date_from > date_to:
            raise SalesError(f"{names[0]} ({date_from}) is after {names[1]} ({date_to}): the dates are "
                             f"reversed; swap them.")

    def _check_filter_values(self, conn: psycopg.Connection, filters: CampaignFilters) -> None:
        """An unknown brand/channel/market is a typo far more often than a real empty answer: say so."""
        for kind in ("brand", "channel", "market"):
            value = getattr(filters, kind)
            if value and not queries.value_exists(conn, kind, value):
                closest = queries.closest_values(conn, kind, value)
                raise SalesError(f"Unknown {kind} {value!r}. Closest known {kind}s: "
                                 f"{', '.join(closest) or 'none'}. Use one of those (sales_overview lists all).")

    def _resolve(self, conn: psycopg.Connection, reference: str) -> dict:
        """One campaign from an id, an exact name, or a fragment that matches exactly one name."""
        text = self.check_text("campaign", reference) or ""
        if text.lstrip("#").isdigit() and len(text) <= 18:
            campaign_id = int(text.lstrip("#"))
            row = conn.execute("SELECT campaign_id FROM analytics.campaign_summary WHERE campaign_id = %s",
                               (campaign_id,)).fetchone()
            if row is None:
                raise SalesError(f"No campaign has campaign_id {campaign_id}. Use find_campaigns to look "
                                 f"campaigns up by name, brand or date.")
            return {"campaign_id": campaign_id}
        exact = queries.campaigns_named(conn, text)
        if len(exact) == 1:
            return exact[0]
        candidates = exact or queries.campaigns_containing(conn, text)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "; ".join(f"{c['campaign_name']} (campaign_id {c['campaign_id']}, {c['brand_name']}, "
                               f"{c['start_date']}..{c['end_date']})" for c in candidates[:10])
            more = " and more" if len(candidates) > 10 else ""
            raise SalesError(f"Campaign {text!r} is ambiguous: it matches {listed}{more}. "
                             f"Call again with one campaign_id or the full name.")
        closest = queries.closest_campaign_names(conn, text)
        suggestions = "; ".join(f"{c['campaign_name']} (campaign_id {c['campaign_id']})" for c in closest)
        if not suggestions:
            raise SalesError(f"Unknown campaign {text!r}, and no campaign name resembles it. Use find_campaigns "
                             f"(by brand, dates, channel) or sales_overview to see what there is.")
        raise SalesError(f"Unknown campaign {text!r}. Closest names: {suggestions}. "
                         f"Call again with one of those.")

    def _filters(self, brand: str | None, status: str | None, channel: str | None,
                 market: str | None) -> CampaignFilters:
        """The brand / status / channel / market filters the ranking and breakdown tools share, checked."""
        return CampaignFilters(brand=self.check_text("brand", brand), status=status,
                               channel=self.check_text("channel", channel), market=self.check_text("market", market))

    # -- tools --------------------------------------------------------------------------------------------
    def find_campaigns(self, *, name_contains: str | None = None, brand: str | None = None,
                       status: str | None = None, active_from: date | None = None, active_to: date | None = None,
                       channel: str | None = None, market: str | None = None, limit: int = 20,
                       offset: int = 0) -> models.CampaignList:
        self.check_period(active_from, active_to, ("active_from", "active_to"))
        filters = CampaignFilters(
            name_contains=self.check_text("name_contains", name_contains), brand=self.check_text("brand", brand),
            status=status, date_from=active_from, date_to=active_to, channel=self.check_text("channel", channel),
            market=self.check_text("market", market))

        def compute() -> models.CampaignList:
            with self._connection() as conn:
                self._check_filter_values(conn, filters)
                total, rows = queries.find_campaigns(conn, filters, limit, offset)
            return models.CampaignList(total_matches=total, returned=len(rows),
                                       campaigns=[models.CampaignBrief.model_validate(r) for r in rows])

        return self._answer("find_campaigns", {**filters.__dict__, "limit": limit, "offset": offset},
                            models.CampaignList, compute)

    def campaign_performance(self, campaign: str) -> models.CampaignPerformance:
        def compute() -> models.CampaignPerformance:
            with self._connection() as conn:
                campaign_id = self._resolve(conn, campaign)["campaign_id"]
                row = queries.campaign_by_id(conn, campaign_id)
            if row is None:  # deleted between the two statements (an ETL re-seed)
                raise SalesError(f"Campaign {campaign!r} disappeared while answering; ask again.")
            success = row["success_rate"]
            metrics = models.CampaignMetrics.model_validate(
                {**row, "success_rate_pct": None if success is None else round(success * 100, 2)})
            return models.CampaignPerformance(
                campaign=models.CampaignBrief.model_validate(row), metrics=metrics,
                content_used=row["content_used"],
                last_source_change=row["last_source_change"] and row["last_source_change"].isoformat(),
                summary_updated_at=row["updated_at"] and row["updated_at"].isoformat(),
                metric_notes=models.metric_notes(list(models.METRICS)))

        return self._answer("campaign_performance", {"campaign": campaign.strip().lower()},
                            models.CampaignPerformance, compute)

    def compare_campaigns(self, campaigns: list[str], metrics: list[str] | None = None) -> models.CampaignComparison:
        chosen = list(dict.fromkeys(metrics or DEFAULT_COMPARE_METRICS))
        if not 2 <= len(campaigns) <= 10:
            raise SalesError(f"compare_campaigns needs 2 to 10 campaigns (got {len(campaigns)}).")

        def compute() -> models.CampaignComparison:
            with self._connection() as conn:
                problems: list[str] = []
                ids: list[int] = []
                for reference in campaigns:
                    try:
                        ids.append(self._resolve(conn, reference)["campaign_id"])
                    except SalesError as exc:
                        problems.append(str(exc))
                if problems:
                    raise SalesError(" | ".join(problems))
                rows = {r["campaign_id"]: r for r in queries.campaign_values(conn, list(dict.fromkeys(ids)), chosen)}
            compared = [models.ComparedCampaign(campaign=models.CampaignBrief.model_validate(rows[i]),
                                                values={m: rows[i][m] for m in chosen})
                        for i in dict.fromkeys(ids)]
            leaders: dict[str, str | None] = {}
            for metric in chosen:
                valued = [c for c in compared if c.values[metric] is not None]
                leaders[metric] = (max(valued, key=lambda c: c.values[metric]).campaign.campaign_name
                                   if valued else None)
            return models.CampaignComparison(metrics=chosen, campaigns=compared, leaders=leaders,
                                             metric_notes=models.metric_notes(chosen))

        return self._answer("compare_campaigns", {"campaigns": [c.strip().lower() for c in campaigns],
                                                  "metrics": chosen}, models.CampaignComparison, compute)

    def top_campaigns(self, *, metric: str, period_from: date | None = None, period_to: date | None = None,
                      limit: int = 10, order: str = "desc", brand: str | None = None, status: str | None = None,
                      channel: str | None = None, market: str | None = None) -> models.TopCampaigns:
        self.check_period(period_from, period_to, ("period_from", "period_to"))
        filters = self._filters(brand, status, channel, market)
        in_period = (period_from or period_to) is not None and metric in queries.SUMMED_METRIC_SQL

        def compute() -> models.TopCampaigns:
            with self._connection() as conn:
                self._check_filter_values(conn, filters)
                if in_period:
                    bounds = queries.month_bounds(conn)
                    month_from = _month(period_from) if period_from else bounds["first"] or EARLIEST_DATE
                    month_to = _month(period_to) if period_to else bounds["last"] or LATEST_DATE
                    rows = queries.top_in_period(conn, metric, filters, month_from, month_to, order == "desc", limit)
                    basis = (f"{metric} summed over the months {month_from:%Y-%m} to {month_to:%Y-%m} "
                             f"(whole calendar months from campaign_month_summary)")
                else:
                    period_filters = replace(filters, date_from=period_from, date_to=period_to)
                    rows = queries.top_lifetime(conn, metric, period_filters, order == "desc", limit)
                    basis = (f"lifetime {metric} of each campaign"
                             + (" whose run overlaps the period" if period_from or period_to else "")
                             + ("" if metric in queries.SUMMED_METRIC_SQL else
                                f" ({metric} is only kept per campaign, not per month)"))
            return models.TopCampaigns(
                metric=metric, order=order, period_from=period_from, period_to=period_to, basis=basis,
                campaigns=[models.RankedCampaign(rank=i + 1, campaign=models.CampaignBrief.model_validate(r),
                                                 value=r["value"]) for i, r in enumerate(rows)],
                metric_notes=models.metric_notes([metric]))

        return self._answer("top_campaigns", {**filters.__dict__, "metric": metric, "period_from": period_from,
                                              "period_to": period_to, "limit": limit, "order": order},
                            models.TopCampaigns, compute)

    def breakdown(self, *, dimension: str, campaign: str | None = None, brand: str | None = None,
                  status: str | None = None, period_from: date | None = None, period_to: date | None = None,
                  channel: str | None = None, market: str | None = None, limit: int = 50) -> models.Breakdown:
        self.check_period(period_from, period_to, ("period_from", "period_to"))
        campaign = self.check_text("campaign", campaign)
        base = self._filters(brand, status, channel, market)

        def compute() -> models.Breakdown:
            with self._connection() as conn:
                self._check_filter_values(conn, base)
                filters, scope = base, _scope(base)
                if campaign is not None:
                    resolved = self._resolve(conn, campaign)
                    filters = replace(base, campaign_ids=(resolved["campaign_id"],))
                    scope = f"campaign_id {resolved['campaign_id']}" + (f", {_scope(base)}" if _scope(base) != "all campaigns" else "")
                month_from = month_to = None
                if dimension == "month":
                    month_from = _month(period_from) if period_from else EARLIEST_DATE
                    month_to = _month(period_to) if period_to else LATEST_DATE
                    if period_from or period_to:
                        scope += f", months {month_from:%Y-%m} to {month_to:%Y-%m}"
                elif period_from or period_to:
                    filters = replace(filters, date_from=period_from, date_to=period_to)
                    scope += f", campaigns running between {period_from or 'the start'} and {period_to or 'now'}"
                rows = queries.breakdown(conn, dimension, filters, month_from, month_to, limit)
            total_revenue = sum(r["revenue"] or 0 for r in rows)
            return models.Breakdown(
                dimension=dimension, scope=scope,
                rows=[models.BreakdownRow.model_validate(
                    {**r, "share_of_revenue_pct": round(100 * r["revenue"] / total_revenue, 2)
                     if total_revenue else None}) for r in rows],
                metric_notes=models.metric_notes(list(queries.SUMMED_METRIC_SQL)))

        return self._answer("breakdown", {**base.__dict__, "dimension": dimension,
                                          "campaign": campaign and campaign.lower(), "period_from": period_from,
                                          "period_to": period_to, "limit": limit}, models.Breakdown, compute)

    def trends(self, *, metric: str, period_from: date | None = None, period_to: date | None = None,
               campaign: str | None = None, brand: str | None = None, status: str | None = None,
               channel: str | None = None, market: str | None = None) -> models.Trend:
        self.check_period(period_from, period_to, ("period_from", "period_to"))
        campaign = self.check_text("campaign", campaign)
        base = self._filters(brand, status, channel, market)

        def compute() -> models.Trend:
            with self._connection() as conn:
                self._check_filter_values(conn, base)
                filters, scope = base, _scope(base)
                if campaign is not None:
                    resolved = self._resolve(conn, campaign)
                    filters = replace(base, campaign_ids=(resolved["campaign_id"],))
                    scope = f"campaign_id {resolved['campaign_id']}"
                month_from = _month(period_from) if period_from else EARLIEST_DATE
                month_to = _month(period_to) if period_to else LATEST_DATE
                rows = queries.monthly_series(conn, metric, filters, month_from, month_to)
            points: list[models.TrendPoint] = []
            previous: float | None = None
            for row in rows:
                points.append(models.TrendPoint(month=row["month"], value=row["value"],
                                                change_pct=_change_pct(previous, row["value"])))
                previous = row["value"]
            first_last = _change_pct(points[0].value, points[-1].value) if len(points) >= 2 else None
            return models.Trend(metric=metric, scope=scope, points=points, direction=_direction(points),
                                first_to_last_change_pct=first_last, metric_notes=models.metric_notes([metric]))

        return self._answer("trends", {**base.__dict__, "metric": metric, "campaign": campaign and campaign.lower(),
                                       "period_from": period_from, "period_to": period_to}, models.Trend, compute)

    def sales_overview(self) -> models.SalesOverview:
        def compute() -> models.SalesOverview:
            with self._connection() as conn:
                row = queries.overview(conn)
            return models.SalesOverview.model_validate(
                {**row, "last_etl_update": row["last_etl_update"] and row["last_etl_update"].isoformat()})

        return self._answer("sales_overview", {}, models.SalesOverview, compute)


def _month(value: date) -> date:
    return value.replace(day=1)


def _scope(filters: CampaignFilters) -> str:
    parts = [f"{name} {getattr(filters, name)}" for name in ("brand", "status", "channel", "market")
             if getattr(filters, name)]
    return ", ".join(parts) or "all campaigns"


def _change_pct(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return round(100 * (after - before) / abs(before), 2)


def _direction(points: list[models.TrendPoint]) -> str:
    """Sign of the least-squares slope, called flat when the fitted change is under 5 % of the mean."""
    values = [(i, p.value) for i, p in enumerate(points) if p.value is not None]
    if len(values) < 2:
        return "not enough data"
    n = len(values)
    mean_x = sum(i for i, _ in values) / n
    mean_y = sum(v for _, v in values) / n
    denominator = sum((i - mean_x) ** 2 for i, _ in values)
    slope = sum((i - mean_x) * (v - mean_y) for i, v in values) / denominator
    fitted_change = slope * (values[-1][0] - values[0][0])
    if mean_y == 0 or abs(fitted_change) < 0.05 * abs(mean_y):
        return "flat"
    return "rising" if slope > 0 else "falling"
