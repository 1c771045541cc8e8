"""The n8n ETL end to end on the real stack: seed -> run -> summaries equal an independent aggregate;
idempotence; only changed campaigns change; impossible rows rejected; a killed run recovers.

Each test starts from the same freshly loaded sample (tests/etl/conftest.py: `seeded`, or `loaded` after a
first run) and picks the campaigns it changes by what they hold (`_campaigns`), so it runs alone or in any
order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import threading
import time

import psycopg
import pytest
from promptsales import clients
from promptsales.errors import Unavailable
from promptsales.etl import runner, workflow
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import N8nApi, N8nClient, N8nWebhookError
from pydantic import SecretStr

from .expected import actual_summaries, derived_problems, expected_summaries, rollup_problems

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def _run(world, full: bool = False) -> dict:
    entry = runner.run_once(world.n8n, world.central, full=full)
    assert entry["status"] == "succeeded", entry
    return entry


def _assert_summaries_match(world) -> None:
    expected = expected_summaries(world.ads, world.crm)
    actual = actual_summaries(world.central)
    for kind in ("campaign", "channel", "market", "month", "ad_day", "crm_day"):
        assert actual[kind].keys() == expected[kind].keys(), kind
        wrong = {
            key: (actual[kind][key], expected[kind][key])
            for key in expected[kind]
            if actual[kind][key] != expected[kind][key]
        }
        assert not wrong, f"{kind}: {len(wrong)} rows differ, e.g. {next(iter(wrong.items()))}"
    assert derived_problems(world.central) == []
    assert rollup_problems(world.central) == []


def _watermarks(world) -> dict:
    return {
        (s, e): m
        for s, e, m in world.central.execute("SELECT source, entity, mark FROM etl.watermarks").fetchall()
    }


def _dirty(world) -> set:
    return {cid for (cid,) in world.central.execute("SELECT campaign_id FROM etl.dirty_campaigns").fetchall()}


# A campaign's rows in PromptAds, in the order the foreign keys allow deleting them: results, ads, links, then
# the campaign.
CAMPAIGN_TABLES = ("adresults", "ads", "campaignchannels", "campaignmarkets", "campaigns")


def _delete_campaign(world, campaign: int) -> None:
    world.ads.execute(
        "DELETE FROM ads.adresults WHERE adid IN (SELECT adid FROM ads.ads WHERE campaignid = %s)",
        (campaign,),
    )
    for table in CAMPAIGN_TABLES[1:]:
        world.ads.execute(f"DELETE FROM ads.{table} WHERE campaignid = %s", (campaign,))


def _campaigns(world, n: int) -> list[int]:
    """n distinct campaigns, lowest ids first, that have at least four valid results in PromptAds and leads,
    client links and sales in PromptCrm: what the tests below change, remove or break."""
    with_results = {
        cid
        for (cid,) in world.ads.execute(
            "SELECT a.campaignid FROM ads.ads a JOIN ads.adresults r ON r.adid = a.adid "
            "WHERE r.resultdate IS NOT NULL AND r.revenue >= 0 GROUP BY a.campaignid HAVING count(*) >= 4"
        )
    }
    with_crm = {
        cid
        for (cid,) in world.crm.execute(
            "SELECT campaignid FROM crm.leads INTERSECT SELECT campaignid FROM crm.clientcampaigns "
            "INTERSECT SELECT campaignid FROM crm.sales"
        )
    }
    chosen = sorted(with_results & with_crm)[:n]
    assert len(chosen) == n, f"the sample has {len(chosen)} such campaigns, the test needs {n}"
    return chosen


def _new_id(conn, table: str, column: str) -> int:
    """An id no row of `table` has (nor had, in this sample): above the largest."""
    return conn.execute(f"SELECT coalesce(max({column}), 0) + 1000 FROM {table}").fetchone()[0]


def _stamps(world) -> dict:
    return dict(
        world.central.execute(
            "SELECT campaign_id, (updated_at, last_etl_run_id) FROM analytics.campaign_summary"
        ).fetchall()
    )


def test_first_run_loads_every_campaign_exactly(seeded):
    world = seeded
    version_before = int(clients.redis_client(world.settings).get(world.redis_key) or 0)
    entry = _run(world)
    assert entry["rows_read"]["promptads.campaigns"] == 40
    assert entry["rows_changed"]["campaign_summary"] == 40
    assert entry["read_in_full"] == ["promptads", "promptcrm"]  # the first run: no change-log mark yet
    assert entry["rows_read"]["promptcontent.images"] == 30
    _assert_summaries_match(world)
    assert world.central.execute("SELECT count(*) FROM analytics.content_images").fetchone()[0] == 30
    assert int(clients.redis_client(world.settings).get(world.redis_key)) == version_before + 1
    marks = _watermarks(world)
    assert (
        marks[("promptads", "adresults")]
        == world.ads.execute("SELECT max(rowver) FROM ads.adresults").fetchone()[0]
    )


def test_second_run_without_changes_touches_nothing(loaded):
    world = loaded
    stamps, audits = (
        _stamps(world),
        world.central.execute("SELECT count(*) FROM analytics.campaign_summary_audit").fetchone()[0],
    )
    version_before = int(clients.redis_client(world.settings).get(world.redis_key) or 0)
    entry = _run(world)
    assert all(v == 0 for v in entry["rows_read"].values()), entry["rows_read"]
    assert all(v == 0 for v in entry["rows_changed"].values()), entry["rows_changed"]
    assert _stamps(world) == stamps
    assert (
        world.central.execute("SELECT count(*) FROM analytics.campaign_summary_audit").fetchone()[0] == audits
    )
    assert int(clients.redis_client(world.settings).get(world.redis_key) or 0) == version_before


def test_changed_rows_change_only_their_campaigns(loaded):
    world = loaded
    before = _stamps(world)
    # k = 5 result rows of campaigns first and second, one ad moved to another image in third, CRM: a lead for
    # fourth and a client link for fifth.
    first, second, third, fourth, fifth = _campaigns(world, 5)
    for campaign, k in ((first, 3), (second, 2)):
        world.ads.execute(
            "UPDATE ads.adresults SET revenue = revenue + 10, views = views + 7 WHERE ctid IN ("
            "SELECT r.ctid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
            "WHERE a.campaignid = %s ORDER BY r.adid, r.resultdate LIMIT %s)",
            (campaign, k),
        )
    world.ads.execute(
        "UPDATE ads.ads SET imagecode = 'img-0999' WHERE adid = "
        "(SELECT min(adid) FROM ads.ads WHERE campaignid = %s)",
        (third,),
    )
    world.crm.execute(
        "INSERT INTO crm.leads (leadid, clientid, campaignid, source, status, createdat) "
        "VALUES (%s, 1, %s, 'web', 'new', now())",
        (_new_id(world.crm, "crm.leads", "leadid"), fourth),
    )
    world.crm.execute(
        "INSERT INTO crm.clientcampaigns (clientid, campaignid) VALUES (%s, %s)",
        (_new_id(world.crm, "crm.clients", "clientid"), fifth),
    )
    entry = _run(world)
    after = _stamps(world)
    changed = {cid for cid in after if after[cid] != before[cid]}
    assert changed == {first, second, third, fourth, fifth}
    assert entry["read_in_full"] == []
    assert entry["rows_read"]["promptads.campaigns"] == 1  # only third's attributes (an ad) changed
    assert (
        2 <= entry["rows_read"]["promptads.cells"] <= 5
    )  # the cells of the 5 changed results of first, second
    assert entry["rows_read"]["promptcrm.campaigns"] == 2
    _assert_summaries_match(world)
    assert (
        "img-0999"
        in world.central.execute(
            "SELECT content_used FROM analytics.campaign_summary WHERE campaign_id = %s", (third,)
        ).fetchone()[0]
    )


def test_brand_names_and_channel_or_market_links_are_deltas_too(loaded):
    """Tables that only describe a campaign (Brands, CampaignChannels, CampaignMarkets) carry RowVer as
    well: a renamed brand, a new channel or a new market reaches exactly the campaigns concerned."""
    world = loaded
    before = _stamps(world)
    (chosen,) = _campaigns(world, 1)
    (brand,) = world.ads.execute(
        "SELECT brandid FROM ads.campaigns WHERE campaignid = %s", (chosen,)
    ).fetchone()
    world.ads.execute("UPDATE ads.brands SET name = name || ' (renamed)' WHERE brandid = %s", (brand,))
    renamed = {
        cid
        for (cid,) in world.ads.execute(
            "SELECT campaignid FROM ads.campaigns WHERE brandid = %s", (brand,)
        ).fetchall()
        if cid in before
    }
    linked = set()
    for table, key, names in (
        ("campaignchannels", "channelid", "channels"),
        ("campaignmarkets", "marketid", "markets"),
    ):
        campaign, missing = world.ads.execute(
            f"SELECT c.campaignid, min(n.{key}) FROM ads.campaigns c CROSS JOIN ads.{names} n "
            f"WHERE c.campaignid = ANY(%s) AND c.brandid <> %s AND NOT EXISTS (SELECT 1 FROM ads.{table} l "
            f"WHERE l.campaignid = c.campaignid AND l.{key} = n.{key}) GROUP BY c.campaignid "
            f"ORDER BY c.campaignid LIMIT 1",
            (sorted(set(before) - linked), brand),
        ).fetchone()
        world.ads.execute(f"INSERT INTO ads.{table} (campaignid, {key}) VALUES (%s, %s)", (campaign, missing))
        linked.add(campaign)
    entry = _run(world)
    after = _stamps(world)
    assert {cid for cid in after if after[cid] != before[cid]} == renamed | linked
    assert entry["rows_read"]["promptads.campaigns"] == len(renamed | linked)
    _assert_summaries_match(world)
    assert (
        world.central.execute(
            "SELECT brand_name FROM analytics.campaign_summary WHERE campaign_id = %s", (chosen,)
        )
        .fetchone()[0]
        .endswith("(renamed)")
    )


def test_a_renamed_channel_or_market_reaches_every_campaign_that_uses_it(loaded):
    """Channels and Markets carry RowVer too: a rename is read by the next run (not left to the daily full
    re-read) and re-derives the campaigns linked to it (their lists of channels and markets) and those
    with results on it (their breakdowns, even without a link), and no other campaign."""
    world = loaded
    channel, market = world.ads.execute(
        "SELECT r.channelid, a.marketid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
        "GROUP BY r.channelid, a.marketid ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    # A campaign with results on the channel but no link to it: only its breakdowns carry the name.
    (outsider,) = world.ads.execute(
        "SELECT c.campaignid FROM ads.campaigns c WHERE NOT EXISTS (SELECT 1 FROM ads.campaignchannels cc "
        "WHERE cc.campaignid = c.campaignid AND cc.channelid = %(ch)s) AND NOT EXISTS (SELECT 1 FROM ads.ads a "
        "WHERE a.campaignid = c.campaignid AND (a.marketid = %(mk)s OR a.channelid = %(ch)s)) "
        "AND EXISTS (SELECT 1 FROM ads.ads a JOIN ads.adresults r ON r.adid = a.adid "
        "WHERE a.campaignid = c.campaignid AND r.resultdate IS NOT NULL AND r.revenue >= 0) "
        "ORDER BY c.campaignid LIMIT 1",
        {"ch": channel, "mk": market},
    ).fetchone()
    world.ads.execute(
        "UPDATE ads.adresults SET channelid = %s WHERE ctid = (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s AND r.resultdate IS NOT NULL "
        "AND r.revenue >= 0 LIMIT 1)",
        (channel, outsider),
    )
    _run(world)
    touched = {
        cid
        for (cid,) in world.ads.execute(
            "SELECT cc.campaignid FROM ads.campaignchannels cc WHERE cc.channelid = %(ch)s "
            "UNION SELECT cm.campaignid FROM ads.campaignmarkets cm WHERE cm.marketid = %(mk)s "
            "UNION SELECT a.campaignid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
            "WHERE r.channelid = %(ch)s OR a.marketid = %(mk)s",
            {"ch": channel, "mk": market},
        ).fetchall()
    }
    every = {cid for (cid,) in world.central.execute("SELECT campaign_id FROM analytics.campaign_summary")}
    assert outsider in touched and every - touched  # campaigns to reach, and campaigns to leave alone

    def breakdown_stamps() -> dict:
        return dict(
            world.central.execute(
                "SELECT 'channel:' || campaign_id || ':' || channel_name, updated_at "
                "FROM analytics.campaign_channel_summary UNION ALL "
                "SELECT 'market:' || campaign_id || ':' || market_name, updated_at "
                "FROM analytics.campaign_market_summary"
            ).fetchall()
        )

    before, breakdowns_before = _stamps(world), breakdown_stamps()
    world.ads.execute("UPDATE ads.channels SET name = name || ' (renamed)' WHERE channelid = %s", (channel,))
    world.ads.execute("UPDATE ads.markets SET name = name || ' (renamed)' WHERE marketid = %s", (market,))
    entry = _run(world)
    assert entry["rows_read"]["promptads.names"] == 2
    _assert_summaries_match(world)  # every list and breakdown carries the new names, and only them
    after, breakdowns_after = _stamps(world), breakdown_stamps()
    assert {cid for cid in after if after[cid] != before[cid]} <= touched - {outsider}
    moved = {
        int(key.split(":")[1])
        for key, stamp in breakdowns_after.items()
        if breakdowns_before.get(key) != stamp
    }
    assert outsider in moved and moved <= touched
    assert _run(world)["rows_read"]["promptads.names"] == 0


def _content_used(world, campaign: int) -> set:
    return set(
        world.central.execute(
            "SELECT content_used FROM analytics.campaign_summary WHERE campaign_id = %s", (campaign,)
        ).fetchone()[0]
    )


def test_a_campaign_that_loses_an_ad_without_results_is_read_again(loaded):
    """A deleted ad leaves no RowVer, and one without results no change-log entry either: a trigger touches
    the campaign it left (deleted or moved away), so the next run drops its image code there."""
    world = loaded
    left, joined = (
        cid
        for (cid,) in world.ads.execute(
            "SELECT campaignid FROM ads.campaigns ORDER BY campaignid LIMIT 2"
        ).fetchall()
    )
    channel, market = world.ads.execute(
        "SELECT channelid, marketid FROM ads.ads WHERE campaignid = %s LIMIT 1", (left,)
    ).fetchone()
    deleted_ad = _new_id(world.ads, "ads.ads", "adid")
    moved_ad = deleted_ad + 1
    world.ads.execute(
        "INSERT INTO ads.ads (adid, campaignid, channelid, marketid, imagecode) VALUES "
        "(%(deleted)s, %(c)s, %(ch)s, %(mk)s, 'img-0990'), (%(moved)s, %(c)s, %(ch)s, %(mk)s, 'img-0991')",
        {"deleted": deleted_ad, "moved": moved_ad, "c": left, "ch": channel, "mk": market},
    )
    _run(world)
    assert {"img-0990", "img-0991"} <= _content_used(world, left)
    before = _stamps(world)
    world.ads.execute("DELETE FROM ads.ads WHERE adid = %s", (deleted_ad,))
    world.ads.execute("UPDATE ads.ads SET campaignid = %s WHERE adid = %s", (joined, moved_ad))
    _run(world)
    _assert_summaries_match(world)
    assert not {"img-0990", "img-0991"} & _content_used(world, left)
    assert "img-0991" in _content_used(world, joined)
    after = _stamps(world)
    assert {cid for cid in after if after[cid] != before[cid]} == {left, joined}


def test_a_campaign_deleted_from_promptads_loses_its_summary(loaded):
    """A deleted campaign leaves no row whose RowVer could show it: its tombstone (ads.deletedcampaigns, kept
    by a trigger) makes the next run drop its summary and breakdowns, audited under that run, and reject its
    PromptCrm counts as a deleted campaign's. Nothing else changes; the same id inserted again is summarized
    as usual, a full re-read agrees, and a run after that changes nothing."""
    world = loaded
    (gone,) = _campaigns(world, 1)
    reach, leads = world.central.execute(
        "SELECT reach, leads FROM analytics.campaign_summary WHERE campaign_id = %s", (gone,)
    ).fetchone()
    assert reach > 0 and leads > 0  # results and PromptCrm rows: both must go or be rejected
    before = _stamps(world)
    version_before = int(clients.redis_client(world.settings).get(world.redis_key) or 0)
    _delete_campaign(world, gone)
    entry = _run(world)
    assert entry["rows_read"]["promptads.deleted_campaigns"] == 1
    assert entry["rows_changed"]["campaign_summary_deleted"] == 1
    # The sales tools' cached answers about it are dropped too.
    assert int(clients.redis_client(world.settings).get(world.redis_key)) == version_before + 1
    after = _stamps(world)
    assert after.keys() == before.keys() - {gone}
    assert {cid for cid in after if after[cid] != before[cid]} == set()
    for kind in ("channel", "market", "month"):
        assert (
            world.central.execute(
                f"SELECT count(*) FROM analytics.campaign_{kind}_summary WHERE campaign_id = %s", (gone,)
            ).fetchone()[0]
            == 0
        )
    _assert_summaries_match(world)
    audit = world.central.execute(
        "SELECT etl_run_id, old_values ->> 'reach', new_values FROM analytics.campaign_summary_audit "
        "WHERE campaign_id = %s ORDER BY audit_id DESC LIMIT 1",
        (gone,),
    ).fetchone()
    assert audit == (entry["run_id"], str(reach), {})
    reasons = [
        r
        for (r,) in world.central.execute(
            "SELECT reason FROM etl.rejects WHERE run_id = %s AND campaign_id = %s", (entry["run_id"], gone)
        )
    ]
    assert len(reasons) == 1 and reasons[0].startswith("campaign deleted from PromptAds"), reasons

    # The id lives again: its tombstone no longer counts, and its PromptCrm rows are its own again.
    world.ads.execute(
        "INSERT INTO ads.campaigns (campaignid, brandid, name, status, startdate, budget) "
        "SELECT %s, min(brandid), 'Back again', 'active', DATE '2026-11-01', 100 FROM ads.brands",
        (gone,),
    )
    _run(world)
    assert world.central.execute(
        "SELECT campaign_name, reach, leads > 0 FROM analytics.campaign_summary WHERE campaign_id = %s",
        (gone,),
    ).fetchone() == ("Back again", 0, True)
    _assert_summaries_match(world)
    entry = _run(world, full=True)
    assert entry["rows_changed"]["campaign_summary_deleted"] == 0
    _assert_summaries_match(world)
    entry = _run(world)
    assert all(v == 0 for v in entry["rows_changed"].values()), entry["rows_changed"]


def test_impossible_rows_are_rejected_and_never_stop_the_run(loaded):
    world = loaded
    negative, undated, undated_sale = _campaigns(world, 3)
    unknown = _new_id(world.ads, "ads.campaigns", "campaignid")
    sale = _new_id(world.crm, "crm.sales", "saleid")
    world.ads.execute(
        "UPDATE ads.adresults SET revenue = -50 WHERE ctid = (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
        (negative,),
    )
    world.ads.execute(
        "UPDATE ads.adresults SET resultdate = NULL WHERE ctid = (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
        (undated,),
    )
    world.crm.execute(
        "INSERT INTO crm.sales (saleid, clientid, campaignid, channelid, marketid, amount, saledate) "
        "VALUES (%s, 1, %s, 1, 1, 25.00, NULL), (%s, 1, %s, 1, 1, 30.00, '2025-01-05')",
        (sale, undated_sale, sale + 1, unknown),
    )
    entry = _run(world)
    reasons = world.central.execute(
        "SELECT source, entity, campaign_id, reason FROM etl.rejects WHERE run_id = %s ORDER BY 1, 2, 3",
        (entry["run_id"],),
    ).fetchall()
    assert [(s, e, c) for s, e, c, _ in reasons] == [
        ("promptads", "adresults", negative),
        ("promptads", "adresults", undated),
        ("promptcrm", "campaigns", unknown),
        ("promptcrm", "sales", undated_sale),
    ]
    assert [r for *_, r in reasons][:2] == ["negative revenue", "null result date"]
    assert reasons[2][3].startswith("unknown campaign id")
    assert reasons[3][3] == "null sale date"
    assert entry["rows_rejected"] == 4
    _assert_summaries_match(world)  # the bad rows are left out of every sum


def test_failed_run_keeps_watermarks_and_the_next_run_recovers(loaded):
    world = loaded
    marks = _watermarks(world)
    world.ads.execute(
        "UPDATE ads.adresults SET likes = likes + 3 WHERE ctid IN (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 2)",
        _campaigns(world, 1),
    )
    world.crm.execute("ALTER TABLE crm.leads RENAME TO leads_away")  # the PromptCrm read now fails
    try:
        # The error workflow closes the run as failed with the failing step and the database's error.
        reason = r"Read the (PromptCrm high-water marks|changed PromptCrm counts \(change log\)) from the stand-in: .*crm.leads.* does not exist"
        with pytest.raises(
            Unavailable,
            match=rf"^run \d+ failed \(n8n execution \d+\): {reason}.*Its watermarks "
            "were not advanced",
        ) as refused:
            runner.run_once(world.n8n, world.central)
    finally:
        world.crm.execute("ALTER TABLE crm.leads_away RENAME TO leads")
    assert _watermarks(world) == marks
    failed = runner.recent_runs(world.central, 1)[0]
    assert failed["status"] == "failed" and re.match(reason, failed["error"]), failed
    # The person is pointed at n8n's record of the failed execution, the one this run opened.
    assert f"(n8n execution {failed['n8n_execution_id']})" in str(refused.value)
    assert (
        f"  n8n:      execution {failed['n8n_execution_id']}: the n8n editor keeps it"
        in runner.format_run(failed)
    )
    _run(world)
    _assert_summaries_match(world)


def test_a_wrong_webhook_secret_is_refused_and_says_what_to_do(etl_world):
    # Refused before any run opens: it needs no data.
    world = etl_world
    runs = world.central.execute("SELECT count(*) FROM etl.run_log").fetchone()[0]
    wrong = world.settings.model_copy(
        update={"n8n": world.settings.n8n.model_copy(update={"webhook_secret": SecretStr("not-the-secret")})}
    )
    stranger = N8nClient(wrong)
    try:
        with pytest.raises(
            Unavailable,
            match=r"answered 403.*no run was opened, so nothing changed\. n8n refused "
            "the X-PromptSales-Secret header: N8N_WEBHOOK_SECRET .*"
            "run `promptsales n8n import` again",
        ):
            runner.run_once(stranger, world.central)
    finally:
        stranger.close()
    assert world.central.execute("SELECT count(*) FROM etl.run_log").fetchone()[0] == runs


@pytest.mark.parametrize("body", [{"full": "yes"}, {"fulll": True}, {"full": 1}, {"full": True, "now": True}])
def test_a_webhook_body_that_is_not_understood_is_refused_and_runs_nothing(etl_world, body):
    world = etl_world
    runs = world.central.execute("SELECT count(*) FROM etl.run_log").fetchone()[0]
    with pytest.raises(
        N8nWebhookError, match=r'answered 400: .*the body must be \{\} or \{\\"full\\": true\}'
    ):
        world.n8n.post(workflow.WEBHOOK_PATH, body)
    assert world.central.execute("SELECT count(*) FROM etl.run_log").fetchone()[0] == runs


def test_run_killed_mid_load_is_repaired_by_the_next_run(loaded):
    """n8n is stopped while the load is blocked half way (changes added and campaign summaries written,
    market breakdown waiting on a lock): the change-log marks moved with the changes they added, the other
    watermarks stay put, the touched campaigns stay marked, and the next run makes everything right."""
    world = loaded
    marks = _watermarks(world)
    first, second = _campaigns(world, 2)
    for campaign in (first, second):
        world.ads.execute(
            "UPDATE ads.adresults SET audiencereached = audiencereached + 100 WHERE ctid IN ("
            "SELECT r.ctid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
            "WHERE a.campaignid = %s LIMIT 3)",
            (campaign,),
        )
    _, outcome = _kill_n8n_in_the_breakdowns(world, lambda: runner.run_once(world.n8n, world.central))
    N8nService(world.settings).start()
    half = world.central.execute(
        "SELECT reach FROM analytics.campaign_summary WHERE campaign_id = %s", (first,)
    ).fetchone()[0]
    assert (
        half == expected_summaries(world.ads, world.crm)["campaign"][first]["reach"]
    )  # written before the kill
    after_kill = _watermarks(world)
    logs = {("promptads", "resultchanges"), ("promptcrm", "campaignchanges")}
    assert {k: v for k, v in after_kill.items() if k not in logs} == {
        k: v for k, v in marks.items() if k not in logs
    }
    assert after_kill[("promptads", "resultchanges")] > marks[("promptads", "resultchanges")]  # added once
    assert {first, second} <= _dirty(world)
    # The caller saw the failure and closed the run it had opened as failed.
    assert isinstance(outcome, Unavailable) and re.match(
        r"run \d+ failed \(n8n execution \d+\): n8n is not reachable", str(outcome)
    )
    assert world.central.execute(
        "SELECT status FROM etl.run_log ORDER BY run_id DESC LIMIT 1"
    ).fetchone() == ("failed",)
    entry = _run_after_restart(world)
    assert entry["rows_read"]["promptads.cells"] == 0  # nothing read twice
    _assert_summaries_match(world)
    assert _dirty(world) == set()
    assert (
        world.central.execute("SELECT count(*) FROM etl.run_log WHERE status = 'running'").fetchone()[0] == 0
    )


def test_a_run_n8n_died_in_is_closed_when_n8n_starts_again_and_the_schedule_goes_on(loaded, tmp_path):
    """Nobody waits on a scheduled run to close it when n8n dies: n8n's crash recovery runs the error
    workflow when n8n starts again, which closes the run with the step it died in. So the next scheduled run
    goes ahead at once (not 10 minutes later) and makes everything right. The webhook call below gives up
    like a scheduled run would (the runner, which closes the run it opened, is not used); the run after it
    is a real one of the Schedule Trigger, through the committed workflow."""
    world = loaded
    world.ads.execute(
        "UPDATE ads.adresults SET audiencereached = audiencereached + 100 WHERE ctid IN ("
        "SELECT r.ctid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
        "WHERE a.campaignid = %s LIMIT 3)",
        _campaigns(world, 1),
    )
    run_id, answer = _kill_n8n_in_the_breakdowns(world, lambda: world.n8n.post(workflow.WEBHOOK_PATH, {}))
    assert isinstance(answer, N8nWebhookError) and answer.status is None  # the connection dropped with n8n
    assert world.central.execute(
        "SELECT status FROM etl.run_log WHERE run_id = %s", (run_id,)
    ).fetchone() == ("running",)  # nobody closed it before n8n started again
    service = N8nService(world.settings)
    # The Schedule Trigger keeps its last fire in the workflow's static data, across restarts and imports
    # of the committed file (which has none). Imported with its static data emptied (as 11 minutes after
    # the last fire), the committed workflow fires on n8n's first minute tick.
    fresh = tmp_path / workflow.WORKFLOW_PATH.name
    fresh.write_text(json.dumps({**json.loads(workflow.WORKFLOW_PATH.read_text()), "staticData": None}))
    service.import_workflows([fresh], force=True)  # n8n is down, so it cannot be asked what it holds
    world.central.execute("UPDATE etl.config SET value = 'true' WHERE key = 'schedule_enabled'")
    try:
        service.start()
        closed = _poll(
            world,
            "SELECT status, error FROM etl.run_log WHERE run_id = %s AND status <> 'running'",
            (run_id,),
            30,
            f"run {run_id} closed after n8n started again",
        )
        scheduled = _poll(
            world,
            "SELECT run_id, status, error FROM etl.run_log WHERE trigger = 'schedule' "
            "AND run_id > %s AND status <> 'running'",
            (run_id,),
            90,
            "a scheduled run on n8n's first minute tick",
        )
    finally:
        world.central.execute("UPDATE etl.config SET value = 'false' WHERE key = 'schedule_enabled'")
    assert closed == ("failed", f"Re-derive their channel, market and month breakdowns: {workflow.CRASHED}")
    assert scheduled[1:] == ("succeeded", None)
    # The editor's Executions tab shows the scheduled run too: n8n kept its execution, as a trigger's.
    execution_id = world.central.execute(
        "SELECT n8n_execution_id FROM etl.run_log WHERE run_id = %s", (scheduled[0],)
    ).fetchone()[0]
    with N8nApi(world.settings) as api:
        kept = api.execution(execution_id)
    assert kept is not None and (kept["mode"], kept["status"]) == ("trigger", "success")
    _assert_summaries_match(world)
    assert _dirty(world) == set()


def _poll(world, sql: str, params: tuple, seconds: float, what: str) -> tuple:
    """The first row `sql` returns on the central database, waiting up to `seconds` for one."""
    deadline = time.monotonic() + seconds
    while (row := world.central.execute(sql, params).fetchone()) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.2)
    return row


def _kill_n8n_in_the_breakdowns(world, call) -> tuple[int, object]:
    """Start `call` (a run) in a thread, hold it at the market breakdown with a lock (the changes added and
    the summaries written), kill n8n with SIGKILL there (a crash, not a graceful stop) and release the lock.
    Returns the run's id and what `call` returned or raised once n8n was gone. n8n is left stopped."""
    locker = clients.postgres(world.settings)
    locker.execute("LOCK TABLE analytics.campaign_market_summary IN ACCESS EXCLUSIVE MODE")
    outcome: list = []

    def caller() -> None:
        try:
            outcome.append(call())
        except (Unavailable, N8nWebhookError) as exc:
            outcome.append(exc)

    thread = threading.Thread(target=caller, daemon=True)
    thread.start()
    # The summaries are written (their count is in the run log): the breakdowns are next.
    (run_id,) = _poll(
        world,
        "SELECT run_id FROM etl.run_log WHERE status = 'running' "
        "AND rows_changed ? 'campaign_summary' ORDER BY run_id DESC LIMIT 1",
        (),
        60,
        "the run reaching the market breakdown",
    )
    os.killpg(N8nService(world.settings).proc.pid(), signal.SIGKILL)
    locker.rollback()
    locker.close()
    thread.join(30)
    return run_id, outcome[0]


