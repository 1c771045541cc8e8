"""PA3/PA4 on the loaded stand-in (seed 42, 1,000 campaigns): counts, split, dates, peaks, funnel."""

from __future__ import annotations

import statistics
from datetime import date

import pytest
from promptsales.generators.ads.catalog import PEAK_MONTHS, WINDOW_END, WINDOW_START
from promptsales.generators.ads.tables import COLUMNS

pytestmark = pytest.mark.stack


def scalar(seeded, query: str, params: tuple = ()):
    return seeded.conn.execute(query, params).fetchone()[0]


def test_counts_loaded_are_the_counts_reported(seeded_ads) -> None:
    for name in COLUMNS:
        assert scalar(seeded_ads, f"SELECT COUNT(*) FROM ads.{name}") == seeded_ads.counts[name.lower()], name
    assert seeded_ads.counts["campaigns"] == 1000
    assert seeded_ads.counts["adresults"] > 100_000


def test_thirty_percent_active_seventy_finished_on_the_reference_date(seeded_ads) -> None:
    ref = seeded_ads.options.reference_date
    rows = dict(
        seeded_ads.conn.execute("SELECT status, COUNT(*) FROM ads.campaigns GROUP BY status").fetchall()
    )
    assert rows == {"active": 300, "finished": 700}
    wrong = scalar(
        seeded_ads,
        "SELECT COUNT(*) FROM ads.campaigns WHERE "
        "(status = 'active' AND NOT (startdate <= %s AND enddate >= %s)) OR "
        "(status = 'finished' AND enddate >= %s)",
        (ref, ref, ref),
    )
    assert wrong == 0


def test_every_date_lies_in_the_window(seeded_ads) -> None:
    first, last = seeded_ads.conn.execute("SELECT MIN(startdate), MAX(enddate) FROM ads.campaigns").fetchone()
    assert WINDOW_START <= first and last <= WINDOW_END
    assert first < date(2024, 8, 1) and last > date(2025, 12, 31)  # the window is used, end to end
    outside = scalar(
        seeded_ads,
        "SELECT COUNT(*) FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
        "JOIN ads.campaigns c ON c.campaignid = a.campaignid "
        "WHERE r.resultdate < c.startdate OR r.resultdate > c.enddate OR r.resultdate >= %s",
        (seeded_ads.options.reference_date,),
    )
    assert outside == 0


def test_peak_months_have_at_least_1_8_times_the_median_of_the_others(seeded_ads) -> None:
    per_month = seeded_ads.conn.execute(
        "SELECT date_trunc('month', startdate)::date, COUNT(*) FROM ads.campaigns GROUP BY 1 ORDER BY 1"
    ).fetchall()
    peaks = {m: n for m, n in per_month if m.month in PEAK_MONTHS}
    others = [n for m, n in per_month if m.month not in PEAK_MONTHS]
    assert {m.month for m in peaks} == set(PEAK_MONTHS) and len(others) >= 10
    median = statistics.median(others)
    assert all(n >= 1.8 * median for n in peaks.values()), (peaks, median)


def test_every_campaign_has_channels_markets_and_ads_all_with_results(seeded_ads) -> None:
    lacking = scalar(
        seeded_ads,
        """
        SELECT COUNT(*) FROM ads.campaigns c WHERE
            NOT EXISTS (SELECT 1 FROM ads.campaignchannels x WHERE x.campaignid = c.campaignid)
         OR NOT EXISTS (SELECT 1 FROM ads.campaignmarkets x WHERE x.campaignid = c.campaignid)
         OR NOT EXISTS (SELECT 1 FROM ads.ads x WHERE x.campaignid = c.campaignid)""",
    )
    assert lacking == 0
    assert (
        scalar(
            seeded_ads,
            "SELECT COUNT(*) FROM ads.ads a WHERE NOT EXISTS "
            "(SELECT 1 FROM ads.adresults r WHERE r.adid = a.adid)",
        )
        == 0
    )
    unused = scalar(
        seeded_ads,
        """
        SELECT (SELECT COUNT(*) FROM ads.campaignchannels cc WHERE NOT EXISTS (SELECT 1 FROM ads.ads a
                  WHERE a.campaignid = cc.campaignid AND a.channelid = cc.channelid))
             + (SELECT COUNT(*) FROM ads.campaignmarkets cm WHERE NOT EXISTS (SELECT 1 FROM ads.ads a
                  WHERE a.campaignid = cm.campaignid AND a.marketid = cm.marketid))""",
    )
    assert unused == 0
    assert (
        scalar(
            seeded_ads,
            "SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM ads.campaignchannels GROUP BY campaignid) x",
        )
        >= 2
    )


def test_results_obey_the_funnel(seeded_ads) -> None:
    broken = seeded_ads.conn.execute("""
        SELECT
            COUNT(*) FILTER (WHERE r.audiencereached > r.views),
            COUNT(*) FILTER (WHERE r.sales > r.interactions),
            COUNT(*) FILTER (WHERE r.revenue <> r.sales * a.unitprice),
            COUNT(*) FILTER (WHERE r.cost <= 0),
            COUNT(*) FILTER (WHERE r.channelid <> a.channelid)
        FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid""").fetchone()
    assert broken == (0, 0, 0, 0, 0)
    assert scalar(seeded_ads, "SELECT SUM(sales) FROM ads.adresults") > 0


def test_campaign_reach_leaves_room_for_the_crm_clients(seeded_ads) -> None:
    """CR3 links 400-1,000 clients to each campaign and never more than its reach."""
    assert (
        scalar(
            seeded_ads,
            "SELECT MIN(reach) FROM (SELECT SUM(r.audiencereached) AS reach FROM ads.adresults r "
            "JOIN ads.ads a ON a.adid = r.adid GROUP BY a.campaignid) x",
        )
        >= 1000
    )


def test_there_are_negative_sentiment_incidents_with_drops(seeded_ads) -> None:
    kinds = seeded_ads.conn.execute(
        "SELECT DISTINCT k.name FROM ads.adsentiment s JOIN ads.sentimentkinds k "
        "ON k.sentimentkindid = s.sentimentkindid WHERE k.polarity = 'negative'"
    ).fetchall()
    assert len(kinds) == 4
    assert (
        scalar(
            seeded_ads,
            "SELECT COUNT(DISTINCT adid) FROM ads.adsentiment WHERE mentions >= 20 "
            "AND sentimentkindid IN (SELECT sentimentkindid FROM ads.sentimentkinds "
            "WHERE polarity = 'negative')",
        )
        >= 50
    )
