"""The work behind each sales tool: check the input, resolve names, answer from Redis or PostgreSQL.

`SalesService` holds the two clients the lifespan opened (a read-only psycopg pool and the `Cache`) and
has one method per tool. Every failure a caller can cause or meet becomes an `InvalidInput`, `NotFound` or
`Unavailable` (promptsales.errors) whose one-line message says what to do next; the server hands that text
to the client's model as the tool's error.
Answers are cached under kind `sales:query` (see `promptsales.cache`): the key carries the `sales` data
version the ETL bumps, so a cached answer is never older than the last ETL run.

What a figure sums is stated in every answer's `basis`: a period means the activity inside it (any range of
days), a channel or market filter keeps only that channel's or market's facts, and a metric the sources
cannot split that way (PromptCrm's leads have no channel) is left out with the reason, never approximated.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeVar

import psycopg
from mcp_types import CallToolResult, ImageContent, TextContent
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout
from pydantic_core import from_json

from promptsales.cache import Cache, canonical_hash
from promptsales.errors import InvalidInput, NotFound, PromptSalesError, Unavailable
from promptsales.sales import charts, models, queries
from promptsales.sales.models import METRICS
from promptsales.sales.queries import CampaignFilters, Period, Scope
from promptsales.settings import Settings

log = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Answer)

CACHE_KIND = "sales:query"
# A chart lives beside its answer: the same hash and data version, read in the same round trip.
CHART_KIND = "sales:chart"
# Dates outside this window are typos (1900, 9999), not questions about campaigns.
EARLIEST_DATE = queries.ALL_FROM
LATEST_DATE = queries.ALL_TO
DEFAULT_COMPARE_METRICS = (
    "reach",
    "reactions",
    "sales_count",
    "revenue",
    "cost",
    "roi",
    "conversion_rate",
    "success_rate",
)
# A breakdown or trend has at most this many rows before `limit` (months of the data, channels, markets).
MAX_GROUP_ROWS = 1200
CampaignRef = int | str
# How a tool method answers: a model (False), the MCP result (True), or the MCP result only when Redis holds
# it ("if cached", else None).
Reply = bool | Literal["if cached"]


CACHE_HIT = {"hit": True, "cached": True, "note": "from the Redis cache (current data version)"}
CACHE_STORED = {"hit": False, "cached": True, "note": "computed fresh from PostgreSQL and cached"}
CACHE_DOWN = {
    "hit": False,
    "cached": False,
    "note": "Redis is unavailable: computed fresh from PostgreSQL and not cached",
}


@dataclass(frozen=True)
class ChartAsk:
    """A chart to send beside an answer: how it is drawn from the answer's JSON, and what tells it apart
    from other charts of the same answer (its kind, metric and drawing style) in its cache key."""

    draw: Callable[[dict], charts.Chart]
    variant: str


def open_pool(settings: Settings, *, min_size: int = 2, max_size: int = 8) -> ConnectionPool:
    """A pool of read-only connections: every transaction is READ ONLY and, where the database has it,
    runs as the promptsales_readonly role, so no tool can change a row even by mistake."""
    pool = ConnectionPool(
        settings.postgres.dsn(),
        min_size=min_size,
        max_size=max_size,
        open=False,
        name="sales-mcp",
        # work_mem: a question over a long period sums tens of thousands of fact rows per campaign and month;
        # with PostgreSQL's default 4 MB that hash aggregate spills to disk (measured at 5,000 campaigns: a
        # lifetime trend 254 ms with 5 batches on disk). Each connection sorts or hashes a few such sets at most.
        # plan_cache_mode: psycopg prepares a statement from its 5th run, and PostgreSQL then plans it once for
        # any parameters (a generic plan) when that looks no dearer; for these sums it is far dearer: a
        # lifetime trend at 5,000 campaigns went from 27 ms to 90-100 ms from its 10th run on. Planning anew
        # each time costs about a millisecond.
        kwargs={
            "row_factory": dict_row,
            "autocommit": True,
            "connect_timeout": 3,
            "options": "-c default_transaction_read_only=on -c statement_timeout=5000 -c work_mem=64MB "
            "-c plan_cache_mode=force_custom_plan",
        },
        configure=_use_readonly_role,
        reconnect_timeout=60,
    )
    pool.open(wait=False)  # the server starts even while PostgreSQL is down; calls then say so
    return pool


def _use_readonly_role(conn: psycopg.Connection) -> None:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'promptsales_readonly') "
        "AND pg_has_role(current_user, 'promptsales_readonly', 'SET') AS ok"
    ).fetchone()
    if row["ok"]:
        conn.execute("SET ROLE promptsales_readonly")


@dataclass(frozen=True)
class Asked:
    """A question's scope as resolved (ids), with the words it was asked in (for `basis` and `scope`)."""

    scope: Scope
    campaign: str | None = None  # "campaign 12 (Holiday Glow Aurora)"
    brand: str | None = None
    status: str | None = None
    channel: str | None = None
    market: str | None = None
    campaign_row: dict | None = None  # the one campaign asked about (its brief), if any

    def filters_text(self) -> str:
        parts = [self.campaign] if self.campaign else []
        parts += [
            f"{name} {getattr(self, name)}"
            for name in ("brand", "status", "channel", "market")
            if getattr(self, name)
        ]
        return ", ".join(parts) or "all campaigns"

    def period_text(self) -> str:
        period = self.scope.period
        if not period.bounded:
            return "every day"
        if period.date_from and period.date_to:
            return f"days {period.date_from}..{period.date_to}"
        return f"days from {period.date_from} on" if period.date_from else f"days up to {period.date_to}"

    def describe(self) -> str:
        return f"{self.filters_text()}, {self.period_text()}"

    def basis(self, source: str) -> str:
        """What a figure of `source` sums in this scope."""
        what = {"ads": "PromptAds results", "crm": "PromptCrm leads, converted leads and client links"}[
            source
        ]
        return (
            f"sums of {what} (grain {models.GRAINS[source]}) for {self.describe()}: activity inside the "
            f"period only; ratios recomputed from those sums"
        )

    def unsplittable(self, metric: str) -> str | None:
        """Why `metric` cannot be answered in this scope, or None when it can."""
        source = METRICS[metric].source
        if self.scope.splits_channel_or_market and source != "ads":
            dimension = " and ".join(d for d, v in (("channel", self.channel), ("market", self.market)) if v)
            return (
                f"{metric} cannot be split by {dimension}: its figures (grain {models.GRAINS[source]}) "
                f"carry no {dimension}, so no value is given. Ask without the {dimension} filter for "
                f"{metric}, or pick a PromptAds metric (reach, sales_count, revenue, ...)"
            )
        return None


