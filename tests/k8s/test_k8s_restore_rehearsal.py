"""The restore runbook followed on this machine (k8s/restore-rehearsal.py) for the engines that run here:
PostgreSQL point-in-time recovery from a WAL archive and a base backup, Redis from an RDB dump, MongoDB from
.bson dumps. Each restore is compared with the source inside the script; the test checks it ran to the end
and that it compared real data (the documents put into the MongoDB database here)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from k8s_helpers import K8S

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def test_the_restore_runbook_restores_postgres_redis_and_mongodb(stack, fresh_mongo_db, tmp_path):
    fresh_mongo_db.images.insert_many(
        [{"code": f"img-{i:04d}", "tags": ["beach", str(i)]} for i in range(250)]
    )
    fresh_mongo_db.campaign_requests.insert_one({"description": "summer", "audiences": [{"name": "runners"}]})
    env = {**os.environ, "MONGODB_DATABASE": fresh_mongo_db.name}
    result = subprocess.run(
        [sys.executable, str(K8S / "restore-rehearsal.py"), "--workdir", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "restored server promoted at the target: 800 rows, same content hash as before the DELETE" in out
    assert "every key of the source there with the same type, value and TTL flag" in out
    assert "dump: 2 collections, 251 documents" in out
    assert "restore rehearsal passed (postgres, redis, mongodb)" in out
    # The off-site folder holds what the cluster's bucket would: WAL segments, a base backup, the dumps.
    offsite = tmp_path / "offsite"
    assert len(list((offsite / "postgres" / "wal").iterdir())) >= 2
    assert (offsite / "postgres" / "base" / "PG_VERSION").exists()
    assert list((offsite / "redis").glob("redis-*.rdb"))
    assert {p.name for p in (offsite / "mongodb" / fresh_mongo_db.name).iterdir()} == {
        "images.bson",
        "campaign_requests.bson",
    }
