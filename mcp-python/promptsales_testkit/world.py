"""`isolated_world`: fresh databases, a settings copy pointed at them and a private Redis key prefix.

Every test fixture and benchmark that needs its own data builds it this way, so none of them disturbs
the stack's demo data, another session, or another engineer's run on the same machine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from promptsales import clients
from promptsales.localstack.postgres import PostgresService
from promptsales.settings import STATE_DIR, Settings

# The PostgresSettings fields naming a database, and the word each throwaway name carries for it.
POSTGRES_DATABASES = {"database": "central", "ads_standin_database": "ads", "crm_standin_database": "crm"}


@contextmanager
def isolated_world(
    stack: Settings,
    prefix: str = "test",
    *,
    postgres: Iterable[str] = ("database",),
    mongodb: bool = False,
    redis: bool = True,
    **updates,
) -> Iterator[Settings]:
    """Settings like `stack`, with a new empty PostgreSQL database (owned by the application role, with
    our extensions) for each field named in `postgres`, a new MongoDB database when `mongodb`, a Redis
    key prefix of its own, and `updates` applied to the top-level fields (e.g. sources="standin").
    Everything it made is dropped on exit, the Redis keys under its prefix too unless `redis` is False
    (for callers that never touch Redis and may run without it)."""
    unknown = set(postgres) - POSTGRES_DATABASES.keys()
    if unknown:
        raise ValueError(
            f"isolated_world: no PostgreSQL database field {sorted(unknown)}; "
            f"choose from {sorted(POSTGRES_DATABASES)}"
        )
    suffix = uuid.uuid4().hex[:8]
    names = {field: f"{prefix}_{POSTGRES_DATABASES[field]}_{suffix}" for field in postgres}
    fields = {
        "postgres": stack.postgres.model_copy(update=names),
        "redis": stack.redis.model_copy(update={"key_prefix": f"{prefix}{suffix}"}),
    }
    if mongodb:
        fields["mongodb"] = stack.mongodb.model_copy(update={"database": f"{prefix}_content_{suffix}"})
    settings = stack.model_copy(update={**fields, **updates})
    admin = PostgresService(stack)
    created: list[str] = []
    try:
        for name in names.values():
            admin.create_database(name)
            created.append(name)
        yield settings
    finally:
        if mongodb:
            with clients.mongo(settings) as mongo:
                mongo.drop_database(settings.mongodb.database)
        if redis:
            redis_client = clients.redis_client(settings)
            try:
                for key in redis_client.scan_iter(f"{settings.redis.key_prefix}:*", count=1000):
                    redis_client.delete(key)
            finally:
                redis_client.close()
        for name in created:
            admin.drop_database(name)


def process_env(settings: Settings) -> dict[str, str]:
    """The environment of a child `promptsales` process (an MCP server, say) that must use the databases and
    the Redis prefix of `settings`, with this stack's local passwords (the same state directory)."""
    return {
        **os.environ,
        "PROMPTSALES_STATE_DIR": str(STATE_DIR),
        "POSTGRES_PORT": str(settings.postgres.port),
        "POSTGRES_DATABASE": settings.postgres.database,
        "MONGODB_PORT": str(settings.mongodb.port),
        "MONGODB_DATABASE": settings.mongodb.database,
        "REDIS_PORT": str(settings.redis.port),
        "REDIS_KEY_PREFIX": settings.redis.key_prefix,
    }
