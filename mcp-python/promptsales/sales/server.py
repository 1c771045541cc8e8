"""The sales MCP server (PS5): read-only tools over the PromptSales campaign summaries.

Thin on purpose: each tool states its inputs and hands them to `SalesService` (service.py), which
checks them, resolves campaign names, and answers from Redis or PostgreSQL (queries.py).
Run it with `promptsales mcp serve sales [--transport http --port 8766]`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import ToolAnnotations
from pydantic import Field

from promptsales import clients
from promptsales.cache import Cache
from promptsales.mcp_server import PromptSalesServer
from promptsales.sales import models, resources
from promptsales.sales.service import SalesService, open_pool
from promptsales.settings import Settings

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                            open_world_hint=False)

Text = Annotated[str | None, Field(max_length=200)]
Limit = Annotated[int, Field(ge=1, le=100, description="rows to return, 1..100")]
# The filters several tools take, described once.
BrandFilter = Annotated[Text, Field(description="only this brand")]
StatusFilter = Annotated[models.Status | None, Field(description="active or finished")]
ChannelFilter = Annotated[Text, Field(description="only campaigns that ran on this channel")]
MarketFilter = Annotated[Text, Field(description="only campaigns that ran in this market")]
Campaign = Annotated[str, Field(min_length=1, max_length=200,
                                description="campaign name, a fragment matching one campaign, or its campaign_id")]


@dataclass
class SalesContext:
    service: SalesService


def _service(ctx: Context) -> SalesService:
    return ctx.request_context.lifespan_context.service


def build_server(settings: Settings) -> MCPServer:
    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[SalesContext]:
        pool = open_pool(settings)
        redis_client = clients.redis_client(settings)
        try:
            yield SalesContext(SalesService(pool, Cache(redis_client, settings.redis.key_prefix)))
        finally:
            pool.close()
            redis_client.close()

    server = PromptSalesServer("promptsales-sales", instructions=resources.TOOL_GUIDE, lifespan=lifespan,
                       log_level=settings.log_level)

    @server.tool(annotations=READ_ONLY)
    def sales_overview(ctx: Context) -> models.SalesOverview:
        """What data there is: campaign counts, date coverage, and the exact brand, channel and market names."""
        return _service(ctx).sales_overview()

    @server.tool(annotations=READ_ONLY)
    def find_campaigns(
        ctx: Context,
        name_contains: Annotated[Text, Field(description="text the campaign name contains (case-insensitive)")] = None,
        brand: Annotated[Text, Field(description="brand name, exact (case-insensitive)")] = None,
        status: StatusFilter = None,
        active_from: Annotated[date | None, Field(description="campaigns running on or after this date")] = None,
        active_to: Annotated[date | None, Field(description="campaigns running on or before this date")] = None,
        channel: Annotated[Text, Field(description="a channel the campaign ran on, e.g. TikTok")] = None,
        market: Annotated[Text, Field(description="a market the campaign ran in")] = None,
        limit: Limit = 20,
        offset: Annotated[int, Field(ge=0, le=10_000, description="rows to skip, for paging")] = 0,
    ) -> models.CampaignList:
        """Find campaigns by name fragment, brand, status, run dates (overlapping the range), channel and market."""
        return _service(ctx).find_campaigns(name_contains=name_contains, brand=brand, status=status,
                                            active_from=active_from, active_to=active_to, channel=channel,
                                            market=market, limit=limit, offset=offset)

    @server.tool(annotations=READ_ONLY)
    def campaign_performance(ctx: Context, campaign: Campaign) -> models.CampaignPerformance:
        """One campaign's performance from creation to close: reach, success rate, sales, revenue, ROI,
        reactions, channels, markets and the content (image codes) its ads used."""
        return _service(ctx).campaign_performance(campaign)

    @server.tool(annotations=READ_ONLY)
    def compare_campaigns(
        ctx: Context,
        campaigns: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]],
                             Field(min_length=2, max_length=10, description="2 to 10 campaign names or ids")],
        metrics: Annotated[list[models.Metric] | None,
                           Field(max_length=15, description="metrics to compare (default: reach, "
                                 "reactions, sales_count, revenue, cost, roi, conversion_rate, success_rate)")] = None,
    ) -> models.CampaignComparison:
        """Compare campaigns side by side on lifetime metrics, with the leading campaign per metric."""
        return _service(ctx).compare_campaigns(campaigns, metrics)

    @server.tool(annotations=READ_ONLY)
    def top_campaigns(
        ctx: Context,
        metric: Annotated[models.Metric, Field(description="the metric to rank by (see the metrics resource)")],
        period_from: Annotated[date | None, Field(description="first day of the period (YYYY-MM-DD)")] = None,
        period_to: Annotated[date | None, Field(description="last day of the period (YYYY-MM-DD)")] = None,
        limit: Limit = 10,
        order: Annotated[models.Order, Field(description="desc = highest first, asc = lowest first")] = "desc",
        brand: BrandFilter = None,
        status: StatusFilter = None,
        channel: ChannelFilter = None,
        market: MarketFilter = None,
    ) -> models.TopCampaigns:
        """Top-N campaigns by a metric over a period (e.g. most sales last quarter). Per-month metrics are
        summed over the period's calendar months; the answer's `basis` says how values were computed."""
        return _service(ctx).top_campaigns(metric=metric, period_from=period_from, period_to=period_to,
                                           limit=limit, order=order, brand=brand, status=status,
                                           channel=channel, market=market)

    @server.tool(annotations=READ_ONLY)
    def breakdown(
        ctx: Context,
        dimension: Annotated[models.Dimension, Field(description="channel, market or month")],
        campaign: Annotated[Text, Field(description="one campaign (name or id); omit for all matching campaigns")] = None,
        brand: BrandFilter = None,
        status: StatusFilter = None,
        period_from: Annotated[date | None, Field(description="month breakdown: first month counted; channel/"
                                                  "market: campaigns running on or after this date")] = None,
        period_to: Annotated[date | None, Field(description="month breakdown: last month counted; channel/"
                                                "market: campaigns running on or before this date")] = None,
        channel: ChannelFilter = None,
        market: MarketFilter = None,
        limit: Limit = 50,
    ) -> models.Breakdown:
        """Reach, reactions, sales, revenue, cost, ROI and conversion per channel, market or month,
        for one campaign or summed over the campaigns matching the filters."""
        return _service(ctx).breakdown(dimension=dimension, campaign=campaign, brand=brand, status=status,
                                       period_from=period_from, period_to=period_to, channel=channel,
                                       market=market, limit=limit)

    @server.tool(annotations=READ_ONLY)
    def trends(
        ctx: Context,
        metric: Annotated[models.BreakdownMetric, Field(description="a per-month metric")],
        period_from: Annotated[date | None, Field(description="first month (YYYY-MM-DD)")] = None,
        period_to: Annotated[date | None, Field(description="last month (YYYY-MM-DD)")] = None,
        campaign: Annotated[Text, Field(description="one campaign (name or id); omit for all matching")] = None,
        brand: BrandFilter = None,
        status: StatusFilter = None,
        channel: ChannelFilter = None,
        market: MarketFilter = None,
    ) -> models.Trend:
        """A metric month by month, with month-over-month change in percent and the overall direction."""
        return _service(ctx).trends(metric=metric, period_from=period_from, period_to=period_to,
                                    campaign=campaign, brand=brand, status=status, channel=channel, market=market)

    @server.resource("sales://guide", name="tool-guide", mime_type="text/markdown",
                     description="How to pick a sales tool for a question")
    def tool_guide() -> str:
        return resources.TOOL_GUIDE

    @server.resource("sales://metrics", name="metrics", mime_type="text/markdown",
                     description="Every metric: unit and definition")
    def metrics() -> str:
        return resources.metrics_glossary()

    @server.prompt(name="ask_about_campaigns", description="Answer a campaign-performance question with these tools")
    def ask_about_campaigns(question: Annotated[str, Field(max_length=2000)]) -> str:
        return resources.question_prompt(question)

    return server
