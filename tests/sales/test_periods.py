"""Period.parts: whole months, dekads and days, added or taken away, must cover exactly the period's days.

Checked day by day against the calendar: every day inside the period counted once, every other day zero
times, for periods of every shape (one day, cut months, cut dekads, whole months, years, open ends)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from promptsales.sales.queries import Period


def _days_of(parts, use_dekads: bool) -> Counter:
    """How many times each day is counted by the parts (a day of a dekad or month counts once per unit)."""
    counted: Counter = Counter()

    def add(first: date, last: date, sign: int) -> None:
        day = first
        while day <= last:
            counted[day] += sign
            day += timedelta(days=1)

    if parts.months:
        month = parts.months[0]
        while month <= parts.months[1]:
            following = (month + timedelta(days=32)).replace(day=1)
            add(month, following - timedelta(days=1), 1)
            month = following
    for start, sign in parts.dekads:
        assert use_dekads and start.day in (1, 11, 21)
        following = (start + timedelta(days=32)).replace(day=1)
        add(
            start, start.replace(day=start.day + 9) if start.day < 21 else following - timedelta(days=1), sign
        )
    for first, last, sign in parts.days:
        add(first, last, sign)
    return Counter({day: n for day, n in counted.items() if n})


PERIODS = [
    (date(2025, 12, 1), date(2025, 12, 1)),
    (date(2025, 11, 15), date(2025, 12, 20)),
    (date(2025, 11, 16), date(2025, 12, 15)),
    (date(2025, 2, 11), date(2025, 5, 19)),
    (date(2024, 12, 25), date(2025, 1, 19)),
    (date(2025, 1, 1), date(2025, 1, 31)),
    (date(2024, 2, 29), date(2024, 3, 1)),
    (date(2025, 1, 3), date(2025, 1, 30)),
]
rng = random.Random(20)
for _ in range(300):
    first = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 700))
    PERIODS.append(
        (first, first + timedelta(days=rng.choice([0, 1, 4, 9, 10, 11, 19, 29, 30, 31, 45, 90, 400])))
    )


@pytest.mark.parametrize("use_dekads", [True, False])
def test_parts_count_every_day_of_the_period_once_and_no_other(use_dekads):
    for first, last in PERIODS:
        counted = _days_of(Period(first, last).parts(use_dekads), use_dekads)
        expected = Counter({first + timedelta(days=i): 1 for i in range((last - first).days + 1)})
        assert counted == expected, (first, last)


def test_parts_read_at_most_six_days_per_cut_dekad():
    """A period cuts at most two dekads; of each, at most six days are read (an 11-day dekad cut 6 / 5 is read
    as its 6 days: the dekad less 5 days costs a little more by COST)."""
    for first, last in PERIODS:
        parts = Period(first, last).parts()
        assert sum((b - a).days + 1 for a, b, _ in parts.days) <= 12, (first, last, parts)


def test_an_open_period_is_whole_months():
    parts = Period(None, None).parts()
    assert parts.dekads == [] and parts.days == [] and parts.months == (date(2000, 1, 1), date(2099, 12, 1))
    parts = Period(date(2025, 3, 1), None).parts()
    assert parts.days == [] and parts.months == (date(2025, 3, 1), date(2099, 12, 1))
