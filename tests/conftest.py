"""Shared fixtures: the real local stack (reused when running, started otherwise) and throwaway databases.

Tests never mock our own components. `stack` brings up PostgreSQL, Redis and the MongoDB-wire server;
`n8n` adds n8n. Services a session started are stopped at its end; services that were already
running are left as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import psycopg
import pytest
from promptsales import clients
from promptsales.localstack import stack as local_stack
from promptsales.settings import Settings
from promptsales_testkit import isolated_world

_started: list = []


def _ensure(names: set[str]) -> Settings:
    settings = local_stack.ensure_local_secrets()
    for service in local_stack.services(settings):
        if service.name in names and service.status().running is False:
            service.start()
            _started.append(service)
        elif service.name in names:
            service.start()  # idempotent: provisions PostgreSQL roles/databases again if needed
    return settings


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    """PostgreSQL + pgvector, Redis and the MongoDB-wire server, running for real on 127.0.0.1."""
    yield _ensure({"postgres", "redis", "mongodb"})


@pytest.fixture(scope="session")
def n8n(stack: Settings) -> Iterator[Settings]:
    """The stack plus n8n 2.41.1 (editor and production webhooks)."""
    _ensure({"n8n"})
    yield stack


def pytest_sessionfinish(session, exitstatus) -> None:
    for service in reversed(_started):
        service.stop()
    _started.clear()


class WorldFactory:
    """`isolated_world` as a factory: each call opens one and returns its settings; `close` drops them all."""

    def __init__(self, stack: Settings):
        self.stack = stack
        self.opened = ExitStack()

    def __call__(self, prefix: str = "test", **options) -> Settings:
        return self.opened.enter_context(isolated_world(self.stack, prefix, **options))

    def close(self) -> None:
        self.opened.close()


@pytest.fixture
def fresh_world(stack: Settings) -> Iterator[WorldFactory]:
    """Factory: settings pointed at new, empty databases and a private Redis prefix, dropped after the test
    (the options of promptsales_testkit.isolated_world). Gives tests their own data, so they never disturb
    the demo data or each other."""
    factory = WorldFactory(stack)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def session_world(stack: Settings) -> Iterator[WorldFactory]:
    """The same factory, for expensive seeded worlds built once per session; dropped at its end."""
    factory = WorldFactory(stack)
    yield factory
    factory.close()


@pytest.fixture
def fresh_database(fresh_world: WorldFactory) -> Callable[[str], str]:
    """Factory: the name of a new, empty PostgreSQL database owned by the application role, with our
    extensions, dropped after the test."""
    return lambda prefix="test": fresh_world(prefix).postgres.database


@pytest.fixture
def pg(stack: Settings) -> Iterator[psycopg.Connection]:
    """A connection to the central PromptSales database as the application role."""
    with clients.postgres(stack) as conn:
        yield conn


@pytest.fixture
def fresh_mongo_db(fresh_world: WorldFactory) -> Iterator:
    """A uniquely named MongoDB database on the MongoDB-wire server, dropped afterwards."""
    settings = fresh_world("test", postgres=(), mongodb=True)
    with clients.mongo(settings) as client:
        yield client[settings.mongodb.database]
