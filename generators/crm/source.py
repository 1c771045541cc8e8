"""What the CRM generator needs from PromptAds, read through settings (stand-in or SQL Server), never assumed.

The query texts use unquoted PascalCase names, so the same text runs on SQL Server and, folded to lower
case, on the PostgreSQL stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from promptsales import clients
from promptsales.errors import Unavailable
from promptsales.settings import Settings

CAMPAIGNS_SQL = """
SELECT c.CampaignId, c.StartDate, c.EndDate, COALESCE(r.Reach, 0) AS Reach
FROM ads.Campaigns AS c
LEFT JOIN (
    SELECT a.CampaignId, SUM(CAST(ar.AudienceReached AS BIGINT)) AS Reach
    FROM ads.AdResults AS ar
    INNER JOIN ads.Ads AS a ON a.AdId = ar.AdId
    GROUP BY a.CampaignId
) AS r ON r.CampaignId = c.CampaignId
ORDER BY c.CampaignId
"""
CHANNELS_SQL = "SELECT CampaignId, ChannelId FROM ads.CampaignChannels ORDER BY CampaignId, ChannelId"
MARKETS_SQL = "SELECT MarketId, Name, CountryCode FROM ads.Markets ORDER BY MarketId"
# One group per campaign, channel, market and day: the CRM writes exactly Sales sale rows per group whose
# amounts add up to Revenue, so every breakdown (not only the campaign total) agrees with PromptAds.
SALE_GROUPS_SQL = """
SELECT a.CampaignId, ar.ChannelId, a.MarketId, ar.ResultDate,
       SUM(CAST(ar.Sales AS BIGINT)) AS SalesCount, SUM(ar.Revenue) AS Revenue
FROM ads.AdResults AS ar
INNER JOIN ads.Ads AS a ON a.AdId = ar.AdId
WHERE ar.Sales > 0
GROUP BY a.CampaignId, ar.ChannelId, a.MarketId, ar.ResultDate
ORDER BY a.CampaignId, ar.ChannelId, a.MarketId, ar.ResultDate
"""

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class AdsFacts:
    campaign_ids: np.ndarray  # int64, ascending
    start_days: np.ndarray  # days since 1970-01-01
    end_days: np.ndarray
    reach: np.ndarray  # int64, SUM(AudienceReached)
    channel_campaign_index: np.ndarray  # per campaign-channel row: index into campaign_ids
    channel_ids: np.ndarray
    markets: list[tuple[int, str, str]]  # (MarketId, Name, CountryCode)
    group_campaign_index: np.ndarray  # per sale group: index into campaign_ids
    group_channel_ids: np.ndarray
    group_market_ids: np.ndarray
    group_days: np.ndarray
    group_sales: np.ndarray  # int64 sale rows to write
    group_revenue_cents: np.ndarray  # int64, exact


def read_ads_facts(settings: Settings) -> AdsFacts:
    if settings.sources == "sqlserver":
        connection = clients.sqlserver(settings, "ads")
        try:
            return _facts(lambda sql: [tuple(row) for row in connection.cursor().execute(sql).fetchall()])
        finally:
            connection.close()
    with clients.ads_standin(settings) as conn:
        return _facts(lambda sql: conn.execute(sql).fetchall())


def _days(values) -> np.ndarray:
    return np.fromiter(((d - EPOCH).days for d in values), dtype=np.int64, count=len(values))


def _cents(value: Decimal) -> int:
    cents = Decimal(value) * 100
    if cents != cents.to_integral_value():
        raise Unavailable(
            f"PromptAds revenue {value} has more than two decimals; the CRM cannot match it to the cent"
        )
    return int(cents)


def _facts(fetch) -> AdsFacts:
    campaigns = fetch(CAMPAIGNS_SQL)
    if not campaigns:
        raise Unavailable("PromptAds has no campaigns: run `promptsales seed --only promptads` first")
    campaign_ids = np.array([row[0] for row in campaigns], dtype=np.int64)
    index_of = {int(cid): i for i, cid in enumerate(campaign_ids)}
    channels = fetch(CHANNELS_SQL)
    groups = fetch(SALE_GROUPS_SQL)
    return AdsFacts(
        campaign_ids=campaign_ids,
        start_days=_days([row[1] for row in campaigns]),
        end_days=_days([row[2] for row in campaigns]),
        reach=np.array([int(row[3]) for row in campaigns], dtype=np.int64),
        channel_campaign_index=np.array([index_of[row[0]] for row in channels], dtype=np.int64),
        channel_ids=np.array([row[1] for row in channels], dtype=np.int64),
        markets=[(int(row[0]), str(row[1]), str(row[2])) for row in fetch(MARKETS_SQL)],
        group_campaign_index=np.array([index_of[row[0]] for row in groups], dtype=np.int64),
        group_channel_ids=np.array([row[1] for row in groups], dtype=np.int64),
        group_market_ids=np.array([row[2] for row in groups], dtype=np.int64),
        group_days=_days([row[3] for row in groups]),
        group_sales=np.array([row[4] for row in groups], dtype=np.int64),
        group_revenue_cents=np.array([_cents(row[5]) for row in groups], dtype=np.int64),
    )
