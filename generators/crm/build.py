"""Generating the CRM tables from PromptAds facts with numpy: whole columns at a time, deterministic from a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from promptsales.errors import InvalidInput, Unavailable
from promptsales.generators.crm import pools
from promptsales.generators.crm.source import AdsFacts

MIN_CLIENTS_PER_CAMPAIGN = 400  # CR3
MAX_CLIENTS_PER_CAMPAIGN = 1000  # CR3
SECONDS_PER_DAY = 86_400
EPOCH = np.datetime64("1970-01-01", "D")
# Clients signed up before the generated advertising window opened (July 2024).
SIGNUP_FIRST_DAY = int((np.datetime64("2022-01-01") - EPOCH).astype(int))
SIGNUP_LAST_DAY = int((np.datetime64("2024-06-30") - EPOCH).astype(int))


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    values: tuple  # one numpy array or list per column, all the same length
    cents: tuple[str, ...] = ()  # columns held as integer cents, written as DECIMAL(12, 2)

    def __len__(self) -> int:
        return len(self.values[0])


def clients_per_campaign(
    reach: np.ndarray, clients: int, campaign_ids: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """How many distinct clients each campaign links: 400..1,000, never above reach, together >= clients."""
    if clients < MIN_CLIENTS_PER_CAMPAIGN:
        raise InvalidInput(
            f"--clients {clients:,} cannot give every campaign {MIN_CLIENTS_PER_CAMPAIGN} "
            f"distinct clients (CR3): use at least {MIN_CLIENTS_PER_CAMPAIGN}"
        )
    short = np.flatnonzero(reach < MIN_CLIENTS_PER_CAMPAIGN)
    if short.size:
        named = ", ".join(str(int(campaign_ids[i])) for i in short[:5])
        raise Unavailable(
            f"{short.size} PromptAds campaign(s) reached fewer than {MIN_CLIENTS_PER_CAMPAIGN} "
            f"people (e.g. CampaignId {named}); they cannot have {MIN_CLIENTS_PER_CAMPAIGN} "
            "clients without exceeding their reach (CR3, CR4)"
        )
    caps = np.minimum(np.minimum(reach, MAX_CLIENTS_PER_CAMPAIGN), clients)
    if int(caps.sum()) < clients:
        raise InvalidInput(
            f"--clients {clients:,} cannot all be linked to a campaign: the {len(reach):,} "
            f"campaigns take at most {int(caps.sum()):,} clients ({MAX_CLIENTS_PER_CAMPAIGN:,} "
            "each, never more than their reach); use fewer clients or more campaigns"
        )
    counts = MIN_CLIENTS_PER_CAMPAIGN + (
        rng.random(len(caps)) * (caps - MIN_CLIENTS_PER_CAMPAIGN + 1)
    ).astype(np.int64)
    counts = np.minimum(counts, caps)
    deficit = clients - int(counts.sum())
    if deficit > 0:
        headroom = caps - counts
        added = headroom * deficit // int(headroom.sum())
        counts += added
        rest = deficit - int(added.sum())
        counts[np.flatnonzero(caps - counts > 0)[:rest]] += 1
    return counts


def split_cents(totals: np.ndarray, parts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split each total (cents) into `parts` positive-ish amounts that add up to it exactly."""
    group = np.repeat(np.arange(len(parts)), parts)
    starts = np.cumsum(parts) - parts
    weights = rng.lognormal(0.0, 0.35, size=len(group))
    weight_sums = np.add.reduceat(weights, starts) if len(group) else np.zeros(0)
    cents = np.floor(totals[group] * weights / weight_sums[group]).astype(np.int64)
    remainder = totals - (np.add.reduceat(cents, starts) if len(group) else np.zeros(0, np.int64))
    rank = np.arange(len(group)) - starts[group]
    cents += (rank < remainder[group]).astype(np.int64)
    return cents


def _pick(rng: np.random.Generator, options: list[str], weights: list[float], size: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=weights)]


def _dates(days: np.ndarray) -> np.ndarray:
    return EPOCH + days.astype("timedelta64[D]")


def _timestamps(seconds: np.ndarray) -> np.ndarray:
    return np.datetime64("1970-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]")


