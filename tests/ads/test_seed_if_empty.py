"""`promptsales seed --if-empty`: the cluster bootstrap's guard never replaces data that is already there."""

from __future__ import annotations

import os
import subprocess
import sys

from promptsales import clients

SEED = [sys.executable, "-m", "promptsales.cli.main", "seed", "--only", "promptads", "--campaigns", "20"]


def seed(settings, *flags: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PROMPTSALES_SOURCES": "standin",
        "POSTGRES_ADS_STANDIN_DATABASE": settings.postgres.ads_standin_database,
    }
    return subprocess.run(
        SEED + list(flags), check=False, capture_output=True, text=True, timeout=300, env=env
    )


def campaign_names(settings) -> list[str]:
    with clients.ads_standin(settings) as conn:
        return [row[0] for row in conn.execute("SELECT Name FROM ads.Campaigns ORDER BY CampaignId")]


def test_if_empty_loads_an_empty_database_and_then_leaves_its_data_alone(fresh_ads):
    first = seed(fresh_ads, "--if-empty")
    assert first.returncode == 0, first.stderr
    assert len(campaign_names(fresh_ads)) == 20
    # A row changed after seeding stands for real data: the guarded run must not touch it.
    with clients.ads_standin(fresh_ads, autocommit=True) as conn:
        conn.execute("UPDATE ads.Campaigns SET Name = %s WHERE CampaignId = 1", ("edited by a person",))
    before = campaign_names(fresh_ads)

    guarded = seed(fresh_ads, "--if-empty")
    assert guarded.returncode == 0, guarded.stderr
    assert "promptads: not seeded: ads.Campaigns already has rows" in guarded.stdout
    assert campaign_names(fresh_ads) == before

    # Control: without the guard the generator replaces the data, which is what the guard prevents.
    unguarded = seed(fresh_ads)
    assert unguarded.returncode == 0, unguarded.stderr
    assert "edited by a person" not in campaign_names(fresh_ads)