def _run_after_restart(world, wait_s: float = 60) -> dict:
    """n8n answers readiness a moment before its production webhooks are registered again."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return _run(world)
        except Unavailable as exc:
            if "ETL run failed" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(1)


def test_no_second_run_while_one_is_in_flight(etl_world):
    # Refused before any run opens: it needs no data.
    world = etl_world
    busy = world.central.execute(
        "INSERT INTO etl.run_log (trigger, sources) VALUES ('schedule', 'standin') RETURNING run_id"
    ).fetchone()[0]
    try:
        with pytest.raises(
            Unavailable,
            match=f"another ETL run is in progress \\(run {busy}, started .* UTC\\); "
            f"nothing was started. If n8n died while it ran, n8n closes it as failed when it starts "
            f"again; failing that, a run started after .* UTC \\(10 minutes after its start\\)",
        ):
            runner.run_once(world.n8n, world.central)
        # A caller of the webhook itself is told too: 409, not a 200 with nothing in it.
        with pytest.raises(
            N8nWebhookError, match="answered 409: .*another ETL run is in progress; nothing was started"
        ) as refused:
            world.n8n.post(workflow.WEBHOOK_PATH, {})
        assert refused.value.status == 409
        assert world.central.execute("SELECT max(run_id) FROM etl.run_log").fetchone()[0] == busy
    finally:
        world.central.execute("DELETE FROM etl.run_log WHERE run_id = %s", (busy,))


def test_a_rebuilt_source_is_read_again_in_full(loaded):
    """A re-created source database restarts its rowversions below our watermarks: read it from 0."""
    world = loaded
    world.central.execute("UPDATE etl.watermarks SET mark = 1000000000000 WHERE source = 'promptads'")
    entry = _run(world)
    assert entry["read_in_full"] == ["promptads"]
    assert entry["rows_read"]["promptads.campaigns"] == 40
    assert entry["rows_changed"]["campaign_summary"] == 0  # nothing new, only read again
    assert entry["rows_changed"]["ad_facts_daily"] == 0 and entry["rows_changed"]["crm_facts_daily"] == 0
    _assert_summaries_match(world)
    assert (
        _watermarks(world)[("promptads", "adresults")]
        == world.ads.execute("SELECT max(rowver) FROM ads.adresults").fetchone()[0]
    )


def test_deleted_rows_and_rows_moving_between_cells_are_deltas(loaded):
    """The change logs carry deletes and moves with their old values: deleted results, a deleted lead
    and client link, a result moved to another month and an ad moved to another campaign reach exactly
    the campaigns concerned in a delta run."""
    world = loaded
    before = _stamps(world)
    results_gone, lead_gone, link_gone, month_moved, ad_gained, ad_lost = _campaigns(world, 6)
    world.ads.execute(
        "DELETE FROM ads.adresults WHERE ctid IN (SELECT r.ctid FROM ads.adresults r JOIN ads.ads a "
        "ON a.adid = r.adid WHERE a.campaignid = %s ORDER BY r.resultdate LIMIT 4)",
        (results_gone,),
    )
    world.crm.execute(
        "DELETE FROM crm.leads WHERE leadid = (SELECT min(leadid) FROM crm.leads WHERE campaignid = %s)",
        (lead_gone,),
    )
    world.crm.execute(
        "DELETE FROM crm.clientcampaigns WHERE ctid = "
        "(SELECT ctid FROM crm.clientcampaigns WHERE campaignid = %s LIMIT 1)",
        (link_gone,),
    )
    world.ads.execute(
        "UPDATE ads.adresults SET resultdate = resultdate + 45 WHERE ctid = (SELECT r.ctid "
        "FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
        (month_moved,),
    )
    world.ads.execute(
        "UPDATE ads.ads SET campaignid = %s WHERE adid = (SELECT min(adid) FROM ads.ads "
        "WHERE campaignid = %s)",
        (ad_gained, ad_lost),
    )
    months_before = actual_summaries(world.central)["month"]
    entry = _run(world)
    assert entry["read_in_full"] == []
    after = _stamps(world)
    _assert_summaries_match(world)
    # month_moved's totals are the same (only a month moved), so its summary row is not written; its months are.
    assert {cid for cid in after if after[cid] != before[cid]} == {
        ad_lost,
        ad_gained,
        results_gone,
        lead_gone,
        link_gone,
    }
    months = actual_summaries(world.central)["month"]
    moved = {
        key[0] for key in months.keys() | months_before.keys() if months.get(key) != months_before.get(key)
    }
    assert month_moved in moved and moved <= {ad_lost, ad_gained, month_moved, results_gone}
    _assert_summaries_match(world)


def test_a_change_committed_after_a_later_one_is_read_by_the_next_run(loaded):
    """A source transaction still open when a run reads its high marks took a lower row version than a
    change that committed before it. The run must not take its marks past the open one (it would never
    read it): the marks stop below it (MIN_ACTIVE_ROWVERSION), and the next run reads both."""
    world = loaded
    before = _stamps(world)
    slow_result, slow_lead, quick_result, quick_lead = _campaigns(world, 4)
    lead = _new_id(world.crm, "crm.leads", "leadid")
    with clients.ads_standin(world.settings) as slow_ads, clients.crm_standin(world.settings) as slow_crm:
        slow_ads.execute(
            "UPDATE ads.adresults SET revenue = revenue + 100 WHERE ctid IN (SELECT r.ctid "
            "FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 2)",
            (slow_result,),
        )
        slow_crm.execute(
            "INSERT INTO crm.leads (leadid, clientid, campaignid, source, status, createdat) "
            "VALUES (%s, 1, %s, 'web', 'new', now())",
            (lead, slow_lead),
        )
        world.ads.execute(
            "UPDATE ads.adresults SET views = views + 9 WHERE ctid = (SELECT r.ctid "
            "FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
            (quick_result,),
        )
        world.crm.execute(
            "INSERT INTO crm.leads (leadid, clientid, campaignid, source, status, createdat) "
            "VALUES (%s, 1, %s, 'web', 'new', now())",
            (lead + 1, quick_lead),
        )
        waiting = _run(world)
        # The committed changes wait behind the open transactions: reading them would move the marks past
        # the versions those hold.
        assert waiting["rows_changed"]["campaign_summary"] == 0 and _stamps(world) == before
        assert waiting["held_back"] == ["promptads", "promptcrm"]
        assert "waiting:  promptads promptcrm: a transaction still open" in runner.format_run(waiting)
        slow_ads.commit()
        slow_crm.commit()
    entry = _run(world)
    after = _stamps(world)
    assert {cid for cid in after if after[cid] != before[cid]} == {
        slow_result,
        slow_lead,
        quick_result,
        quick_lead,
    }
    assert entry["read_in_full"] == [] and entry["held_back"] == []
    _assert_summaries_match(world)


def test_a_full_re_read_repairs_what_the_change_logs_never_saw(loaded):
    """Rows removed with the source's triggers off (a TRUNCATE, a restore, a bulk fix) leave no log entry;
    the full re-read (daily at 03:00 UTC, or `promptsales etl run --full`) keeps the difference, and drops
    the summary of a campaign deleted without a tombstone."""
    world = loaded
    unlogged, untracked, changed, warmed = _campaigns(world, 4)
    # Each log's newest entry is one row, as after any ordinary change, read by a run: the sample's load wrote
    # every entry in one transaction, under one row version, and the prune keeps the newest version's entries.
    world.ads.execute(
        "UPDATE ads.adresults SET likes = likes + 1 WHERE ctid = (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
        (warmed,),
    )
    world.crm.execute(
        "INSERT INTO crm.leads (leadid, clientid, campaignid, source, status, createdat) "
        "VALUES (%s, 1, %s, 'web', 'new', now())",
        (_new_id(world.crm, "crm.leads", "leadid"), warmed),
    )
    _run(world)
    # A campaign id no row has: created and deleted again below.
    fleeting = _new_id(world.ads, "ads.campaigns", "campaignid")
    with world.ads.transaction():  # the change-log trigger off for this delete only, as a TRUNCATE would be
        world.ads.execute("ALTER TABLE ads.adresults DISABLE TRIGGER log_result_changes_delete")
        world.ads.execute(
            "DELETE FROM ads.adresults WHERE ctid IN (SELECT r.ctid FROM ads.adresults r "
            "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 3)",
            (unlogged,),
        )
        world.ads.execute("ALTER TABLE ads.adresults ENABLE TRIGGER log_result_changes_delete")
    # A campaign that comes and goes between two runs: its tombstone is read (there is no summary to drop),
    # and it is the newest tombstone, the one the prune keeps.
    world.ads.execute(
        "INSERT INTO ads.campaigns (campaignid, brandid, name, status, startdate, budget) "
        "SELECT %s, min(brandid), 'Gone soon', 'active', DATE '2026-11-01', 1 FROM ads.brands",
        (fleeting,),
    )
    world.ads.execute("DELETE FROM ads.campaigns WHERE campaignid = %s", (fleeting,))
    # A campaign deleted with every trigger off leaves no tombstone and no change-log entry.
    with world.ads.transaction():
        for table in CAMPAIGN_TABLES:
            world.ads.execute(f"ALTER TABLE ads.{table} DISABLE TRIGGER USER")
        _delete_campaign(world, untracked)
        for table in CAMPAIGN_TABLES:
            world.ads.execute(f"ALTER TABLE ads.{table} ENABLE TRIGGER USER")
    assert (
        world.ads.execute(
            "SELECT count(*) FROM ads.deletedcampaigns WHERE campaignid = %s", (untracked,)
        ).fetchone()[0]
        == 0
    )
    expected = expected_summaries(world.ads, world.crm)["campaign"]
    assert actual_summaries(world.central)["campaign"][unlogged] != expected[unlogged]
    delta = _run(world)
    assert not delta["full_reread"] and delta["rows_changed"]["campaign_summary"] == 0  # not seen
    assert delta["rows_changed"]["untracked_campaign_deletes"] == 0
    before, marks = _stamps(world), _watermarks(world)
    entry = _run(world, full=True)
    assert entry["full_reread"] and entry["read_in_full"] == ["promptads", "promptcrm"]
    assert entry["rows_read"]["promptads.campaigns"] == len(expected)  # every valid campaign read again
    assert entry["rows_read"]["promptads.deleted_campaigns"] == 1  # the fleeting campaign's tombstone
    assert entry["rows_changed"]["untracked_campaign_deletes"] == 1
    assert entry["rows_changed"]["campaign_summary_deleted"] == 1
    after = _stamps(world)
    assert after.keys() == before.keys() - {untracked}
    assert {cid for cid in after if after[cid] != before[cid]} == {unlogged}  # only that one written
    _assert_summaries_match(world)
    assert _watermarks(world) == marks  # nothing new arrived: the marks stay where they were
    # After a full re-read the change logs keep only their newest entry at or below the watermarks (so an
    # emptied log does not read as a restarted one): the rest was loaded.
    assert (
        world.ads.execute(
            "SELECT count(*) FROM ads.resultchanges WHERE rowver <= %s",
            (marks[("promptads", "resultchanges")],),
        ).fetchone()[0]
        == 1
    )
    assert (
        world.crm.execute(
            "SELECT count(*) FROM crm.campaignchanges WHERE rowver <= %s",
            (marks[("promptcrm", "campaignchanges")],),
        ).fetchone()[0]
        == 1
    )
    assert world.ads.execute(
        "SELECT campaignid FROM ads.deletedcampaigns WHERE rowver <= %s", (marks[("promptads", "campaigns")],)
    ).fetchall() == [(fleeting,)]
    after_prune = _run(world)
    assert after_prune["read_in_full"] == [] and all(v == 0 for v in after_prune["rows_read"].values())
    world.ads.execute(
        "UPDATE ads.adresults SET likes = likes + 1 WHERE ctid = (SELECT r.ctid FROM ads.adresults r "
        "JOIN ads.ads a ON a.adid = r.adid WHERE a.campaignid = %s LIMIT 1)",
        (changed,),
    )
    world.crm.execute(
        "DELETE FROM crm.leads WHERE leadid = (SELECT min(leadid) FROM crm.leads WHERE campaignid = %s)",
        (changed,),
    )
    assert _run(world)["rows_changed"]["campaign_summary"] == 1  # deltas after the prune are still exact
    _assert_summaries_match(world)


def test_a_full_re_read_keeps_the_summary_of_a_campaign_made_invalid(loaded):
    """An invalid campaign is named by the rejects read, not the campaigns read: a full re-read must not
    take it for one deleted without a tombstone. Its last valid summary stays until it is valid again."""
    world = loaded
    (invalid,) = _campaigns(world, 1)
    kept = _stamps(world)[invalid]
    start = world.ads.execute(
        "SELECT startdate FROM ads.campaigns WHERE campaignid = %s", (invalid,)
    ).fetchone()[0]
    world.ads.execute("UPDATE ads.campaigns SET startdate = NULL WHERE campaignid = %s", (invalid,))
    entry = _run(world, full=True)
    assert entry["rows_changed"]["untracked_campaign_deletes"] == 0
    assert entry["rows_changed"]["campaign_summary_deleted"] == 0
    assert _stamps(world)[invalid] == kept
    assert world.central.execute(
        "SELECT reason FROM etl.rejects WHERE run_id = %s AND campaign_id = %s", (entry["run_id"], invalid)
    ).fetchall() == [("null start date",)]
    world.ads.execute("UPDATE ads.campaigns SET startdate = %s WHERE campaignid = %s", (start, invalid))
    _run(world)
    _assert_summaries_match(world)


def test_a_read_of_every_campaign_that_finds_none_is_refused(loaded):
    """A PromptAds connection pointed at an empty database reads, from 0, no campaign at all: the stage step
    refuses (the run fails, nothing moves) instead of taking every summary for a deleted campaign's. Run
    here as the workflow sends it, with what such a read returns."""
    world = loaded
    stamps = _stamps(world)
    text = workflow.query(workflow.STAGE).replace("%", "%%").replace("$1", "%(p)s")
    run_id = world.central.execute(
        "INSERT INTO etl.run_log (trigger, sources, full_reread) "
        "VALUES ('manual', 'standin', true) RETURNING run_id"
    ).fetchone()[0]
    # What the two high-water marks reads return for empty sources read from 0: every mark 0, read in full.
    ads_marks = {
        f"{bound}_{entity}": "0"
        for bound in ("low", "high")
        for entity in (
            "campaigns",
            "ads",
            "adresults",
            "brands",
            "campaignchannels",
            "campaignmarkets",
            "channels",
            "markets",
            "resultchanges",
        )
    } | {"read_in_full": 1, "heldback": 0}
    crm_marks = {
        f"{bound}_{entity}": "0"
        for bound in ("low", "high")
        for entity in ("leads", "sales", "clientcampaigns", "campaignchanges")
    } | {"read_in_full": 1, "heldback": 0}
    nothing_read = {
        "run_id": run_id,
        "ads_marks": ads_marks,
        "crm_marks": crm_marks,
        "ads_campaigns": [],
        "ads_cells": [],
        "ads_names": [],
        "ads_rejects": [],
        "crm_counts": [],
        "crm_rejects": [],
        "content_images": [{"code": "img-0001"}],
        "content_late_write_seconds": 60,
    }
    params = {"p": json.dumps(nothing_read)}
    try:
        with pytest.raises(
            psycopg.errors.DataException,
            match=f"the PromptAds read from 0 found no campaign at "
            f"all, while PromptSales has {len(stamps)} campaign summaries; nothing was changed",
        ):
            world.central.execute(text, params)
        params["p"] = json.dumps(
            nothing_read | {"ads_campaigns": [{"campaignid": next(iter(stamps))}]}
        )  # one named
        with world.central.transaction(force_rollback=True):
            world.central.execute(text, params)
            assert world.central.execute(
                "SELECT rows_changed ->> 'untracked_campaign_deletes' FROM etl.run_log WHERE run_id = %s",
                (run_id,),
            ).fetchone()[0] == str(len(stamps) - 1)
    finally:
        world.central.execute("DELETE FROM etl.run_log WHERE run_id = %s", (run_id,))
    assert _stamps(world) == stamps


def _images(world) -> dict:
    return {
        code: (description, source_updated_at)
        for code, description, source_updated_at in world.central.execute(
            "SELECT code, description, source_updated_at FROM analytics.content_images"
        ).fetchall()
    }


def _images_in_mongo(world) -> dict:
    return {
        doc["code"]: (doc["description"], doc["updatedAt"].replace(tzinfo=dt.UTC))
        for doc in world.mongo_db.images.find({}, {"_id": 0, "code": 1, "description": 1, "updatedAt": 1})
    }


def _content_mark(world) -> int:
    return _watermarks(world)[("promptcontent", "images")]


def test_promptcontent_images_are_deltas_and_a_late_write_is_not_lost(loaded):
    """Images come by updatedAt, which the writer sets before its write lands: a write can become visible
    after a newer one was read. The images mark stays CONTENT_LATE_WRITE_SECONDS behind the run's start,
    so such a write is read by the next run; a future updatedAt cannot hold the mark ahead; and a read of
    every image (a full re-read) drops the ones deleted from PromptContent."""
    world = loaded
    images = world.mongo_db.images
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    images.update_many(
        {"code": {"$in": ["img-0002", "img-0004"]}}, {"$set": {"description": "Edited", "updatedAt": now}}
    )
    images.insert_one(
        {"code": "img-0100", "description": "New image", "hashtags": ["#new"], "updatedAt": now}
    )
    entry = _run(world)
    assert entry["rows_read"]["promptcontent.images"] == 3 and entry["rows_changed"]["content_images"] == 3
    assert _images(world) == _images_in_mongo(world)
    started_ms = world.central.execute(  # as the stage step computes it
        "SELECT CAST(extract(epoch FROM started_at) * 1000 AS BIGINT) FROM etl.run_log WHERE run_id = %s",
        (entry["run_id"],),
    ).fetchone()[0]
    mark = _content_mark(world)
    assert mark == min(int(now.timestamp() * 1000), started_ms - workflow.CONTENT_LATE_WRITE_SECONDS * 1000)

    # Written before the three above were read, but landing only now: older than the newest image read.
    late = now - dt.timedelta(seconds=20)
    images.insert_one({"code": "img-0101", "description": "Landed late", "hashtags": [], "updatedAt": late})
    within = images.count_documents({"updatedAt": {"$gt": dt.datetime.fromtimestamp(mark / 1000, dt.UTC)}})
    entry = _run(world)
    assert entry["rows_read"]["promptcontent.images"] == within  # the late one and the re-read ones
    assert entry["rows_changed"]["content_images"] == 1  # re-reading an image changes nothing
    assert _images(world) == _images_in_mongo(world)

    # A writer's clock a day ahead: read, but the mark stays behind the run, so later changes still come.
    images.insert_one(
        {
            "code": "img-0102",
            "description": "From the future",
            "hashtags": [],
            "updatedAt": now + dt.timedelta(days=1),
        }
    )
    _run(world)
    assert _content_mark(world) < int(now.timestamp() * 1000) + 60_000
    images.update_one(
        {"code": "img-0005"},
        {
            "$set": {
                "description": "Edited after",
                "updatedAt": dt.datetime.now(dt.UTC).replace(microsecond=0),
            }
        },
    )
    assert _run(world)["rows_changed"]["content_images"] == 1
    assert _images(world) == _images_in_mongo(world)

    # Deleted images leave no updatedAt: a delta cannot see them, a full re-read drops them.
    images.delete_many({"code": {"$in": ["img-0003", "img-0102"]}})
    assert _run(world)["rows_changed"]["content_images_deleted"] == 0
    entry = _run(world, full=True)
    assert (
        entry["rows_changed"]["content_images_deleted"] == 2 and entry["rows_changed"]["content_images"] == 0
    )
    assert _images(world) == _images_in_mongo(world)

    # A read of every image that finds none (an empty or wrong database) is refused, not taken as all deleted.
    kept = _images(world)
    everything = list(images.find({}))
    images.delete_many({})
    try:
        refused = "Stage what this run read: the PromptContent read of every image found none, while PromptSales keeps"
        with pytest.raises(Unavailable, match=rf"^run \d+ failed \(n8n execution \d+\): {refused}"):
            runner.run_once(world.n8n, world.central, full=True)
        error = world.central.execute(
            "SELECT error FROM etl.run_log ORDER BY run_id DESC LIMIT 1"
        ).fetchone()[0]
        assert error.startswith(refused), error
        assert _images(world) == kept
    finally:
        images.insert_many(everything)
    assert _run(world, full=True)["rows_changed"]["content_images_deleted"] == 0
