"""Inputs and outputs of the sales MCP tools: what each metric means, its unit, its grain, and the answer shapes.

Metric names are a closed vocabulary (`Metric`, `PeriodMetric`): a client cannot name a column, only pick
one of these, and each maps to a fixed SQL expression in `queries.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

# Every metric a campaign has.
METRIC_NAMES = (
    "reach",
    "views",
    "likes",
    "interactions",
    "reactions",
    "exposure_hours",
    "leads",
    "converted_leads",
    "clients",
    "sales_count",
    "revenue",
    "cost",
    "budget",
    "roi",
    "conversion_rate",
    "success_rate",
)
Metric = Literal[METRIC_NAMES]
# Every metric that exists per day, so it can be summed over any period (all but budget, a plan).
PeriodMetric = Literal[tuple(name for name in METRIC_NAMES if name != "budget")]
Dimension = Literal["channel", "market", "month"]
Status = Literal["active", "finished"]
Order = Literal["desc", "asc"]

# Where a metric's figures come from, which fixes what it can be split by:
#   ads      - PromptAds results, per campaign x channel x market x day;
#   crm      - PromptCrm leads, client links and sales, per campaign x day (no channel, no market);
#   campaign - a campaign attribute, one value per campaign (no day, channel or market).
GRAINS = {"ads": "campaign x channel x market x day", "crm": "campaign x day", "campaign": "campaign"}


@dataclass(frozen=True)
class MetricInfo:
    unit: str
    definition: str
    source: str  # a key of GRAINS
    higher_is_better: bool | None  # None: neither (a plan, not a result)
    ratio: bool = False


METRICS: dict[str, MetricInfo] = {
    "reach": MetricInfo("people", "Audience reached: SUM(AudienceReached) over the ad results.", "ads", True),
    "views": MetricInfo("views", "Times the campaign's ads were viewed.", "ads", True),
    "likes": MetricInfo("likes", "Likes on the campaign's ads.", "ads", True),
    "interactions": MetricInfo(
        "interactions",
        "Comments, shares, clicks and other interactions with the ads (likes not included).",
        "ads",
        True,
    ),
    "reactions": MetricInfo("reactions", "likes + interactions.", "ads", True),
    "exposure_hours": MetricInfo("hours", "Hours the ads were on display.", "ads", True),
    "sales_count": MetricInfo(
        "sales",
        "Sales the ads brought (PromptAds results; PromptCrm holds one sale row for each).",
        "ads",
        True,
    ),
    "revenue": MetricInfo(
        "money, 2 decimals",
        "SUM(Revenue) of the ad results, which the PromptCrm sale amounts equal to the cent.",
        "ads",
        True,
    ),
    "cost": MetricInfo(
        "money, 2 decimals", "What the ads cost (PromptAds results). Lower is better.", "ads", False
    ),
    "roi": MetricInfo(
        "ratio (0.25 = 25 %)",
        "(revenue - cost) / cost over the same rows: at least -1 (all "
        "money lost), no upper bound; null when cost is 0.",
        "ads",
        True,
        ratio=True,
    ),
    "conversion_rate": MetricInfo(
        "ratio 0..1 (0.01 = 1 %)",
        "sales_count / interactions over the same rows: "
        "the share of interactions that ended in a sale, within [0, 1] because every "
        "PromptAds result has Sales <= Interactions; null without interactions.",
        "ads",
        True,
        ratio=True,
    ),
    "leads": MetricInfo("leads", "PromptCrm leads created (by their creation day).", "crm", True),
    "converted_leads": MetricInfo(
        "leads", "Those leads whose status is 'converted' (their client bought in the campaign).", "crm", True
    ),
    "clients": MetricInfo(
        "clients",
        "PromptCrm clients linked to the campaign (by the day of the link; a "
        "client is linked to a campaign once).",
        "crm",
        True,
    ),
    "success_rate": MetricInfo(
        "ratio 0..1 (0.4 = 40 %)",
        "converted_leads / leads over the same days: the share "
        "of leads that became a sale, within [0, 1] by construction; null without "
        "leads.",
        "crm",
        True,
        ratio=True,
    ),
    "budget": MetricInfo(
        "money, 2 decimals",
        "The campaign's planned budget: one figure per campaign, not split by day, channel or market.",
        "campaign",
        None,
    ),
}
ADS_METRICS = tuple(m for m, info in METRICS.items() if info.source == "ads")
CRM_METRICS = tuple(m for m, info in METRICS.items() if info.source == "crm")


def metric_notes(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`{"metric": "unit — definition (grain)"}` for the metrics an answer shows, so it explains itself."""
    return {
        name: f"{METRICS[name].unit} — {METRICS[name].definition} Grain: {GRAINS[METRICS[name].source]}."
        for name in dict.fromkeys(names)
    }


