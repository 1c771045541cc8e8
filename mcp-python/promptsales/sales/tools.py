"""The sales server's tools (PS5), one typed function each: the docstring is the tool's description, every
parameter says what it takes, and the answer is the structured result (plus a chart where asked).

Each hands its arguments to the `SalesService` of the server's lifespan (service.py), which checks them,
resolves campaign names and answers from Redis or PostgreSQL; `promptsales.sales.server` registers them.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated

import anyio.to_thread
from mcp.server.mcpserver import Context
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import Field

from promptsales.sales import models
from promptsales.sales.service import SalesService

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

Text = Annotated[str | None, Field(max_length=200)]
Limit = Annotated[int, Field(ge=1, le=100, description="rows to return, 1..100")]
# The filters several tools take, described once.
BrandFilter = Annotated[Text, Field(description="only this brand's campaigns (exact name, any case)")]
StatusFilter = Annotated[models.Status | None, Field(description="active or finished")]
ChannelFilter = Annotated[
    Text,
    Field(
        description="only this channel's share: the facts of that channel, e.g. "
        "TikTok (PromptCrm leads cannot be split by channel)"
    ),
]
MarketFilter = Annotated[
    Text,
    Field(
        description="only this market's share: the facts of that market "
        "(PromptCrm leads cannot be split by market)"
    ),
]
PeriodFrom = Annotated[
    date | None,
    Field(
        description="first day counted (YYYY-MM-DD): only activity on or after "
        "it; any day, not only the 1st of a month"
    ),
]
PeriodTo = Annotated[
    date | None, Field(description="last day counted (YYYY-MM-DD): only activity on or before it")
]
# A campaign as clients send it: its id as a number or a string, or its name.
CampaignValue = int | Annotated[str, Field(min_length=1, max_length=200)]
Campaign = Annotated[
    CampaignValue,
    Field(
        description="campaign name, a fragment matching one campaign, or its "
        "campaign_id (a number or a string)"
    ),
]
ChartFlag = Annotated[
    bool,
    Field(
        description="also send a PNG chart of the answer (MCP image content) beside "
        "the structured result; false: the structured result only"
    ),
]
OptionalCampaign = Annotated[
    CampaignValue | None,
    Field(description="one campaign (name, fragment or campaign_id); omit for all matching campaigns"),
]


def _service(ctx: Context) -> SalesService:
    return ctx.request_context.lifespan_context.service


async def _reply(ctx: Context, tool: str, **arguments) -> CallToolResult:
    """A cached answer straight from Redis, on the event loop (one round trip, no thread); anything else is
    computed in a worker thread, because the service's PostgreSQL queries block."""
    method = getattr(_service(ctx), tool)
    cached = method(**arguments, reply="if cached")
    if cached is not None:
        return cached
    return await anyio.to_thread.run_sync(functools.partial(method, **arguments, reply=True))


async def sales_overview(ctx: Context) -> Annotated[CallToolResult, models.SalesOverview]:
    """What data there is: campaign counts, date coverage, the exact brand, channel and market names, and the
    grain of every metric."""
    return await _reply(ctx, "sales_overview")


async def find_campaigns(
    ctx: Context,
    name_contains: Annotated[
        Text, Field(description="text the campaign name contains (case-insensitive)")
    ] = None,
    brand: Annotated[Text, Field(description="brand name, exact (case-insensitive)")] = None,
    status: StatusFilter = None,
    active_from: Annotated[date | None, Field(description="campaigns running on or after this date")] = None,
    active_to: Annotated[date | None, Field(description="campaigns running on or before this date")] = None,
    channel: Annotated[Text, Field(description="a channel the campaign ran on, e.g. TikTok")] = None,
    market: Annotated[Text, Field(description="a market the campaign ran in")] = None,
    limit: Limit = 20,
    offset: Annotated[int, Field(ge=0, le=10_000, description="rows to skip, for paging")] = 0,
) -> Annotated[CallToolResult, models.CampaignList]:
    """Find campaigns by name fragment, brand, status, run dates (overlapping the range), channel and market."""
    return await _reply(
        ctx,
        "find_campaigns",
        name_contains=name_contains,
        brand=brand,
        status=status,
        active_from=active_from,
        active_to=active_to,
        channel=channel,
        market=market,
        limit=limit,
        offset=offset,
    )


