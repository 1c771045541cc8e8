"""The PromptAds tables the generator fills, in load order, and how a generated table is held."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """One table's rows as parallel columns (numpy arrays or lists), in the column order of COLUMNS."""

    columns: dict[str, object] = field(default_factory=dict)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), [])
        return len(first)  # type: ignore[arg-type]


# Load order (parents first) and the columns written; identity columns are written explicitly.
COLUMNS: dict[str, list[str]] = {
    "Brands": ["BrandId", "Name", "Industry"],
    "Channels": ["ChannelId", "Name", "Kind", "IsSocial"],
    "Markets": ["MarketId", "Name", "CountryCode", "Region"],
    "SentimentKinds": ["SentimentKindId", "Name", "Polarity"],
    "Influencers": ["InfluencerId", "Handle", "ChannelId", "Followers", "Niche"],
    "Campaigns": ["CampaignId", "BrandId", "Name", "Status", "StartDate", "EndDate", "Budget"],
    "CampaignChannels": ["CampaignId", "ChannelId"],
    "CampaignMarkets": ["CampaignId", "MarketId"],
    "Ads": ["AdId", "CampaignId", "ChannelId", "MarketId", "Title", "ImageCode", "UtmSource", "UnitPrice"],
    "AdResults": [
        "AdId",
        "ChannelId",
        "ResultDate",
        "Likes",
        "Views",
        "Interactions",
        "Sales",
        "ExposureHours",
        "AudienceReached",
        "Cost",
        "Revenue",
    ],
    "InfluencerReactions": ["AdId", "InfluencerId", "ReactionDate", "Reactions"],
    "AdSentiment": ["AdId", "ChannelId", "SentimentDate", "SentimentKindId", "Mentions"],
}
