"""Seeded PromptContent in throwaway databases: one MongoDB database, one PostgreSQL database (the vector
table) and one Redis key prefix per session, so the demo data and other sessions are never touched.

The model is loaded once per session and shared by the generator and the server, as a process would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from promptsales import clients
from promptsales.content.embeddings import LocalMiniLM
from promptsales.dbinit import content as content_dbinit
from promptsales.generators import content as content_generator
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings
from promptsales_testkit import isolated_world

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


@pytest.fixture(scope="session")
def seeded(stack: Settings, embedder: LocalMiniLM) -> Iterator[SeededContent]:
    with isolated_world(stack, "content", mongodb=True) as settings, clients.mongo(settings) as mongo:
        content_dbinit.apply_collections(mongo[settings.mongodb.database])
        content_dbinit.apply_vector_table(settings)
        # A leftover entry from an earlier load: seeding must replace it, not keep it.
        with clients.postgres(settings) as conn:
            conn.execute(
                "INSERT INTO content.image_embeddings (code, lang, model, embedding) "
                "VALUES (%s, 'en', 'old-model', CAST(%s AS vector))",
                (STALE_CODE, "[" + ",".join(["0.1"] * 384) + "]"),
            )
            conn.execute(
                "INSERT INTO content.image_lexemes (code, lang, document) "
                "VALUES (%s, 'en', to_tsvector('english', 'a stale row'))",
                (STALE_CODE,),
            )
        counts = content_generator.load(settings, SeedOptions(seed=SEED, images=IMAGES), embedder=embedder)
        yield SeededContent(settings, embedder, counts)