async def campaign_performance(
    ctx: Context,
    campaign: Campaign,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    channel: ChannelFilter = None,
    market: MarketFilter = None,
) -> Annotated[CallToolResult, models.CampaignPerformance]:
    """One campaign's performance: reach, success rate, sales, revenue, ROI, reactions, leads, its channels,
    markets and the content (image codes) its ads used. Lifetime by default; with a period, channel or
    market, only that activity (the answer's `basis` says exactly what was summed)."""
    return await _reply(
        ctx,
        "campaign_performance",
        campaign=campaign,
        period_from=period_from,
        period_to=period_to,
        channel=channel,
        market=market,
    )


async def compare_campaigns(
    ctx: Context,
    campaigns: Annotated[
        list[CampaignValue], Field(min_length=2, max_length=10, description="2 to 10 campaign names or ids")
    ],
    metrics: Annotated[
        list[models.Metric] | None,
        Field(
            max_length=16,
            description="metrics to compare (default: reach, "
            "reactions, sales_count, revenue, cost, roi, conversion_rate, success_rate)",
        ),
    ] = None,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
) -> Annotated[CallToolResult, models.CampaignComparison]:
    """Compare campaigns side by side (lifetime, or inside a period), with the best campaign per metric:
    `higher_is_better` says the direction (cost: lower is better)."""
    return await _reply(
        ctx,
        "compare_campaigns",
        campaigns=campaigns,
        metrics=metrics,
        period_from=period_from,
        period_to=period_to,
    )


async def top_campaigns(
    ctx: Context,
    metric: Annotated[models.Metric, Field(description="the metric to rank by (see the metrics resource)")],
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    limit: Limit = 10,
    order: Annotated[models.Order, Field(description="desc = highest first, asc = lowest first")] = "desc",
    brand: BrandFilter = None,
    status: StatusFilter = None,
    channel: ChannelFilter = None,
    market: MarketFilter = None,
) -> Annotated[CallToolResult, models.TopCampaigns]:
    """Top-N campaigns by a metric (e.g. most sales last quarter on TikTok): the activity inside the period
    on that channel and market only; the answer's `basis` says exactly what was summed."""
    return await _reply(
        ctx,
        "top_campaigns",
        metric=metric,
        period_from=period_from,
        period_to=period_to,
        limit=limit,
        order=order,
        brand=brand,
        status=status,
        channel=channel,
        market=market,
    )


async def breakdown(
    ctx: Context,
    dimension: Annotated[models.Dimension, Field(description="channel, market or month")],
    campaign: OptionalCampaign = None,
    brand: BrandFilter = None,
    status: StatusFilter = None,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    channel: ChannelFilter = None,
    market: MarketFilter = None,
    limit: Limit = 50,
    chart: ChartFlag = True,
    chart_metric: Annotated[
        models.PeriodMetric, Field(description="the metric the bar chart shows per row (default revenue)")
    ] = "revenue",
) -> Annotated[CallToolResult, models.Breakdown]:
    """Reach, reactions, sales, revenue, cost, ROI and conversion per channel, market or month (and leads
    and success rate per month), for one campaign or the campaigns matching the filters, counting only the
    activity inside the period; `total` sums the whole scope. With a bar chart of one metric per row."""
    return await _reply(
        ctx,
        "breakdown",
        dimension=dimension,
        campaign=campaign,
        brand=brand,
        status=status,
        period_from=period_from,
        period_to=period_to,
        channel=channel,
        market=market,
        limit=limit,
        chart=chart,
        chart_metric=chart_metric,
    )


async def trends(
    ctx: Context,
    metric: Annotated[models.PeriodMetric, Field(description="any metric but budget")],
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    campaign: OptionalCampaign = None,
    brand: BrandFilter = None,
    status: StatusFilter = None,
    channel: ChannelFilter = None,
    market: MarketFilter = None,
    chart: ChartFlag = True,
) -> Annotated[CallToolResult, models.Trend]:
    """A metric month by month, with month-over-month change in percent and the overall direction; a month
    cut by the period counts only its days inside it. With a line chart of the months."""
    return await _reply(
        ctx,
        "trends",
        metric=metric,
        period_from=period_from,
        period_to=period_to,
        campaign=campaign,
        brand=brand,
        status=status,
        channel=channel,
        market=market,
        chart=chart,
    )


# In the order clients list them.
TOOLS = [
    sales_overview,
    find_campaigns,
    campaign_performance,
    compare_campaigns,
    top_campaigns,
    breakdown,
    trends,
]
