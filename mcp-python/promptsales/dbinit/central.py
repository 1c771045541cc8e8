"""PromptSales (central PostgreSQL): apply db-init/promptsales/*.sql in name order.

Every file is written to be safe to re-run (IF NOT EXISTS, CREATE OR REPLACE, guarded DO blocks), and
each one is applied in its own transaction, so a failing file leaves the ones before it applied and
itself not applied at all.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from promptsales import clients, interrupts, progress
from promptsales.errors import Unavailable
from promptsales.settings import PROJECT_ROOT, Settings

SQL_DIR = PROJECT_ROOT / "db-init" / "promptsales"


def sql_files(directory: Path = SQL_DIR) -> list[Path]:
    return sorted(directory.glob("*.sql"))


def apply(settings: Settings, database: str | None = None) -> list[str]:
    """Apply every central script to `database` (default: settings.postgres.database)."""
    applied: list[str] = []
    with clients.postgres(settings, database) as conn:
        for path in sql_files():
            progress.report(f"promptsales: applying {path.name}")
            try:
                with interrupts.atomic(conn, f"promptsales/{path.name}"):
                    conn.execute(path.read_text())
            except psycopg.Error as exc:
                message = str(exc).strip().splitlines()[0]
                raise Unavailable(f"db-init/promptsales/{path.name} failed: {message}") from exc
            applied.append(f"applied {path.name}")
        # The workflow reads these instead of n8n environment variables (blocked in nodes by default).
        with conn.transaction():
            for key, value in config_from_settings(settings).items():
                conn.execute(
                    "INSERT INTO etl.config (key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (key, value),
                )
        applied.append(f"etl.config: sources={settings.sources}")
    return applied


def config_from_settings(settings: Settings) -> dict[str, str]:
    return {"sources": settings.sources, "redis_key_prefix": settings.redis.key_prefix}