def build(facts: AdsFacts, clients: int, seed: int) -> list[Table]:
    """Every CRM table, in load order."""
    rng = np.random.default_rng(seed)
    n_campaigns = len(facts.campaign_ids)
    counts = clients_per_campaign(facts.reach, clients, facts.campaign_ids, rng)
    offsets = np.cumsum(counts) - counts

    # Links: a permutation of all clients laid end to end across the campaigns' slots, wrapping around.
    # Every client gets at least one link, and a campaign's slots (at most `clients` long) never repeat one.
    permutation = rng.permutation(clients).astype(np.int64) + 1
    total_links = int(counts.sum())
    link_client = permutation[np.arange(total_links) % clients]
    link_campaign = np.repeat(np.arange(n_campaigns), counts)
    duration = facts.end_days - facts.start_days + 1
    link_day = facts.start_days[link_campaign] + (rng.random(total_links) * duration[link_campaign]).astype(
        np.int64
    )

    cities = _cities_and_hubs(facts)
    city_ids = np.arange(1, len(pools.CITIES) + 1)
    tables = [cities[0], cities[1], _clients(rng, clients, city_ids)]
    tables.append(
        Table(
            "crm.ClientCampaigns",
            ("ClientId", "CampaignId", "LinkedAt"),
            (link_client, facts.campaign_ids[link_campaign], _dates(link_day)),
        )
    )

    # Sales: exactly the PromptAds sales of each campaign/channel/market/day, amounts adding up to its revenue.
    sale_group = np.repeat(np.arange(len(facts.group_sales)), facts.group_sales)
    sale_campaign = facts.group_campaign_index[sale_group]
    sale_slot = offsets[sale_campaign] + (rng.random(len(sale_group)) * counts[sale_campaign]).astype(
        np.int64
    )
    cents = split_cents(facts.group_revenue_cents, facts.group_sales, rng)
    converted = np.zeros(total_links, dtype=bool)
    converted[sale_slot] = True

    lead_status = _pick(rng, pools.OPEN_LEAD_STATUSES, pools.OPEN_LEAD_STATUS_WEIGHTS, total_links)
    lead_status[converted] = "converted"
    lead_seconds = link_day * SECONDS_PER_DAY + rng.integers(0, SECONDS_PER_DAY, total_links)
    tables.append(
        Table(
            "crm.Leads",
            ("LeadId", "ClientId", "CampaignId", "Source", "Status", "CreatedAt"),
            (
                np.arange(1, total_links + 1),
                link_client,
                facts.campaign_ids[link_campaign],
                _pick(rng, pools.LEAD_SOURCES, pools.LEAD_SOURCE_WEIGHTS, total_links),
                lead_status,
                _timestamps(lead_seconds),
            ),
        )
    )
    tables.append(_interactions(rng, facts, link_client, link_campaign, link_day, converted, duration))
    tables.append(
        Table(
            "crm.Sales",
            ("SaleId", "ClientId", "CampaignId", "ChannelId", "MarketId", "Amount", "SaleDate"),
            (
                np.arange(1, len(sale_group) + 1),
                link_client[sale_slot],
                facts.campaign_ids[sale_campaign],
                facts.group_channel_ids[sale_group],
                facts.group_market_ids[sale_group],
                cents,
                _dates(facts.group_days[sale_group]),
            ),
            cents=("Amount",),
        )
    )
    return tables


def _cities_and_hubs(facts: AdsFacts) -> tuple[Table, Table]:
    first_city_of: dict[str, int] = {}
    for city_id, (_, country, _, _) in enumerate(pools.CITIES, start=1):
        first_city_of.setdefault(country, city_id)
    missing = sorted({country for _, _, country in facts.markets if country not in first_city_of})
    if missing:
        raise Unavailable(
            f"PromptAds has markets in {', '.join(missing)}, for which the CRM city pool "
            "(generators/crm/pools.py) has no cities: add them there"
        )
    cities = Table(
        "crm.Cities",
        ("CityId", "Name", "CountryCode", "Latitude", "Longitude"),
        tuple(list(column) for column in zip(*[(i, *row) for i, row in enumerate(pools.CITIES, 1)])),
    )
    hubs = Table(
        "crm.MarketHubs",
        ("MarketId", "CityId"),
        ([m for m, _, _ in facts.markets], [first_city_of[c] for _, _, c in facts.markets]),
    )
    return cities, hubs