def _nothing(conn: psycopg.Connection, asked: Asked) -> str:
    """Why a scope holds no activity, in words the client's model can act on."""
    span, campaign = queries.activity_span(conn), asked.campaign_row
    text = (
        f"nothing matched: no activity for {asked.describe()} (PromptAds results run from "
        f"{span['first']} to {span['last']})"
    )
    if campaign is not None:
        text += (
            f"; campaign {campaign['campaign_id']} ran {campaign['start_date']}..{campaign['end_date']} on "
            f"{', '.join(campaign['channels']) or 'no channel'} in {', '.join(campaign['markets']) or 'no market'}"
        )
    return text


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
        except PromptSalesError:
            raise
        except PoolTimeout as exc:
            raise Unavailable(
                "The PromptSales database (PostgreSQL) is unavailable right now; nothing was "
                "answered. Try again in a minute."
            ) from exc
        except pg_errors.QueryCanceled as exc:
            raise Unavailable(
                "The query took longer than 5 s and was stopped; narrow the question "
                "(a shorter period, a brand, fewer campaigns)."
            ) from exc
        except (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName) as exc:
            raise Unavailable(
                "The campaign summaries do not exist yet in this database: run "
                "`promptsales db init` and `promptsales etl run` first."
            ) from exc
        except psycopg.OperationalError as exc:
            raise Unavailable(
                "Lost the connection to the PromptSales database (PostgreSQL); try again in a minute."
            ) from exc
        except psycopg.Error as exc:
            log.warning("sales query failed: %s", exc)
            raise Unavailable(
                f"The database refused the query ({type(exc).__name__}); nothing was changed."
            ) from exc

    def _answer(
        self,
        tool: str,
        args: dict[str, Any],
        model: type[M],
        compute: Callable[[], M],
        reply: Reply,
        chart: ChartAsk | None = None,
    ) -> M | CallToolResult | None:
        """The answer as a model (reply=False), or as the MCP result itself: the JSON Redis holds passed
        through as the text and parsed once for the structured content, with no model built in between (the
        SDK still checks it against the tool's output schema). reply="if cached": that result when Redis
        holds it, else None without computing (the MCP layer then computes in a worker thread).
        chart: an MCP result also carries that chart (see `_answer_with_chart`)."""
        if reply and chart is not None:
            return self._answer_with_chart(tool, args, compute, reply, chart)
        if reply == "if cached":
            result = self.cache.get_or_compute(
                CACHE_KIND, {"tool": tool, "args": args}, lambda: None, store=False
            )
            if not result.hit:
                return None
        else:
            result = self.cache.get_or_compute(
                CACHE_KIND,
                {"tool": tool, "args": args},
                lambda: compute().model_dump(mode="json", exclude={"cache"}),
            )
        if result.hit:
            info = CACHE_HIT
        elif result.key is None:
            info = CACHE_DOWN
        else:
            info = CACHE_STORED
        if not reply:
            return model.model_validate({**result.value, "cache": info})
        text = result.text if result.text is not None else json.dumps(result.value, default=str)
        return _result(result.value, text, info)

    def _answer_with_chart(
        self,
        tool: str,
        args: dict[str, Any],
        compute: Callable[[], models.Answer],
        reply: Reply,
        chart: ChartAsk,
    ) -> CallToolResult | None:
        """The answer and its chart, both read from Redis in one round trip under the same data version. A
        cached answer whose chart is cached too costs no query and no rendering; a chart is drawn only from
        the answer's JSON, so a cached answer without its chart (first asked with chart=false) gets one
        drawn without PostgreSQL. reply="if cached": None unless both are cached (drawing takes a thread)."""
        digest = canonical_hash({"tool": tool, "args": args})
        found = self.cache.lookup_together([(CACHE_KIND, digest), (CHART_KIND, f"{digest}:{chart.variant}")])
        (answer_key, answer_raw), (chart_key, chart_raw) = found or ((None, None), (None, None))
        if reply == "if cached" and (answer_raw is None or chart_raw is None):
            return None
        fresh: list[tuple[str, str, str]] = []
        if answer_raw is None:
            value = compute().model_dump(mode="json", exclude={"cache"})
            text = json.dumps(value, default=str)
            fresh.append((answer_key, CACHE_KIND, text))
        else:
            value, text = from_json(answer_raw), answer_raw.decode()
        if chart_raw is None:
            picture = _draw(chart, value)
            drawn = (
                picture.as_cached() if picture else {"png": None, "note": "it could not be drawn this time"}
            )
            if picture is not None:
                fresh.append((chart_key, CHART_KIND, json.dumps(drawn)))
        else:
            drawn = from_json(chart_raw)
        stored = found is not None and (not fresh or self.cache.set_together(fresh))
        info = CACHE_HIT if answer_raw is not None else (CACHE_STORED if stored else CACHE_DOWN)
        if drawn["png"] is not None:
            extra = ImageContent(type="image", data=drawn["png"], mime_type="image/png")
        else:
            extra = TextContent(type="text", text=f"chart: {drawn['note']}")
        return _result(value, text, info, extra)

    # -- input checks -------------------------------------------------------------------------------------
    @staticmethod
    def check_text(name: str, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise InvalidInput(f"{name} is empty; leave it out or give some text.")
        if any(ord(ch) < 32 for ch in value):
            raise InvalidInput(f"{name} contains control characters; send plain text.")
        return value

    @staticmethod
    def check_period(date_from: date | None, date_to: date | None, names: tuple[str, str]) -> Period:
        for name, value in zip(names, (date_from, date_to)):
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                raise InvalidInput(
                    f"{name} {value} is out of range: use a date between {EARLIEST_DATE} and "
                    f"{LATEST_DATE} (campaign data runs from July 2024)."
                )
        if date_from and date_to and date_from > date_to:
            raise InvalidInput(
                f"{names[0]} ({date_from}) is after {names[1]} ({date_to}): the dates are "
                f"reversed; swap them."
            )
        return Period(date_from, date_to)

    @staticmethod
    def campaign_text(reference: CampaignRef) -> str:
        """A campaign as clients send it, a number or a string, as the text `_resolve` reads."""
        if isinstance(reference, bool):  # JSON true/false would otherwise pass as 1/0
            raise InvalidInput(
                "campaign must be a campaign name, a fragment of one, or a campaign_id number."
            )
        return str(reference) if isinstance(reference, int) else reference

    def _check_values(self, conn: psycopg.Connection, **values: str | None) -> None:
        """An unknown brand/channel/market is a typo far more often than a real empty answer: say so."""
        for kind, value in values.items():
            if value and not queries.value_exists(conn, kind, value):
                closest = queries.closest_values(conn, kind, value)
                raise NotFound(
                    f"Unknown {kind} {value!r}. Closest known {kind}s: "
                    f"{', '.join(closest) or 'none'}. Use one of those (sales_overview lists all)."
                )

    def _resolve(self, conn: psycopg.Connection, reference: CampaignRef) -> dict:
        """One campaign from an id, an exact name, or a fragment that matches exactly one name."""
        text = self.check_text("campaign", self.campaign_text(reference)) or ""
        if text.lstrip("#").isdigit() and len(text) <= 18:
            campaign_id = int(text.lstrip("#"))
            row = conn.execute(
                queries.sql.SQL(
                    "SELECT {} FROM analytics.campaign_summary s WHERE s.campaign_id = %s"
                ).format(queries.BRIEF_COLUMNS),
                (campaign_id,),
            ).fetchone()
            if row is None:
                raise NotFound(
                    f"No campaign has campaign_id {campaign_id}. Use find_campaigns to look "
                    f"campaigns up by name, brand or date."
                )
            return row
        exact = queries.campaigns_named(conn, text)
        if len(exact) == 1:
            return exact[0]
        candidates = exact or queries.campaigns_containing(conn, text)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "; ".join(
                f"{c['campaign_name']} (campaign_id {c['campaign_id']}, {c['brand_name']}, "
                f"{c['start_date']}..{c['end_date']})"
                for c in candidates[:10]
            )
            more = " and more" if len(candidates) > 10 else ""
            raise InvalidInput(
                f"Campaign {text!r} is ambiguous: it matches {listed}{more}. "
                f"Call again with one campaign_id or the full name."
            )
        closest = queries.closest_campaign_names(conn, text)
        suggestions = "; ".join(f"{c['campaign_name']} (campaign_id {c['campaign_id']})" for c in closest)
        if not suggestions:
            raise NotFound(
                f"Unknown campaign {text!r}, and no campaign name resembles it. Use find_campaigns "
                f"(by brand, dates, channel) or sales_overview to see what there is."
            )
        raise NotFound(
            f"Unknown campaign {text!r}. Closest names: {suggestions}. Call again with one of those."
        )

    def _asked(
        self,
        conn: psycopg.Connection,
        *,
        period: Period,
        campaign: CampaignRef | None = None,
        brand: str | None = None,
        status: str | None = None,
        channel: str | None = None,
        market: str | None = None,
    ) -> Asked:
        """The scope of a question with its names checked and resolved to the ids the facts carry."""
        self._check_values(conn, brand=brand, channel=channel, market=market)
        campaign_ids, label, row = None, None, None
        if campaign is not None:
            row = self._resolve(conn, campaign)
            campaign_ids, label = (
                (row["campaign_id"],),
                f"campaign {row['campaign_id']} ({row['campaign_name']})",
            )
        scope = Scope(
            brand=brand,
            status=status,
            campaign_ids=campaign_ids,
            period=period,
            channel_ids=queries.dimension_ids(conn, "channel", channel) if channel else None,
            market_ids=queries.dimension_ids(conn, "market", market) if market else None,
        )
        return Asked(scope, label, brand, status, channel, market, row)

    def _text_filters(
        self, brand: str | None, channel: str | None, market: str | None
    ) -> dict[str, str | None]:
        return {
            "brand": self.check_text("brand", brand),
            "channel": self.check_text("channel", channel),
            "market": self.check_text("market", market),
        }

    # -- tools --------------------------------------------------------------------------------------------
    def find_campaigns(
        self,
        *,
        name_contains: str | None = None,
        brand: str | None = None,
        status: str | None = None,
        active_from: date | None = None,
        active_to: date | None = None,
        channel: str | None = None,
        market: str | None = None,
        limit: int = 20,
        offset: int = 0,
        reply: Reply = False,
    ) -> models.CampaignList | CallToolResult | None:
        self.check_period(active_from, active_to, ("active_from", "active_to"))
        filters = CampaignFilters(
            name_contains=self.check_text("name_contains", name_contains),
            status=status,
            date_from=active_from,
            date_to=active_to,
            **self._text_filters(brand, channel, market),
        )

        def compute() -> models.CampaignList:
            with self._connection() as conn:
                self._check_values(conn, brand=filters.brand, channel=filters.channel, market=filters.market)
                total, rows = queries.find_campaigns(conn, filters, limit, offset)
            return models.CampaignList(
                total_matches=total,
                returned=len(rows),
                campaigns=[models.CampaignBrief.model_validate(r) for r in rows],
            )

        return self._answer(
            "find_campaigns",
            {**filters.__dict__, "limit": limit, "offset": offset},
            models.CampaignList,
            compute,
            reply,
        )

    def campaign_performance(
        self,
        campaign: CampaignRef,
        *,
        period_from: date | None = None,
        period_to: date | None = None,
        channel: str | None = None,
        market: str | None = None,
        reply: Reply = False,
    ) -> models.CampaignPerformance | CallToolResult | None:
        period = self.check_period(period_from, period_to, ("period_from", "period_to"))
        names = self._text_filters(None, channel, market)
        reference = self.campaign_text(campaign)

        def compute() -> models.CampaignPerformance:
            with self._connection() as conn:
                asked = self._asked(
                    conn, period=period, campaign=reference, channel=names["channel"], market=names["market"]
                )
                campaign_id = asked.scope.campaign_ids[0]
                row = queries.campaign_by_id(conn, campaign_id)
                if row is None:  # deleted between the two statements (an ETL re-seed)
                    raise NotFound(f"Campaign {reference!r} disappeared while answering; ask again.")
                if not period.bounded and not asked.scope.splits_channel_or_market:
                    values = dict(row)
                    basis = (
                        f"lifetime figures of campaign {campaign_id}: its summary, the sums of all its "
                        f"facts (every day, channel and market)"
                    )
                else:
                    values, basis, found = self._scoped_values(conn, asked, list(METRICS))
                    values = values.get(campaign_id, {})
                    values["budget"] = row["budget"]
                    basis += "; budget is the campaign's whole planned budget"
                    if not found:
                        basis += "; " + _nothing(conn, asked)
            success = values.get("success_rate")
            metrics = models.CampaignMetrics.model_validate(
                {
                    **{m: values.get(m) for m in METRICS},
                    "success_rate_pct": None if success is None else round(success * 100, 2),
                }
            )
            return models.CampaignPerformance(
                campaign=models.CampaignBrief.model_validate(row),
                period_from=period_from,
                period_to=period_to,
                basis=basis,
                metrics=metrics,
                content_used=row["content_used"],
                last_source_change=row["last_source_change"] and row["last_source_change"].isoformat(),
                summary_updated_at=row["updated_at"] and row["updated_at"].isoformat(),
                metric_notes=models.metric_notes(list(METRICS)),
            )

        return self._answer(
            "campaign_performance",
            {"campaign": reference.strip().lower(), "period": period.key(), **names},
            models.CampaignPerformance,
            compute,
            reply,
        )

    def _scoped_values(
        self, conn: psycopg.Connection, asked: Asked, metrics: list[str]
    ) -> tuple[dict[int, dict[str, Any]], str, set[int]]:
        """Per campaign of the scope, the asked metrics summed over its facts (0 for a sum with no fact in the
        scope, None for a ratio without a denominator or a metric the scope cannot split), the basis, and the
        campaigns that had any fact in the scope."""
        values: dict[int, dict[str, Any]] = {cid: {} for cid in asked.scope.campaign_ids or ()}
        bases: list[str] = []
        found: set[int] = set()
        for source in ("ads", "crm"):
            wanted = [m for m in metrics if METRICS[m].source == source]
            if not wanted:
                continue
            reason = asked.unsplittable(wanted[0])
            if reason is not None:
                bases.append(reason)
                continue
            rows = {
                r["campaign_id"]: r for r in queries.facts(conn, source, asked.scope, "campaign", limit=100)
            }
            found |= rows.keys()
            for cid, target in values.items():
                row = rows.get(cid, {})
                target.update({m: row.get(m, None if METRICS[m].ratio else 0) for m in wanted})
            bases.append(asked.basis(source))
        return values, "; ".join(bases), found

    def compare_campaigns(
        self,
        campaigns: list[CampaignRef],
        metrics: list[str] | None = None,
        *,
        period_from: date | None = None,
        period_to: date | None = None,
        reply: Reply = False,
    ) -> models.CampaignComparison | CallToolResult | None:
        chosen = list(dict.fromkeys(metrics or DEFAULT_COMPARE_METRICS))
        period = self.check_period(period_from, period_to, ("period_from", "period_to"))
        references = [self.campaign_text(c) for c in campaigns]
        if not 2 <= len(references) <= 10:
            raise InvalidInput(f"compare_campaigns needs 2 to 10 campaigns (got {len(references)}).")

        def compute() -> models.CampaignComparison:
            with self._connection() as conn:
                problems: list[PromptSalesError] = []
                ids: list[int] = []
                for reference in references:
                    try:
                        ids.append(self._resolve(conn, reference)["campaign_id"])
                    except (InvalidInput, NotFound) as exc:
                        problems.append(exc)
                if problems:
                    kind = NotFound if all(isinstance(p, NotFound) for p in problems) else InvalidInput
                    raise kind(" | ".join(map(str, problems)))
                ids = list(dict.fromkeys(ids))
                briefs = {r["campaign_id"]: r for r in queries.campaigns_by_ids(conn, ids)}
                if period.bounded:
                    asked = Asked(Scope(campaign_ids=tuple(ids), period=period), f"campaigns {ids}")
                    values, basis, _ = self._scoped_values(conn, asked, chosen)
                    if "budget" in chosen:
                        for cid in ids:
                            values[cid]["budget"] = briefs[cid]["budget"]
                        basis += "; budget is each campaign's whole planned budget"
                else:
                    rows = {r["campaign_id"]: r for r in queries.campaign_values(conn, ids, chosen)}
                    values = {cid: {m: rows[cid][m] for m in chosen} for cid in ids}
                    basis = "lifetime figures of each campaign (its summary: every day, channel and market)"
            compared = [
                models.ComparedCampaign(
                    campaign=models.CampaignBrief.model_validate(briefs[cid]),
                    values={m: values[cid].get(m) for m in chosen},
                )
                for cid in ids
            ]
            better = {m: METRICS[m].higher_is_better for m in chosen}
            leaders: dict[str, str | None] = {}
            for metric in chosen:
                valued = [c for c in compared if c.values[metric] is not None]
                if better[metric] is None or not valued:
                    leaders[metric] = None
                    continue
                pick = max if better[metric] else min
                leaders[metric] = pick(valued, key=lambda c: c.values[metric]).campaign.campaign_name
            return models.CampaignComparison(
                metrics=chosen,
                period_from=period_from,
                period_to=period_to,
                basis=basis,
                campaigns=compared,
                higher_is_better=better,
                leaders=leaders,
                metric_notes=models.metric_notes(chosen),
            )

        return self._answer(
            "compare_campaigns",
            {"campaigns": [r.strip().lower() for r in references], "metrics": chosen, "period": period.key()},
            models.CampaignComparison,
            compute,
            reply,
        )

    def top_campaigns(
        self,
        *,
        metric: str,
        period_from: date | None = None,
        period_to: date | None = None,
        limit: int = 10,
        order: str = "desc",
        brand: str | None = None,
        status: str | None = None,
        channel: str | None = None,
        market: str | None = None,
        reply: Reply = False,
    ) -> models.TopCampaigns | CallToolResult | None:
        period = self.check_period(period_from, period_to, ("period_from", "period_to"))
        names = self._text_filters(brand, channel, market)
        descending = order == "desc"

        def compute() -> models.TopCampaigns:
            with self._connection() as conn:
                asked = self._asked(conn, period=period, status=status, **names)
                reason = asked.unsplittable(metric)
                if reason is not None:
                    rows, basis = [], reason
                elif metric == "budget":
                    if period.bounded:
                        rows = queries.budgets(conn, asked.scope, descending=descending, limit=limit)
                        basis = (
                            f"each campaign's whole planned budget, for the campaigns with PromptAds activity "
                            f"in {asked.describe()} (a budget is not split by day)"
                        )
                    else:
                        rows = queries.top_lifetime(conn, metric, asked.scope, descending, limit)
                        basis = f"each campaign's planned budget, {asked.filters_text()}"
                elif not period.bounded and not asked.scope.splits_channel_or_market:
                    rows = queries.top_lifetime(conn, metric, asked.scope, descending, limit)
                    basis = (
                        f"lifetime {metric} of each campaign ({asked.filters_text()}): its summary, the sums "
                        f"of all its facts"
                    )
                else:
                    source = METRICS[metric].source
                    rows = [
                        {**r, "value": r[metric]}
                        for r in queries.facts(
                            conn,
                            source,
                            asked.scope,
                            "campaign",
                            rank_by=metric,
                            descending=descending,
                            limit=limit,
                            metrics=(metric,),
                        )
                    ]
                    basis = f"{metric}: {asked.basis(source)}; campaigns with activity in that scope"
                if not rows and reason is None:
                    basis += "; " + _nothing(conn, asked)
            return models.TopCampaigns(
                metric=metric,
                order=order,
                period_from=period_from,
                period_to=period_to,
                basis=basis,
                campaigns=[
                    models.RankedCampaign(
                        rank=i + 1, campaign=models.CampaignBrief.model_validate(r), value=r["value"]
                    )
                    for i, r in enumerate(rows)
                ],
                metric_notes=models.metric_notes([metric]),
            )

        return self._answer(
            "top_campaigns",
            {
                **names,
                "status": status,
                "metric": metric,
                "period": period.key(),
                "limit": limit,
                "order": order,
            },
            models.TopCampaigns,
            compute,
            reply,
        )

    def breakdown(
        self,
        *,
        dimension: str,
        campaign: CampaignRef | None = None,
        brand: str | None = None,
        status: str | None = None,
        period_from: date | None = None,
        period_to: date | None = None,
        channel: str | None = None,
        market: str | None = None,
        limit: int = 50,
        chart: bool = False,
        chart_metric: str = "revenue",
        reply: Reply = False,
    ) -> models.Breakdown | CallToolResult | None:
        """chart: an MCP result (reply) also carries a bar chart of `chart_metric` per row
        (charts.breakdown_chart)."""
        if chart_metric not in METRICS or chart_metric == "budget":
            raise InvalidInput(
                f"chart_metric {chart_metric!r} is not a metric a breakdown row has; use one of "
                f"{', '.join(m for m in METRICS if m != 'budget')}."
            )
        period = self.check_period(period_from, period_to, ("period_from", "period_to"))
        names = self._text_filters(brand, channel, market)
        reference = None if campaign is None else self.check_text("campaign", self.campaign_text(campaign))

        def compute() -> models.Breakdown:
            with self._connection() as conn:
                asked = self._asked(conn, period=period, campaign=reference, status=status, **names)
                ads = queries.facts(
                    conn,
                    "ads",
                    asked.scope,
                    dimension,
                    limit=MAX_GROUP_ROWS,
                    with_total=True,
                    **({"rank_by": "revenue"} if dimension != "month" else {}),
                )
                ads_total = [r for r in ads if r["is_total"]]
                ads = [r for r in ads if not r["is_total"]]
                crm: dict[str, dict] = {}
                crm_total: list[dict] = []
                split = dimension != "month" or asked.scope.splits_channel_or_market
                if not split:
                    crm_rows = queries.facts(
                        conn, "crm", asked.scope, "month", limit=MAX_GROUP_ROWS, with_total=True
                    )
                    crm = {str(r["key"]): r for r in crm_rows if not r["is_total"]}
                    crm_total = [r for r in crm_rows if r["is_total"]]
                empty = _nothing(conn, asked) if not (ads_total or crm_total) else None
            bases = [f"each row: {asked.basis('ads')}"]
            if split:
                why = (
                    f"PromptCrm leads, converted leads and clients (grain {models.GRAINS['crm']}) carry no "
                    f"{'channel or market' if dimension != 'month' else 'channel or market, which this scope filters on'}"
                    f"; they are left out (null), not approximated"
                )
                bases.append(why)
            else:
                bases.append(
                    f"leads, converted leads, clients and success_rate per month: {asked.basis('crm')}"
                )
            if empty:
                bases.append(empty)
            total_revenue = ads_total[0]["revenue"] if ads_total else 0
            keys = [str(r["key"]) for r in ads] + [
                k for k in sorted(crm) if k not in {str(r["key"]) for r in ads}
            ]
            by_key = {str(r["key"]): r for r in ads}
            rows = [
                self._breakdown_row(key, by_key.get(key), crm.get(key), split, total_revenue) for key in keys
            ]
            if dimension == "month":
                rows.sort(key=lambda r: r.key)
            total = None
            if ads_total or crm_total:
                total = self._breakdown_row(
                    "total",
                    ads_total[0] if ads_total else None,
                    crm_total[0] if crm_total else None,
                    split,
                    total_revenue,
                )
            return models.Breakdown(
                dimension=dimension,
                period_from=period_from,
                period_to=period_to,
                scope=asked.describe(),
                basis="; ".join(bases),
                total=total,
                rows=rows[:limit],
                metric_notes=models.metric_notes(
                    [*queries.SUMS["ads"], *([] if split else queries.SUMS["crm"])]
                ),
            )

        return self._answer(
            "breakdown",
            {
                **names,
                "status": status,
                "dimension": dimension,
                "campaign": reference and reference.lower(),
                "period": period.key(),
                "limit": limit,
            },
            models.Breakdown,
            compute,
            reply,
            ChartAsk(
                functools.partial(charts.breakdown_chart, metric=chart_metric),
                f"bar-{chart_metric}-{charts.STYLE_VERSION}",
            )
            if chart
            else None,
        )

    @staticmethod
    def _breakdown_row(
        key: str, ads: dict | None, crm: dict | None, split: bool, total_revenue: float
    ) -> models.BreakdownRow:
        ads = ads or {}
        values: dict[str, Any] = {m: ads.get(m, None if METRICS[m].ratio else 0) for m in queries.SUMS["ads"]}
        crm_values = {m: None for m in queries.SUMS["crm"]}
        if not split:
            crm_values = {m: (crm or {}).get(m, None if METRICS[m].ratio else 0) for m in queries.SUMS["crm"]}
        campaigns = ads.get("campaigns") or 0
        share = round(100 * values["revenue"] / total_revenue, 2) if total_revenue else None
        return models.BreakdownRow(
            key=key, campaigns=campaigns, **values, **crm_values, share_of_revenue_pct=share
        )

    def trends(
        self,
        *,
        metric: str,
        period_from: date | None = None,
        period_to: date | None = None,
        campaign: CampaignRef | None = None,
        brand: str | None = None,
        status: str | None = None,
        channel: str | None = None,
        market: str | None = None,
        chart: bool = False,
        reply: Reply = False,
    ) -> models.Trend | CallToolResult | None:
        """chart: an MCP result (reply) also carries a line chart of the points (charts.trend_chart)."""
        period = self.check_period(period_from, period_to, ("period_from", "period_to"))
        names = self._text_filters(brand, channel, market)
        reference = None if campaign is None else self.check_text("campaign", self.campaign_text(campaign))

        def compute() -> models.Trend:
            with self._connection() as conn:
                asked = self._asked(conn, period=period, campaign=reference, status=status, **names)
                reason = asked.unsplittable(metric)
                rows = (
                    []
                    if reason
                    else queries.facts(
                        conn,
                        METRICS[metric].source,
                        asked.scope,
                        "month",
                        limit=MAX_GROUP_ROWS,
                        count_campaigns=False,
                        metrics=(metric,),
                    )
                )
                basis = reason or (
                    f"each point: {metric} of one calendar month, "
                    f"{asked.basis(METRICS[metric].source)}; a month cut by the period counts only "
                    f"its days inside it (`days`)"
                )
                if not rows and reason is None:
                    basis += "; " + _nothing(conn, asked)
            points: list[models.TrendPoint] = []
            previous: float | None = None
            for row in rows:
                points.append(
                    models.TrendPoint(
                        month=row["key"],
                        days=period.days_in(row["key"]),
                        value=row[metric],
                        change_pct=_change_pct(previous, row[metric]),
                    )
                )
                previous = row[metric]
            first_last = _change_pct(points[0].value, points[-1].value) if len(points) >= 2 else None
            return models.Trend(
                metric=metric,
                period_from=period_from,
                period_to=period_to,
                scope=asked.describe(),
                basis=basis,
                points=points,
                direction=_direction(points),
                first_to_last_change_pct=first_last,
                metric_notes=models.metric_notes([metric]),
            )

        return self._answer(
            "trends",
            {
                **names,
                "status": status,
                "metric": metric,
                "period": period.key(),
                "campaign": reference and reference.lower(),
            },
            models.Trend,
            compute,
            reply,
            ChartAsk(charts.trend_chart, f"line-{charts.STYLE_VERSION}") if chart else None,
        )

    def sales_overview(self, reply: Reply = False) -> models.SalesOverview | CallToolResult | None:
        def compute() -> models.SalesOverview:
            with self._connection() as conn:
                row = queries.overview(conn)
            return models.SalesOverview.model_validate(
                {
                    **row,
                    "last_etl_update": row["last_etl_update"] and row["last_etl_update"].isoformat(),
                    "metric_grains": {m: models.GRAINS[info.source] for m, info in METRICS.items()},
                }
            )

        return self._answer("sales_overview", {}, models.SalesOverview, compute, reply)


def _result(value: dict, text: str, info: dict, *extra: ImageContent | TextContent) -> CallToolResult:
    # The stored text is one JSON object: the cache note joins it as its last member.
    text = f'{text[:-1]},"cache":{json.dumps(info)}}}' if text != "{}" else f'{{"cache":{json.dumps(info)}}}'
    return CallToolResult(
        content=[TextContent(type="text", text=text), *extra], structured_content={**value, "cache": info}
    )


def _draw(chart: ChartAsk, answer: dict) -> charts.Chart | None:
    """The chart, or None (logged) if drawing failed: a chart goes beside an answer, it never costs one."""
    try:
        return chart.draw(answer)
    except Exception:  # any drawing failure: the answer itself is still sent
        log.exception("drawing the chart failed; the answer is sent without it")
        return None


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
