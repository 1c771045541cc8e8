"""The PromptAds generator without a database: determinism and the parameters it refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from promptsales.generators.ads.tables import COLUMNS
from promptsales.generators.ads.world import generate
from promptsales.generators.options import SeedOptions

SMALL = SeedOptions(seed=7, campaigns=60, images=30)


def _same(a, b) -> bool:
    return all(np.array_equal(np.asarray(a.columns[c]), np.asarray(b.columns[c])) for c in a.columns)


def test_same_seed_same_world_other_seed_other_world() -> None:
    first, second = generate(SMALL), generate(SMALL)
    assert all(_same(first[name], second[name]) for name in COLUMNS)
    other = generate(replace(SMALL, seed=8))
    assert not _same(first["AdResults"], other["AdResults"])


def test_image_codes_come_from_promptcontent_range() -> None:
    codes = {c for c in generate(SMALL)["Ads"].columns["ImageCode"] if c is not None}
    numbers = {int(c.removeprefix("img-")) for c in codes}
    assert numbers and min(numbers) >= 1 and max(numbers) <= SMALL.images


@pytest.mark.parametrize(
    "options, message",
    [
        (replace(SMALL, campaigns=3), "at least 4"),
        (replace(SMALL, campaigns=20_001), "more than the PromptAds generator makes"),
        (replace(SMALL, reference_date=date(2024, 8, 1)), "reference date 2024-08-01 must fall between"),
        (replace(SMALL, reference_date=date(2026, 1, 30)), "must fall between"),
    ],
)
def test_impossible_parameters_are_refused(options: SeedOptions, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(options)


def test_zero_campaigns_is_refused_before_the_generator_runs() -> None:
    with pytest.raises(ValueError, match="--campaigns must be at least 1"):
        SeedOptions(campaigns=0)
