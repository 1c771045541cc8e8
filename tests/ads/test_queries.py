"""PA5 and PA6 run, transpiled, on the seeded stand-in and return what a person would expect.

Each expectation is computed a different way (another SQL formulation, or Python over the rows), so a
query that returns the wrong rows fails.
"""

from __future__ import annotations

import math
import re
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
        "ON ch.channelid = cc.channelid"
    ).fetchall():
        kinds.setdefault(campaign, set()).add(kind)
    assert rows == sorted(c for c, k in kinds.items() if {"influencer", "email"} <= k) and rows


def test_merge_then_update_from_select_fill_campaign_performance(seeded_ads) -> None:
    seeded_ads.conn.execute(
        "INSERT INTO ads.campaignperformance (campaignid, reach, sales, revenue, cost) "
        "VALUES (1, 0, 0, 0, 0) ON CONFLICT (campaignid) DO UPDATE SET reach = 0"
    )
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
    assert rows == [
        (k, len(v), sum(1 for r in raw if r.lstrip(" ").lower() == k)) for k, v in sorted(folded.items())
    ]
    # The generator's rule, worked by hand: lower, UPPER and Capitalised, each after 0, 1 or 2 spaces
    # (9 spellings); "x" has one capital form for both (6). A case-insensitive count would give 3 and 3.
    assert {source: spellings for source, spellings, _ in rows} == {
        source: 6 if source == "x" else 9 for source in folded
    }


def test_utm_spellings_are_counted_under_a_case_sensitive_collation() -> None:
    """SQL Server compares under the database's collation, case-insensitive by default: the count of
    spellings is only right where the T-SQL names a case-sensitive (or binary) collation."""
    text = (SQL_DIR / "114_query_utm_sources.sql").read_text()
    counted = re.search(r"COUNT\(DISTINCT a\.UtmSource COLLATE (\w+)\)", text)
    assert counted and re.search(r"_(CS_AS|BIN2?)(_|$)", counted.group(1)), (
        "COUNT(DISTINCT) needs a CS collation"
    )


def test_floor_and_ceiling_count_weeks(seeded_ads) -> None:
    rows = run(seeded_ads, "115_query_campaign_weeks.sql")
    campaigns = seeded_ads.conn.execute(
        "SELECT campaignid, startdate, enddate FROM ads.campaigns "
        "WHERE status = 'finished' ORDER BY campaignid"
    ).fetchall()
    expected = [
        (c, (e - s).days + 1, math.floor(((e - s).days + 1) / 7), math.ceil(((e - s).days + 1) / 7))
        for c, s, e in campaigns
    ]
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
    rows = run(
        seeded_ads, "120_query_negative_sentiment_drop.sql", brandname=brand, fromdate=since, todate=until
    )
    mine = [r for r in rows if r[1] == ad_id]
    assert {r[4] for r in mine} == {"channel", "influencer"}
    # The % drop per influencer, recomputed in Python from the raw reactions.
    reactions = seeded_ads.conn.execute(
        "SELECT i.handle, r.reactiondate, r.reactions FROM ads.influencerreactions r "
        "JOIN ads.influencers i ON i.influencerid = r.influencerid WHERE r.adid = %s",
        (ad_id,),
    ).fetchall()
    for row in (r for r in mine if r[4] == "influencer"):
        current = sum(n for h, d, n in reactions if h == row[5] and since <= d <= until)
        previous = sum(n for h, d, n in reactions if h == row[5] and since - timedelta(days=7) <= d < since)
        assert (row[8], row[9]) == (previous, current)
        assert row[10] == (Decimal(100) * (previous - current) / previous).quantize(Decimal("0.01"))
        assert row[6].startswith("negative-") and row[7] >= 20
    # Every row is a drop, for an ad of that brand, and the largest drops come first.
    assert all(r[10] > 0 for r in rows)
    assert [r[10] for r in rows] == sorted((r[10] for r in rows), reverse=True)
    brand_ads = {
        r[0]
        for r in seeded_ads.conn.execute(
            "SELECT a.adid FROM ads.ads a JOIN ads.campaigns c ON c.campaignid = a.campaignid "
            "JOIN ads.brands b ON b.brandid = c.brandid WHERE b.name = %s",
            (brand,),
        ).fetchall()
    }
    assert {r[1] for r in rows} <= brand_ads


def _sums(rows, since, until) -> tuple[int, int]:
    """(previous, current) totals of (date, amount) rows, the previous period being as long as the current."""
    days = (until - since).days + 1
    previous = sum(n for d, n in rows if since - timedelta(days=days) <= d < since)
    return previous, sum(n for d, n in rows if since <= d <= until)


