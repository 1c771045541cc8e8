"""Seeded PromptContent in throwaway databases: one MongoDB database, one PostgreSQL database (the vector
table) and one Redis key prefix per session, so the demo data and other sessions are never touched.

The model is loaded once per session and shared by the generator and the server, as a process would.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from promptsales import clients
from promptsales.content.embeddings import LocalMiniLM
from promptsales.dbinit import content as content_dbinit
from promptsales.localstack.postgres import PostgresService
from promptsales.settings import MongoSettings, RedisSettings, Settings

from generators import content as content_generator
from generators.options import SeedOptions

IMAGES = 100
SEED = 42
STALE_CODE = "img-9999"


@dataclass
class SeededContent:
    settings: Settings
    embedder: LocalMiniLM
    counts: dict[str, int]


@pytest.fixture(scope="session")
def embedder() -> LocalMiniLM:
    return LocalMiniLM()


def isolated_settings(stack: Settings, pg_database: str, mongo_database: str) -> Settings:
    return stack.model_copy(update={
        "postgres": stack.postgres.model_copy(update={"database": pg_database}),
        "mongodb": MongoSettings(host=stack.mongodb.host, port=stack.mongodb.port, database=mongo_database),
        "redis": RedisSettings(host=stack.redis.host, port=stack.redis.port, password=stack.redis.password,
                               db=stack.redis.db, key_prefix=f"test-{uuid.uuid4().hex[:8]}"),
    })


@pytest.fixture(scope="session")
def seeded(stack: Settings, embedder: LocalMiniLM) -> Iterator[SeededContent]:
    name = f"content_{uuid.uuid4().hex[:10]}"
    admin = PostgresService(stack)
    admin.create_database(name)
    settings = isolated_settings(stack, name, name)
    mongo = clients.mongo(settings)
    try:
        content_dbinit.apply_collections(mongo[name])
        content_dbinit.apply_vector_table(settings)
        # A leftover entry from an earlier load: seeding must replace it, not keep it.
        with clients.postgres(settings) as conn:
            conn.execute("INSERT INTO content.image_embeddings (code, lang, model, embedding) "
                         "VALUES (%s, 'en', 'old-model', CAST(%s AS vector))",
                         (STALE_CODE, "[" + ",".join(["0.1"] * 384) + "]"))
            conn.execute("INSERT INTO content.image_lexemes (code, lang, document) "
                         "VALUES (%s, 'en', to_tsvector('english', 'a stale row'))", (STALE_CODE,))
        counts = content_generator.load(settings, SeedOptions(seed=SEED, images=IMAGES), embedder=embedder)
        yield SeededContent(settings, embedder, counts)
    finally:
        mongo.drop_database(name)
        mongo.close()
        admin.drop_database(name)
