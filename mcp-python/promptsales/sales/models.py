"""Inputs and outputs of the sales MCP tools: what each metric means, its unit, and the answer shapes.

Metric names are a closed vocabulary (`Metric`, `BreakdownMetric`): a client cannot name a column,
only pick one of these, and each maps to a fixed SQL expression in `queries.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

# Every metric a campaign has, from the summaries the ETL keeps (analytics.campaign_summary).
Metric = Literal[
    "reach", "views", "likes", "interactions", "reactions", "exposure_hours", "leads", "clients",
    "sales_count", "revenue", "cost", "budget", "roi", "conversion_rate", "success_rate",
]
# Metrics that exist per channel, market and month (the breakdown tables), so they can be summed over a
# period or a group; roi and conversion_rate are ratios recomputed from those sums.
BreakdownMetric = Literal[
    "reach", "views", "likes", "interactions", "reactions", "sales_count", "revenue", "cost",
    "roi", "conversion_rate",
]
Dimension = Literal["channel", "market", "month"]
Status = Literal["active", "finished"]
Order = Literal["desc", "asc"]

METRICS: dict[str, tuple[str, str]] = {
    # name: (unit, definition)
    "reach": ("people", "Audience reached: SUM(AudienceReached) over every ad result of the campaign."),
    "views": ("views", "Times the campaign's ads were viewed."),
    "likes": ("likes", "Likes on the campaign's ads."),
    "interactions": ("interactions", "Comments, shares, clicks and other interactions with the ads."),
    "reactions": ("reactions", "likes + interactions."),
    "exposure_hours": ("hours", "Hours the ads were on display."),
    "leads": ("leads", "PromptCrm leads attributed to the campaign."),
    "clients": ("clients", "PromptCrm clients linked to the campaign."),
    "sales_count": ("sales", "Number of sales attributed to the campaign (PromptCrm sales = PromptAds Sales)."),
    "revenue": ("money, 2 decimals", "SUM of sale amounts (PromptCrm) = SUM(Revenue) in PromptAds."),
    "cost": ("money, 2 decimals", "What the ads cost (PromptAds results)."),
    "budget": ("money, 2 decimals", "The campaign's planned budget."),
    "roi": ("ratio (0.25 = 25 %)", "(revenue - cost) / cost; null when cost is 0."),
    "conversion_rate": ("ratio (0.001 = 0.1 %)", "sales_count / reach; null when reach is 0."),
    "success_rate": ("ratio (0.4 = 40 %)", "sales_count / leads; null when the campaign has no leads."),
}


def metric_notes(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`{"metric": "unit — definition"}` for the metrics an answer shows, so the answer explains itself."""
    return {name: f"{METRICS[name][0]} — {METRICS[name][1]}" for name in dict.fromkeys(names)}


class CacheInfo(BaseModel):
    hit: bool = Field(description="true when this answer came from the Redis cache")
    cached: bool = Field(description="false when Redis was unavailable: the answer was computed and not stored")
    note: str = Field(description="one line for the reader: cached, fresh, or why uncached")


class Answer(BaseModel):
    metric_notes: dict[str, str] = Field(default_factory=dict, description="unit and definition per metric shown")
    cache: CacheInfo | None = None


class CampaignBrief(BaseModel):
    campaign_id: int
    campaign_name: str
    brand_name: str | None
    status: Status
    start_date: date | None
    end_date: date | None
    channels: list[str]
    markets: list[str]


class CampaignList(Answer):
    total_matches: int = Field(description="campaigns matching the filters (may exceed the rows returned)")
    returned: int
    campaigns: list[CampaignBrief]


class CampaignMetrics(BaseModel):
    reach: int
    views: int
    likes: int
    interactions: int
    reactions: int
    exposure_hours: float
    leads: int
    clients: int
    sales_count: int
    revenue: float
    cost: float
    budget: float | None
    roi: float | None
    conversion_rate: float | None
    success_rate: float | None
    success_rate_pct: float | None = Field(description="success_rate in percent, 2 decimals")


class CampaignPerformance(Answer):
    campaign: CampaignBrief
    metrics: CampaignMetrics
    content_used: list[str] = Field(description="PromptContent image codes (img-0001 ...) the ads used")
    last_source_change: str | None = Field(description="latest change in any source for this campaign (UTC)")
    summary_updated_at: str | None = Field(description="when the ETL last wrote this summary (UTC)")


class ComparedCampaign(BaseModel):
    campaign: CampaignBrief
    values: dict[str, float | None]


class CampaignComparison(Answer):
    metrics: list[str]
    campaigns: list[ComparedCampaign]
    leaders: dict[str, str | None] = Field(description="per metric, the campaign with the highest value")


class RankedCampaign(BaseModel):
    rank: int
    campaign: CampaignBrief
    value: float | None


class TopCampaigns(Answer):
    metric: str
    order: Order
    period_from: date | None
    period_to: date | None
    basis: str = Field(description="how `value` was computed for this period and metric")
    campaigns: list[RankedCampaign]


class BreakdownRow(BaseModel):
    key: str = Field(description="channel name, market name, or month (YYYY-MM-01)")
    campaigns: int = Field(description="campaigns contributing to this row")
    reach: int
    views: int
    likes: int
    interactions: int
    reactions: int
    sales_count: int
    revenue: float
    cost: float
    roi: float | None
    conversion_rate: float | None
    share_of_revenue_pct: float | None = Field(description="this row's revenue / total revenue, in percent")


class Breakdown(Answer):
    dimension: Dimension
    scope: str = Field(description="which campaigns and period were summed")
    rows: list[BreakdownRow]


class TrendPoint(BaseModel):
    month: date
    value: float | None
    change_pct: float | None = Field(description="change versus the previous month, in percent")


class Trend(Answer):
    metric: str
    scope: str
    points: list[TrendPoint]
    direction: Literal["rising", "falling", "flat", "not enough data"]
    first_to_last_change_pct: float | None


class SalesOverview(Answer):
    campaigns: int
    active: int
    finished: int
    first_start_date: date | None
    last_end_date: date | None
    brands: list[str]
    channels: list[str]
    markets: list[str]
    last_etl_update: str | None
