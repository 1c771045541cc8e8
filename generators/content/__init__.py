"""PromptContent generator: images drawn with Pillow, stored in GridFS, described, tagged and indexed.

Every image is described in English and Spanish. `load` replaces the previous generated images: the GridFS
files and `images` documents, then every vector-index entry (two per image: its English and its Spanish
description, in one PostgreSQL transaction), the lexical rows and the hashtag vocabulary, then bumps the
Redis data version `content` so no cached getContent answer outlives the data it came from.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import gridfs
from promptsales import clients, interrupts, progress
from promptsales.cache import Cache
from promptsales.content.embeddings import Embedder, build_embedder
from promptsales.content.lexical import LexicalEntry, LexicalIndex, fold
from promptsales.content.vector_index import Entry, VectorIndex, build_index
from promptsales.errors import InvalidInput
from promptsales.generators.content import describe
from promptsales.generators.content.attributes import (
    USES,
    ImageAttributes,
    draw_attributes,
    hashtag,
    placement,
)
from promptsales.generators.content.render import png_bytes, render, thumbnail
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings
from psycopg_pool import ConnectionPool

BUCKET = "fs"
OWNER = "PromptContent studio"


def image_code(number: int) -> str:
    return f"img-{number:04d}"


def build_documents(options: SeedOptions) -> list[tuple[dict, bytes, bytes]]:
    """(image document without file ids, master PNG, thumbnail PNG) per image, deterministic from the seed."""
    created = datetime(2025, 6, 1, tzinfo=UTC)
    out = []
    try:
        drawn = draw_attributes(options.images, options.seed)
    except ValueError as exc:
        raise InvalidInput(f"--images: {exc}") from exc
    for number, attrs in enumerate(drawn, start=1):
        picture = render(attrs, seed=options.seed * 100_003 + number, where=placement(number))
        w, h = USES[attrs.use].size
        doc = {
            "code": image_code(number),
            "title": describe.title(attrs),
            "description": describe.description(attrs, number),
            "hashtags": describe.hashtags(attrs),
            "subject": describe.subject_words(attrs),
            "translations": {
                "es": {
                    "title": describe.title(attrs, "es"),
                    "description": describe.description(attrs, number, "es"),
                    "hashtags": describe.hashtags(attrs, "es"),
                    "subject": describe.subject_words(attrs, "es"),
                }
            },
            "categories": describe.categories(attrs),
            "attributes": attrs.as_dict(),
            "formats": [
                {"name": "master", "mimeType": "image/png", "width": w, "height": h},
                {
                    "name": "thumbnail",
                    "mimeType": "image/png",
                    "width": thumbnail(picture).width,
                    "height": thumbnail(picture).height,
                },
            ],
            "versions": [{"version": 1, "createdAt": created + timedelta(hours=number), "note": "generated"}],
            "usageRights": {
                "license": "owned",
                "owner": OWNER,
                "allowedChannels": list(USES[attrs.use].channels),
                "expiresAt": None,
            },
        }
        out.append((doc, png_bytes(picture), png_bytes(thumbnail(picture))))
    return out


def index_entries(
    built: list[tuple[dict, bytes, bytes]], vectors: list[list[float]]
) -> tuple[list[Entry], list[LexicalEntry]]:
    """The vector and lexical rows of every image in both languages; `vectors` in texts_to_embed order."""
    entries, lexical = [], []
    for (doc, _, _), (en_vector, es_vector) in zip(built, zip(vectors[0::2], vectors[1::2])):
        spanish = doc["translations"]["es"]
        tags = sorted({fold(t) for t in doc["hashtags"] + spanish["hashtags"]})
        for lang, texts, vector in (("en", doc, en_vector), ("es", spanish, es_vector)):
            entries.append(Entry(doc["code"], lang, vector, tags))
            labels = " ".join(
                [texts["title"], *describe.hashtag_words(ImageAttributes(**doc["attributes"]), lang)]
            )
            lexical.append(
                LexicalEntry(doc["code"], lang, texts["subject"], labels, texts["description"], tags)
            )
    return entries, lexical


def texts_to_embed(built: list[tuple[dict, bytes, bytes]]) -> list[str]:
    return [
        text for doc, _, _ in built for text in (doc["description"], doc["translations"]["es"]["description"])
    ]


def hashtag_vocabulary(built: list[tuple[dict, bytes, bytes]]) -> list[tuple[str, str, str]]:
    """(hashtag, language, its words) for every hashtag the images carry."""
    vocabulary = {}
    for doc, _, _ in built:
        attrs = ImageAttributes(**doc["attributes"])
        for lang in describe.LANGUAGES:
            for words in describe.hashtag_words(attrs, lang):
                vocabulary[(hashtag(words), lang)] = words
    return [(tag, lang, words) for (tag, lang), words in sorted(vocabulary.items())]


def load(settings: Settings, options: SeedOptions, embedder: Embedder | None = None) -> dict[str, int]:
    progress.report(f"promptcontent: drawing and describing {options.images:,} images")
    built = build_documents(options)
    progress.report("promptcontent: loading the embedding model")
    embedder = embedder or build_embedder(settings)
    progress.report(f"promptcontent: embedding {2 * len(built):,} descriptions ({embedder.model_name})")
    vectors = embedder.embed(texts_to_embed(built))
    vocabulary = hashtag_vocabulary(built)
    tag_vectors = embedder.embed([words for _, _, words in vocabulary])
    entries, lexical_entries = index_entries(built, vectors)
    mongo = clients.mongo(settings)
    pool = ConnectionPool(settings.postgres.dsn(), min_size=1, max_size=2, open=True)
    redis_client = clients.redis_client(settings)
    try:
        # The writes span MongoDB, PostgreSQL and Redis, which share no transaction: once they start,
        # Ctrl-C waits for the last of them (a few seconds), so the stores never disagree.
        progress.report("promptcontent: writing images, vectors and hashtags (Ctrl-C waits for this step)")
        with interrupts.held():
            db = clients.mongo_db(mongo, settings)
            written = _write_mongo(db, built)
            index: VectorIndex = build_index(settings, pool)
            index.replace_all(embedder.model_name, entries)
            lexical = LexicalIndex(pool)
            lexical.replace_all(lexical_entries)
            lexical.replace_hashtags(
                embedder.model_name,
                [(tag, lang, vector) for (tag, lang, _), vector in zip(vocabulary, tag_vectors)],
            )
            Cache(redis_client, settings.redis.key_prefix).bump_data_version("content")
            interrupts.committed("promptcontent")
    finally:
        redis_client.close()
        pool.close()
        mongo.close()
    return {
        "images": written,
        "gridfs files": 2 * written,
        "vectors": len(entries),
        "hashtags": len(vocabulary),
    }


def _write_mongo(db, built: list[tuple[dict, bytes, bytes]]) -> int:
    fs = gridfs.GridFS(db, collection=BUCKET)
    # Files first, then the documents that point at them; old generated files go last, so a failure
    # part-way leaves the previous documents pointing at files that still exist.
    old_files = [f._id for f in fs.find({"metadata.generated": True})]
    now = datetime.now(UTC)
    docs = []
    for doc, master, thumb in built:
        master_id = fs.put(
            master,
            filename=f"{doc['code']}.png",
            contentType="image/png",
            metadata={"code": doc["code"], "format": "master", "title": doc["title"], "generated": True},
        )
        thumb_id = fs.put(
            thumb,
            filename=f"{doc['code']}-thumb.png",
            contentType="image/png",
            metadata={"code": doc["code"], "format": "thumbnail", "generated": True},
        )
        formats = [
            {**doc["formats"][0], "fileId": master_id, "bytes": len(master)},
            {**doc["formats"][1], "fileId": thumb_id, "bytes": len(thumb)},
        ]
        docs.append({**doc, "formats": formats, "createdAt": now, "updatedAt": now})
    db.images.delete_many({})
    db.images.insert_many(docs, ordered=True)
    for file_id in old_files:
        fs.delete(file_id)
    return len(docs)
