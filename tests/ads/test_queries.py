"""PA5 and PA6 run, transpiled, on the seeded stand-in and return what a person would expect.

Each expectation is computed a different way (another SQL formulation, or Python over the rows), so a
query that returns the wrong rows fails.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import pytest
from promptsales.dbinit.ads import SQL_DIR
from promptsales.standin import query_for_standin

pytestmark = pytest.mark.stack


def run(seeded, name: str, **parameters) -> list[tuple]:
    script = query_for_standin(SQL_DIR / name)
    rows: list[tuple] = []
    for statement in script.statements:
        cursor = seeded.conn.execute(statement, script.parameters | parameters)
        rows = cursor.fetchall() if cursor.description else rows
    return rows


def test_except_lists_brands_that_left_a_channel(seeded_ads) -> None:
    rows = run(seeded_ads, "110_query_brands_lost_on_channel.sql", channelname="Instagram")
    expected = seeded_ads.conn.execute("""
        SELECT DISTINCT b.name FROM ads.brands b WHERE EXISTS (
            SELECT 1 FROM ads.campaigns c JOIN ads.campaignchannels cc ON cc.campaignid = c.campaignid
            JOIN ads.channels ch ON ch.channelid = cc.channelid
            WHERE c.brandid = b.brandid AND ch.name = 'Instagram'
              AND c.startdate >= '2024-11-01' AND c.startdate < '2025-01-01')
        AND NOT EXISTS (
            SELECT 1 FROM ads.campaigns c JOIN ads.campaignchannels cc ON cc.campaignid = c.campaignid
            JOIN ads.channels ch ON ch.channelid = cc.channelid
            WHERE c.brandid = b.brandid AND ch.name = 'Instagram'
              AND c.startdate >= '2025-11-01' AND c.startdate < '2026-01-01')
        ORDER BY 1""").fetchall()
    assert rows == expected and rows


def test_intersect_lists_campaigns_with_influencers_and_email(seeded_ads) -> None:
    rows = [r[0] for r in run(seeded_ads, "111_query_campaigns_influencers_and_email.sql")]
    kinds: dict[int, set[str]] = {}
    for campaign, kind in seeded_ads.conn.execute(
            "SELECT cc.campaignid, ch.kind FROM ads.campaignchannels cc JOIN ads.channels ch "
            "ON ch.channelid = cc.channelid").fetchall():
        kinds.setdefault(campaign, set()).add(kind)
    assert rows == sorted(c for c, k in kinds.items() if {"influencer", "email"} <= k) and rows


def test_merge_then_update_from_select_fill_campaign_performance(seeded_ads) -> None:
    seeded_ads.conn.execute("INSERT INTO ads.campaignperformance (campaignid, reach, sales, revenue, cost) "
                            "VALUES (1, 0, 0, 0, 0) ON CONFLICT (campaignid) DO UPDATE SET reach = 0")
    run(seeded_ads, "112_merge_campaign_performance.sql")
    run(seeded_ads, "112_merge_campaign_performance.sql")  # safe to re-run
    run(seeded_ads, "113_update_budget_used.sql")
    wrong = seeded_ads.conn.execute("""
        SELECT COUNT(*) FROM ads.campaignperformance p
        JOIN (SELECT a.campaignid, SUM(r.audiencereached) AS reach, SUM(r.sales) AS sales,
                     SUM(r.revenue) AS revenue, SUM(r.cost) AS cost
              FROM ads.ads a JOIN ads.adresults r ON r.adid = a.adid GROUP BY a.campaignid) t
          ON t.campaignid = p.campaignid
        JOIN ads.campaigns c ON c.campaignid = p.campaignid
        WHERE (p.reach, p.sales, p.revenue, p.cost) <> (t.reach, t.sales, t.revenue, t.cost)
           OR p.budgetusedpct <> ROUND(100.0 * t.cost / c.budget, 2)""").fetchone()[0]
    assert wrong == 0
    assert seeded_ads.conn.execute("SELECT COUNT(*) FROM ads.campaignperformance").fetchone()[0] == 1000


def test_ltrim_lower_folds_hand_typed_utm_sources(seeded_ads) -> None:
    rows = run(seeded_ads, "114_query_utm_sources.sql")
    raw = [r[0] for r in seeded_ads.conn.execute("SELECT utmsource FROM ads.ads").fetchall()]
    folded: dict[str, set[str]] = {}
    for value in raw:
        folded.setdefault(value.lstrip(" ").lower(), set()).add(value)
    assert rows == [(k, len(v), sum(1 for r in raw if r.lstrip(" ").lower() == k)) for k, v in sorted(folded.items())]
    assert all(spellings > 1 for _, spellings, _ in rows)


def test_floor_and_ceiling_count_weeks(seeded_ads) -> None:
    rows = run(seeded_ads, "115_query_campaign_weeks.sql")
    campaigns = seeded_ads.conn.execute("SELECT campaignid, startdate, enddate FROM ads.campaigns "
                                        "WHERE status = 'finished' ORDER BY campaignid").fetchall()
    expected = [(c, (e - s).days + 1, math.floor(((e - s).days + 1) / 7), math.ceil(((e - s).days + 1) / 7))
                for c, s, e in campaigns]
    assert [(c, d, int(f), int(ce)) for c, d, f, ce in rows] == expected
    assert any(f != c for _, _, f, c in expected)


def _incident(seeded) -> tuple[str, int, object]:
    """A real backlash in the data: an influencer ad whose negative mentions jumped, a week into its run."""
    return seeded.conn.execute("""
        SELECT b.name, a.adid, MIN(s.sentimentdate)
        FROM ads.adsentiment s JOIN ads.ads a ON a.adid = s.adid
        JOIN ads.channels ch ON ch.channelid = a.channelid
        JOIN ads.campaigns c ON c.campaignid = a.campaignid JOIN ads.brands b ON b.brandid = c.brandid
        WHERE ch.kind = 'influencer' AND s.mentions >= 20
          AND s.sentimentkindid IN (SELECT sentimentkindid FROM ads.sentimentkinds WHERE polarity = 'negative')
        GROUP BY b.name, a.adid, c.startdate
        HAVING MIN(s.sentimentdate) >= c.startdate + 7
        ORDER BY MIN(s.sentimentdate) DESC, a.adid LIMIT 1""").fetchone()


def test_pa6_finds_the_backlash_per_channel_and_influencer(seeded_ads) -> None:
    brand, ad_id, since = _incident(seeded_ads)
    until = since + timedelta(days=6)
    rows = run(seeded_ads, "120_query_negative_sentiment_drop.sql", brandname=brand, fromdate=since, todate=until)
    mine = [r for r in rows if r[1] == ad_id]
    assert {r[4] for r in mine} == {"channel", "influencer"}
    # The % drop per influencer, recomputed in Python from the raw reactions.
    reactions = seeded_ads.conn.execute(
        "SELECT i.handle, r.reactiondate, r.reactions FROM ads.influencerreactions r "
        "JOIN ads.influencers i ON i.influencerid = r.influencerid WHERE r.adid = %s", (ad_id,)).fetchall()
    for row in (r for r in mine if r[4] == "influencer"):
        current = sum(n for h, d, n in reactions if h == row[5] and since <= d <= until)
        previous = sum(n for h, d, n in reactions if h == row[5] and since - timedelta(days=7) <= d < since)
        assert (row[8], row[9]) == (previous, current)
        assert row[10] == (Decimal(100) * (previous - current) / previous).quantize(Decimal("0.01"))
        assert row[6].startswith("negative-") and row[7] >= 20
    # Every row is a drop, for an ad of that brand, and the largest drops come first.
    assert all(r[10] > 0 for r in rows)
    assert [r[10] for r in rows] == sorted((r[10] for r in rows), reverse=True)
    brand_ads = {r[0] for r in seeded_ads.conn.execute(
        "SELECT a.adid FROM ads.ads a JOIN ads.campaigns c ON c.campaignid = a.campaignid "
        "JOIN ads.brands b ON b.brandid = c.brandid WHERE b.name = %s", (brand,)).fetchall()}
    assert {r[1] for r in rows} <= brand_ads


def test_pa6_returns_nothing_for_a_brand_without_ads(seeded_ads) -> None:
    assert run(seeded_ads, "120_query_negative_sentiment_drop.sql", brandname="No Such Brand") == []


def test_pa6_defaults_work_on_the_seed_42_data(seeded_ads) -> None:
    assert run(seeded_ads, "120_query_negative_sentiment_drop.sql")
