"""Fixed reference data of PromptAds: channels, markets, sentiment kinds and the words campaigns are named with."""

from __future__ import annotations

from datetime import date

# The generated world spans exactly this window (PA3).
WINDOW_START = date(2024, 7, 1)
WINDOW_END = date(2026, 1, 31)
# PA3 peaks: the holiday season (December, January) and November, for Black Friday / Cyber Monday.
PEAK_MONTHS = (11, 12, 1)
PEAK_WEIGHT = 3.0  # a peak month gets this many times the campaign starts of an ordinary month
ACTIVE_SHARE = 0.30

# (ChannelId, Name, Kind, IsSocial, utm token, reach per ad-day, like rate, CPM in $, seconds watched)
CHANNELS = [
    (1, "Facebook", "social", True, "facebook", 900, 0.040, 7.5, 6),
    (2, "Instagram", "social", True, "instagram", 1000, 0.060, 8.5, 7),
    (3, "TikTok", "social", True, "tiktok", 1300, 0.070, 6.0, 9),
    (4, "X", "social", True, "x", 600, 0.030, 5.0, 4),
    (5, "YouTube", "video", True, "youtube", 1200, 0.030, 9.0, 25),
    (6, "LinkedIn", "professional", True, "linkedin", 350, 0.020, 12.0, 8),
    (7, "Email newsletter", "email", False, "newsletter", 450, 0.010, 2.0, 20),
    (8, "SMS", "sms", False, "sms", 300, 0.005, 3.0, 5),
    (9, "Google Search", "search", False, "google", 700, 0.008, 10.0, 3),
    (10, "Instagram influencers", "influencer", True, "instagram", 1600, 0.080, 11.0, 10),
    (11, "TikTok influencers", "influencer", True, "tiktok", 1800, 0.090, 10.0, 12),
]
INFLUENCER_CHANNEL_IDS = (10, 11)
TEXT_ONLY_CHANNEL_IDS = (8, 9)  # no image: SMS and search text ads

# (MarketId, Name, CountryCode, Region)
MARKETS = [
    (1, "Costa Rica", "CR", "Central America"),
    (2, "Guatemala", "GT", "Central America"),
    (3, "Panama", "PA", "Central America"),
    (4, "Mexico", "MX", "North America"),
    (5, "United States", "US", "North America"),
    (6, "Colombia", "CO", "South America"),
    (7, "Peru", "PE", "South America"),
    (8, "Chile", "CL", "South America"),
    (9, "Argentina", "AR", "South America"),
    (10, "Ecuador", "EC", "South America"),
    (11, "Dominican Republic", "DO", "Caribbean"),
    (12, "Spain", "ES", "Europe"),
]

# (SentimentKindId, Name, Polarity): several kinds of negative, as PA6 reports them.
SENTIMENT_KINDS = [
    (1, "positive", "positive"),
    (2, "neutral", "neutral"),
    (3, "negative-complaint", "negative"),
    (4, "negative-offensive", "negative"),
    (5, "negative-misleading", "negative"),
    (6, "negative-boycott", "negative"),
]
POSITIVE_KIND, NEUTRAL_KIND = 1, 2
NEGATIVE_KINDS = (3, 4, 5, 6)

INDUSTRIES = [
    "retail",
    "beverages",
    "cosmetics",
    "electronics",
    "fashion",
    "telecom",
    "banking",
    "travel",
    "food delivery",
    "automotive",
    "fitness",
    "home goods",
]
THEMES = [
    "Summer Glow",
    "Back to School",
    "Holiday Magic",
    "New Year Fresh Start",
    "Black Friday Deals",
    "Cyber Week",
    "Spring Launch",
    "Loyalty Rewards",
    "Brand Awareness",
    "Flash Sale",
    "Mother's Day",
    "Independence Week",
    "Weekend Boost",
    "Product Launch",
    "Clearance",
]
AD_FORMATS = ["carousel", "short video", "story", "static banner", "reel", "text promo", "live teaser"]
INFLUENCER_NICHES = ["beauty", "tech", "food", "travel", "fitness", "gaming", "fashion", "parenting"]
