"""Loading: replaces the previous generated data (never adds to it) and refuses bad parameters untouched."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from promptsales import clients
from promptsales.errors import InvalidInput
from promptsales.generators import ads as ads_generator
from promptsales.generators.options import SeedOptions

pytestmark = pytest.mark.stack
SMALL = SeedOptions(seed=3, campaigns=40, images=20)


FOREIGN_KEYS = "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'ads'::regnamespace"
INDEXES = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'ads'"


def test_loading_twice_replaces_and_new_rows_carry_newer_row_versions(fresh_ads) -> None:
    with clients.ads_standin(fresh_ads) as conn:
        foreign_keys = conn.execute(FOREIGN_KEYS).fetchone()[0]
        indexes = conn.execute(INDEXES).fetchone()[0]
    first = ads_generator.load(fresh_ads, SMALL)
    with clients.ads_standin(fresh_ads) as conn:
        old_top = conn.execute("SELECT MAX(rowver) FROM ads.adresults").fetchone()[0]
    second = ads_generator.load(fresh_ads, SMALL)
    assert first == second
    with clients.ads_standin(fresh_ads) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ads.adresults").fetchone()[0] == second["adresults"]
        assert conn.execute("SELECT MIN(rowver) FROM ads.campaigns").fetchone()[0] > old_top
        # Foreign keys and indexes are back after the bulk load.
        assert conn.execute(FOREIGN_KEYS).fetchone()[0] == foreign_keys >= 16
        assert conn.execute(INDEXES).fetchone()[0] == indexes >= 8 + 13
        # The identity generators continue after the loaded ids (the PA2 path inserts without ids).
        new_id = conn.execute(
            "INSERT INTO ads.brands (name, industry) VALUES ('New Brand', 'retail') RETURNING brandid"
        ).fetchone()[0]
        assert new_id == second["brands"] + 1
        conn.rollback()


@pytest.mark.parametrize(
    "options, message",
    [
        (replace(SMALL, campaigns=2), "at least 4"),
        (replace(SMALL, reference_date=date(2023, 1, 1)), "must fall between"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_lost(
    fresh_ads, options: SeedOptions, message: str
) -> None:
    loaded = ads_generator.load(fresh_ads, SMALL)
    with pytest.raises(InvalidInput, match=message):
        ads_generator.load(fresh_ads, options)
    with clients.ads_standin(fresh_ads) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ads.campaigns").fetchone()[0] == loaded["campaigns"]
