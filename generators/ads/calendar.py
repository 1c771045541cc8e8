"""Campaign dates: 30% active / 70% finished on the reference date, peaks in November, December, January."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from promptsales.generators.ads.catalog import (
    ACTIVE_SHARE,
    PEAK_MONTHS,
    PEAK_WEIGHT,
    WINDOW_END,
    WINDOW_START,
)

MIN_FINISHED_DAYS = 7
MAX_DAYS = 75
# Earliest reference date: finished campaigns need a few months of history behind it.
EARLIEST_REFERENCE = date(2024, 10, 1)


def check_reference_date(reference: date) -> None:
    latest = WINDOW_END - timedelta(days=14)
    if not EARLIEST_REFERENCE <= reference <= latest:
        raise ValueError(
            f"reference date {reference} must fall between {EARLIEST_REFERENCE} and {latest}: "
            f"campaigns live in {WINDOW_START}..{WINDOW_END} and need room before and after it"
        )


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` in proportion to `weights` exactly (largest remainder), so peaks never depend on luck."""
    shares = weights / weights.sum() * total
    counts = np.floor(shares).astype(int)
    for index in np.argsort(-(shares - counts), kind="stable")[: total - counts.sum()]:
        counts[index] += 1
    return counts


def campaign_dates(
    rng: np.random.Generator, campaigns: int, reference: date
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end dates (numpy datetime64[D]); the first 30% are the active ones."""
    active = round(campaigns * ACTIVE_SHARE)
    finished = campaigns - active
    ref = np.datetime64(reference, "D")
    window_start, window_end = np.datetime64(WINDOW_START, "D"), np.datetime64(WINDOW_END, "D")

    # Active: started in the 45 days up to the reference date, still running on it.
    active_start = ref - rng.integers(1, 45, active)  # at least one day of results before today
    active_start = np.maximum(active_start, window_start)
    longest = np.minimum((window_end - active_start).astype(int), MAX_DAYS)
    shortest = (ref - active_start).astype(int)
    active_end = active_start + rng.integers(shortest, longest + 1).astype("timedelta64[D]")

    # Finished: spread over the months before the reference date, peak months weighted up.
    last_start = reference - timedelta(days=MIN_FINISHED_DAYS + 1)
    months = _months(WINDOW_START, last_start)
    weights = np.array([PEAK_WEIGHT if m.month in PEAK_MONTHS else 1.0 for m in months])
    counts = _allocate(finished, weights)
    starts = []
    for month, count in zip(months, counts):
        next_month = (month + timedelta(days=32)).replace(day=1)
        days_in_month = (min(next_month - timedelta(days=1), last_start) - month).days + 1
        starts.append(np.datetime64(month, "D") + rng.integers(0, days_in_month, count))
    finished_start = np.concatenate(starts) if starts else np.array([], dtype="datetime64[D]")
    room = (ref - finished_start).astype(int) - 1
    duration = np.minimum(rng.integers(14, MAX_DAYS + 1, finished), room)
    finished_end = finished_start + duration.astype("timedelta64[D]")
    return (
        np.concatenate([active_start, finished_start]).astype("datetime64[D]"),
        np.concatenate([active_end, finished_end]).astype("datetime64[D]"),
    )