class CacheInfo(BaseModel):
    hit: bool = Field(description="true when this answer came from the Redis cache")
    cached: bool = Field(
        description="false when Redis was unavailable: the answer was computed and not stored"
    )
    note: str = Field(description="one line for the reader: cached, fresh, or why uncached")


class Answer(BaseModel):
    metric_notes: dict[str, str] = Field(
        default_factory=dict, description="unit and definition per metric shown"
    )
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
    """A campaign's figures in the scope asked (its whole life, or a period, a channel, a market). A figure
    is null where the scope cannot split it (leads per channel) or a ratio has no denominator."""

    reach: int | None
    views: int | None
    likes: int | None
    interactions: int | None
    reactions: int | None
    exposure_hours: float | None
    leads: int | None
    converted_leads: int | None
    clients: int | None
    sales_count: int | None
    revenue: float | None
    cost: float | None
    budget: float | None
    roi: float | None
    conversion_rate: float | None
    success_rate: float | None
    success_rate_pct: float | None = Field(description="success_rate in percent, 2 decimals")


class CampaignPerformance(Answer):
    campaign: CampaignBrief
    period_from: date | None
    period_to: date | None
    basis: str = Field(description="exactly what was summed for these figures, and what could not be split")
    metrics: CampaignMetrics
    content_used: list[str] = Field(description="PromptContent image codes (img-0001 ...) the ads used")
    last_source_change: str | None = Field(description="latest change in any source for this campaign (UTC)")
    summary_updated_at: str | None = Field(description="when the ETL last wrote this summary (UTC)")


class ComparedCampaign(BaseModel):
    campaign: CampaignBrief
    values: dict[str, float | None]


class CampaignComparison(Answer):
    metrics: list[str]
    period_from: date | None
    period_to: date | None
    basis: str = Field(description="exactly what was summed for these values")
    campaigns: list[ComparedCampaign]
    higher_is_better: dict[str, bool | None] = Field(
        description="per metric: true when more is better, false when less is (cost), null when neither (budget)"
    )
    leaders: dict[str, str | None] = Field(
        description="per metric, the campaign that does best by `higher_is_better` (null for budget or no value)"
    )


class RankedCampaign(BaseModel):
    rank: int
    campaign: CampaignBrief
    value: float | None


class TopCampaigns(Answer):
    metric: str
    order: Order
    period_from: date | None
    period_to: date | None
    basis: str = Field(description="exactly how `value` was computed, over which rows and campaigns")
    campaigns: list[RankedCampaign]


class BreakdownRow(BaseModel):
    key: str = Field(description="channel name, market name, or month (YYYY-MM-01)")
    campaigns: int = Field(description="campaigns with PromptAds results in this row")
    reach: int
    views: int
    likes: int
    interactions: int
    reactions: int
    exposure_hours: float
    sales_count: int
    revenue: float
    cost: float
    roi: float | None
    conversion_rate: float | None
    leads: int | None = Field(description="month rows only: PromptCrm has no channel or market for leads")
    converted_leads: int | None = Field(description="month rows only (see leads)")
    clients: int | None = Field(description="month rows only (see leads)")
    success_rate: float | None = Field(description="month rows only (see leads)")
    share_of_revenue_pct: float | None = Field(
        description="this row's revenue / the total's revenue, in percent"
    )


class Breakdown(Answer):
    dimension: Dimension
    period_from: date | None
    period_to: date | None
    scope: str = Field(description="which campaigns, period, channel and market were summed")
    basis: str = Field(description="exactly what each row sums, and what could not be split")
    total: BreakdownRow | None = Field(
        description="the same figures over the whole scope (every row summed, including rows beyond `limit`)"
    )
    rows: list[BreakdownRow]


class TrendPoint(BaseModel):
    month: date
    days: int = Field(
        description="days of this month inside the period (fewer than the month has at the edges)"
    )
    value: float | None
    change_pct: float | None = Field(description="change versus the previous month, in percent")


class Trend(Answer):
    metric: str
    period_from: date | None
    period_to: date | None
    scope: str
    basis: str = Field(description="exactly what each point sums")
    points: list[TrendPoint]
    direction: Literal["rising", "falling", "flat", "not enough data"]
    first_to_last_change_pct: float | None


class SalesOverview(Answer):
    campaigns: int
    active: int
    finished: int
    first_start_date: date | None
    last_end_date: date | None
    first_activity_day: date | None = Field(description="first day with PromptAds results")
    last_activity_day: date | None = Field(description="last day with PromptAds results")
    brands: list[str]
    channels: list[str]
    markets: list[str]
    metric_grains: dict[str, str] = Field(description="per metric, the finest grain its figures exist at")
    last_etl_update: str | None
