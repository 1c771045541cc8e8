"""Retrieval quality, measured: queries built from attribute combinations the generator knows, recall@5
over the real index (pgvector HNSW through ContentService)."""

from __future__ import annotations

import random

import pytest
from promptsales import clients
from promptsales.cache import Cache
from promptsales.content.service import ContentService
from promptsales.content.vector_index import PgVectorIndex
from psycopg_pool import ConnectionPool

from generators.content.attributes import MOODS, PALETTES, STYLES, SUBJECTS, TIMES, USES

from .conftest import SeededContent

pytestmark = [pytest.mark.stack]

# (attributes that define the relevant set, how a person would phrase the query)
QUERY_KINDS = {
    "subject+palette": (("subject", "palette"), lambda a: f"{SUBJECTS[a['subject']][0]} in {PALETTES[a['palette']][0]} colours"),
    "subject+style": (("subject", "style"), lambda a: f"{STYLES[a['style']][0]} of {SUBJECTS[a['subject']][0]}"),
    "subject+use": (("subject", "use"), lambda a: f"{SUBJECTS[a['subject']][0]} for {USES[a['use']][0]}"),
    "subject+palette+style": (("subject", "palette", "style"),
                              lambda a: f"{STYLES[a['style']][0]} of {SUBJECTS[a['subject']][0]}, "
                                        f"{PALETTES[a['palette']][0]} palette"),
    "subject+mood+time": (("subject", "mood", "time"),
                          lambda a: f"{MOODS[a['mood']][0]} {a['subject']} {TIMES[a['time']][0]}"),
}


def test_recall_at_5_is_at_least_0_8(seeded: SeededContent) -> None:
    db = clients.mongo(seeded.settings)[seeded.settings.mongodb.database]
    images = list(db.images.find({}, {"_id": 0, "code": 1, "attributes": 1}))
    rng = random.Random(2024)
    targets = rng.sample(images, 30)
    per_kind: dict[str, float] = {}
    with ConnectionPool(seeded.settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        service = ContentService(db, PgVectorIndex(pool), seeded.embedder, Cache(None))
        for kind, (fields, phrase) in QUERY_KINDS.items():
            recalls = []
            for target in targets:
                relevant = {i["code"] for i in images
                            if all(i["attributes"][f] == target["attributes"][f] for f in fields)}
                found = {m.code for m in service.get_content(phrase(target["attributes"]), 5).images}
                recalls.append(len(found & relevant) / min(len(relevant), 5))
            per_kind[kind] = sum(recalls) / len(recalls)
    overall = sum(per_kind.values()) / len(per_kind)
    print({k: round(v, 3) for k, v in per_kind.items()}, "overall", round(overall, 3))
    assert overall >= 0.8, per_kind