def _clients(rng: np.random.Generator, clients: int, city_ids: np.ndarray) -> Table:
    ids = np.arange(1, clients + 1)
    first = np.asarray(pools.FIRST_NAMES, dtype=object)[rng.integers(0, len(pools.FIRST_NAMES), clients)]
    last = np.asarray(pools.LAST_NAMES, dtype=object)[rng.integers(0, len(pools.LAST_NAMES), clients)]
    # The id makes each address unique; example.com never delivers mail.
    emails = [f"{f.lower()}.{s.lower()}.{i}@example.com" for f, s, i in zip(first, last, ids.tolist())]
    phones = [
        f"+506 {p // 10_000:04d} {p % 10_000:04d}"
        for p in rng.integers(60_000_000, 89_999_999, clients).tolist()
    ]
    birth_days = rng.integers(
        int((np.datetime64("1950-01-01") - EPOCH).astype(int)),
        int((np.datetime64("2006-12-31") - EPOCH).astype(int)),
        clients,
    )
    # Capitals (the hubs) hold more clients than the other cities of their country.
    weights = np.array(
        [3.0 if i == 0 or pools.CITIES[i - 1][1] != c[1] else 1.0 for i, c in enumerate(pools.CITIES)]
    )
    city = city_ids[rng.choice(len(city_ids), size=clients, p=weights / weights.sum())]
    created = rng.integers(SIGNUP_FIRST_DAY, SIGNUP_LAST_DAY, clients) * SECONDS_PER_DAY + rng.integers(
        0, SECONDS_PER_DAY, clients
    )
    return Table(
        "crm.Clients",
        (
            "ClientId",
            "FirstName",
            "LastName",
            "Email",
            "Phone",
            "BirthDate",
            "CityId",
            "LoyaltyPoints",
            "CreatedAt",
        ),
        (
            ids,
            first,
            last,
            emails,
            phones,
            _dates(birth_days),
            city,
            rng.integers(0, 5_000, clients),
            _timestamps(created),
        ),
    )


def _interactions(
    rng: np.random.Generator,
    facts: AdsFacts,
    link_client: np.ndarray,
    link_campaign: np.ndarray,
    link_day: np.ndarray,
    converted: np.ndarray,
    duration: np.ndarray,
) -> Table:
    n_campaigns = len(facts.campaign_ids)
    channel_counts = np.bincount(facts.channel_campaign_index, minlength=n_campaigns)
    if (channel_counts == 0).any():
        first = int(facts.campaign_ids[np.flatnonzero(channel_counts == 0)[0]])
        raise Unavailable(
            f"PromptAds campaign {first} has no channels (ads.CampaignChannels); the CRM "
            "cannot place its interactions"
        )
    order = np.argsort(facts.channel_campaign_index, kind="stable")
    channels = facts.channel_ids[order]
    channel_offsets = np.cumsum(channel_counts) - channel_counts
    # Every lead interacted at least once; buyers interacted more (the behaviour CR8 correlates with purchases).
    per_link = 1 + (rng.random(len(link_client)) < 0.2) + converted.astype(np.int64)
    link = np.repeat(np.arange(len(link_client)), per_link)
    campaign = link_campaign[link]
    channel = channels[
        channel_offsets[campaign] + (rng.random(len(link)) * channel_counts[campaign]).astype(np.int64)
    ]
    last_day = facts.start_days[campaign] + duration[campaign] - 1
    day = np.minimum(link_day[link] + rng.integers(0, 14, len(link)), last_day)
    seconds = day * SECONDS_PER_DAY + rng.integers(0, SECONDS_PER_DAY, len(link))
    return Table(
        "crm.Interactions",
        ("InteractionId", "ClientId", "CampaignId", "ChannelId", "Kind", "OccurredAt"),
        (
            np.arange(1, len(link) + 1),
            link_client[link],
            facts.campaign_ids[campaign],
            channel,
            _pick(rng, pools.INTERACTION_KINDS, pools.INTERACTION_KIND_WEIGHTS, len(link)),
            _timestamps(seconds),
        ),
    )
