"""Shared fixtures: the real local stack (reused when running, started otherwise) and throwaway databases.

Tests never mock our own components. `stack` brings up PostgreSQL, Redis and the MongoDB-wire server;
`n8n` adds n8n. Services a session started are stopped at its end; services that were already
running are left as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from promptsales import clients
from promptsales.localstack import stack as local_stack
from promptsales.localstack.postgres import PostgresService
from promptsales.settings import Settings

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


class DatabaseFactory:
    """Creates empty PostgreSQL databases owned by the application role, with our extensions; drops them all."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.admin = PostgresService(settings)
        self.created: list[str] = []

    def __call__(self, prefix: str = "test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin.create_database(name)
        self.created.append(name)
        return name

    def drop_all(self) -> None:
        for name in self.created:
            self.admin.drop_database(name)
        self.created.clear()


@pytest.fixture
def fresh_database(stack: Settings) -> Iterator[DatabaseFactory]:
    """Factory: a new, empty PostgreSQL database owned by the application role, dropped after the test.

    Gives tests their own data, so they never disturb the demo data or each other.
    """
    factory = DatabaseFactory(stack)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def session_database(stack: Settings) -> Iterator[DatabaseFactory]:
    """The same factory, for expensive seeded worlds built once per session; dropped at its end."""
    factory = DatabaseFactory(stack)
    yield factory
    factory.drop_all()


@pytest.fixture
def pg(stack: Settings) -> Iterator[psycopg.Connection]:
    """A connection to the central PromptSales database as the application role."""
    with clients.postgres(stack) as conn:
        yield conn


@pytest.fixture
def fresh_mongo_db(stack: Settings) -> Iterator:
    """A uniquely named MongoDB database on the MongoDB-wire server, dropped afterwards."""
    client = clients.mongo(stack)
    name = f"test_{uuid.uuid4().hex[:10]}"
    yield client[name]
    client.drop_database(name)
    client.close()