def test_pa6_measures_each_channel_and_each_influencer_once(seeded_ads) -> None:
    """An ad with results and negative sentiment on two channels, and two kinds of negative sentiment on
    its own: every channel's drop comes from that channel's results only, and each influencer shows once."""
    brand, ad_id, since = _incident(seeded_ads)
    until = since + timedelta(days=6)
    conn = seeded_ads.conn
    with conn.transaction(force_rollback=True):
        own, own_name = conn.execute(
            "SELECT a.channelid, ch.name FROM ads.ads a JOIN ads.channels ch "
            "ON ch.channelid = a.channelid WHERE a.adid = %s",
            (ad_id,),
        ).fetchone()
        other = conn.execute(
            "SELECT MIN(channelid) FROM ads.channels WHERE issocial AND channelid <> %s", (own,)
        ).fetchone()[0]
        # The other channel: 400 reactions a day before, 100 during (a 75% drop of its own).
        for offset in range(-7, 7):
            likes = 300 if offset < 0 else 60
            conn.execute(
                "INSERT INTO ads.adresults (adid, channelid, resultdate, likes, views, interactions, sales, "
                "exposurehours, audiencereached, cost, revenue) VALUES (%s, %s, %s, %s, 5000, %s, 0, 1, 1000, 1, 0)",
                (
                    ad_id,
                    other,
                    since + timedelta(days=offset),
                    likes,
                    likes + 100 if offset < 0 else likes + 40,
                ),
            )
        kinds = [
            k
            for (k,) in conn.execute(
                "SELECT sentimentkindid FROM ads.sentimentkinds WHERE polarity = 'negative' ORDER BY 1"
            ).fetchall()
        ]
        for day in range(3):
            for channel, kind, mentions in ((own, kinds[0], 1), (own, kinds[1], 1), (other, kinds[2], 7)):
                conn.execute(
                    "INSERT INTO ads.adsentiment (adid, channelid, sentimentdate, sentimentkindid, mentions) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (ad_id, channel, since + timedelta(days=day), kind, mentions),
                )
        rows = run(
            seeded_ads, "120_query_negative_sentiment_drop.sql", brandname=brand, fromdate=since, todate=until
        )
        results = conn.execute(
            "SELECT ch.name, r.resultdate, r.likes + r.interactions FROM ads.adresults r "
            "JOIN ads.channels ch ON ch.channelid = r.channelid WHERE r.adid = %s",
            (ad_id,),
        ).fetchall()
        negative = conn.execute(
            "SELECT ch.name, k.name, SUM(s.mentions), MIN(k.sentimentkindid) FROM ads.adsentiment s "
            "JOIN ads.sentimentkinds k ON k.sentimentkindid = s.sentimentkindid "
            "JOIN ads.channels ch ON ch.channelid = s.channelid "
            "WHERE s.adid = %s AND k.polarity = 'negative' AND s.sentimentdate BETWEEN %s AND %s "
            "GROUP BY ch.name, k.name",
            (ad_id, since, until),
        ).fetchall()
        influencers = {
            h
            for (h,) in conn.execute(
                "SELECT DISTINCT i.handle FROM ads.influencerreactions r JOIN ads.influencers i "
                "ON i.influencerid = r.influencerid WHERE r.adid = %s",
                (ad_id,),
            ).fetchall()
        }
    mine = [r for r in rows if r[1] == ad_id]
    keys = [(r[3], r[4], r[5]) for r in mine]
    assert len(keys) == len(set(keys)), "a channel or an influencer appears more than once"
    channel_rows = {r[3]: r for r in mine if r[4] == "channel"}
    assert len(channel_rows) == 2  # both channels fell
    for name, row in channel_rows.items():
        assert (row[8], row[9]) == _sums([(d, n) for c, d, n in results if c == name], since, until)
        by_kind = sorted((-m, kind_id, k) for c, k, m, kind_id in negative if c == name)
        assert row[7] == -sum(m for m, _, _ in by_kind) and row[6] == by_kind[0][2]
        assert row[11].count("(") == len(by_kind)
    # Influencers post on the ad's own channel: each once, under that channel.
    influencer_rows = [r for r in mine if r[4] == "influencer"]
    assert influencer_rows and {r[5] for r in influencer_rows} <= influencers
    assert {r[3] for r in influencer_rows} == {own_name}


def test_pa6_returns_nothing_for_a_brand_without_ads(seeded_ads) -> None:
    assert run(seeded_ads, "120_query_negative_sentiment_drop.sql", brandname="No Such Brand") == []


def test_pa6_defaults_work_on_the_seed_42_data(seeded_ads) -> None:
    assert run(seeded_ads, "120_query_negative_sentiment_drop.sql")
