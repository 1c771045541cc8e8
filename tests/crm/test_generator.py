"""The CRM generator's rules without a database where possible: client counts per campaign, exact cent
splits, refusals of impossible input, determinism; and the binary COPY encoder against real PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pytest
from promptsales import clients
from promptsales.errors import InvalidInput, Unavailable
from promptsales.generators.crm import pgbinary
from promptsales.generators.crm.build import build, clients_per_campaign, split_cents
from promptsales.generators.crm.source import read_ads_facts


def test_clients_per_campaign_respects_400_1000_reach_and_covers_every_client() -> None:
    rng = np.random.default_rng(1)
    reach = np.array([400, 650, 5_000, 100_000] * 250)
    counts = clients_per_campaign(reach, 600_000, np.arange(1, 1001), rng)
    assert counts.min() >= 400 and counts.max() <= 1000 and (counts <= reach).all()
    assert counts.sum() >= 600_000


@pytest.mark.parametrize(
    ("clients", "reach", "error", "message"),
    [
        (399, [10_000, 10_000], InvalidInput, "cannot give every campaign 400"),  # the --clients option
        (2_001, [10_000, 10_000], InvalidInput, "cannot all be linked"),
        (500, [10_000, 399], Unavailable, "reached fewer than 400"),  # the PromptAds data it reads
    ],
)
def test_impossible_client_counts_are_refused(clients: int, reach: list[int], error, message: str) -> None:
    with pytest.raises(error, match=message):
        clients_per_campaign(np.array(reach), clients, np.arange(1, len(reach) + 1), np.random.default_rng(0))


def test_split_cents_adds_up_exactly() -> None:
    rng = np.random.default_rng(3)
    totals = np.array([1, 999, 123_456_789, 500])
    parts = np.array([1, 7, 1_000, 500])
    cents = split_cents(totals, parts, rng)
    group = np.repeat(np.arange(4), parts)
    assert np.array_equal(np.bincount(group, weights=cents).astype(np.int64), totals)
    assert (cents >= 0).all()


@pytest.mark.stack
@pytest.mark.slow
def test_same_seed_same_rows_other_seed_other_rows(crm_world) -> None:
    facts = read_ads_facts(crm_world.settings)
    first, again, other = (build(facts, 20_000, seed) for seed in (7, 7, 8))
    for a, b in zip(first, again):
        assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a.values, b.values)), a.name
    links = next(t for t in first if t.name == "crm.ClientCampaigns")
    other_links = next(t for t in other if t.name == "crm.ClientCampaigns")
    assert not np.array_equal(links.values[0], other_links.values[0])


@pytest.mark.stack
def test_binary_copy_round_trips_every_type(stack, fresh_database) -> None:
    database = fresh_database("test_pgbinary")
    values = {
        "i": np.array([1, -2, 2_000_000_000]),
        "b": np.array([1, 2**40, -5]),
        "t": np.array(["", "ñandú", "converted"], dtype=object),
        "d": np.array(["2024-07-01", "1999-12-31", "2026-01-31"], dtype="datetime64[D]"),
        "ts": np.array(
            ["2024-07-01T10:11:12", "2000-01-01T00:00:00", "1970-01-01T00:00:01"], dtype="datetime64[s]"
        ),
        "amount": np.array([0, 1, 123_456_789_012]),
    }
    with clients.postgres(stack, database) as conn:
        conn.execute(
            "CREATE TABLE t (i INT, b BIGINT, t TEXT, d DATE, ts TIMESTAMP(0), amount DECIMAL(14, 2))"
        )
        types = ["integer", "bigint", "text", "date", "timestamp without time zone", "numeric"]
        columns = [(kind, values[name], name == "amount") for kind, name in zip(types, values)]
        with conn.cursor().copy("COPY t FROM STDIN (FORMAT BINARY)") as copy:
            for block in pgbinary.encode(columns):
                copy.write(block)
        rows = conn.execute("SELECT * FROM t ORDER BY i").fetchall()
    assert rows == [
        (-2, 2**40, "ñandú", date(1999, 12, 31), datetime(2000, 1, 1), Decimal("0.01")),
        (1, 1, "", date(2024, 7, 1), datetime(2024, 7, 1, 10, 11, 12), Decimal("0.00")),
        (
            2_000_000_000,
            -5,
            "converted",
            date(2026, 1, 31),
            datetime(1970, 1, 1, 0, 0, 1),
            Decimal("1234567890.12"),
        ),
    ]
