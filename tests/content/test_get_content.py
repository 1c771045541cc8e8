"""getContent against the real stack: seed -> search -> cache hit through the MCP client, the index kept in
step with the images, every bad input, and Redis or MongoDB down."""

from __future__ import annotations

import anyio
import mcp
import pymongo
import pytest
import redis
from promptsales import clients
from promptsales.cache import Cache
from promptsales.content.server import build_server
from promptsales.content.service import ContentService, ContentUnavailable
from promptsales.content.vector_index import PgVectorIndex
from psycopg_pool import ConnectionPool

from generators.content.attributes import MOODS

from .conftest import IMAGES, STALE_CODE, SeededContent

pytestmark = [pytest.mark.stack]


def call(seeded: SeededContent, calls: list[dict]) -> list:
    server = build_server(seeded.settings, embedder=seeded.embedder, extensions=[])

    async def run() -> list:
        async with mcp.Client(server) as client:
            return [await client.call_tool("getContent", arguments) for arguments in calls]

    return anyio.run(run)


def test_index_entries_match_the_images(seeded: SeededContent) -> None:
    db = clients.mongo(seeded.settings)[seeded.settings.mongodb.database]
    image_codes = sorted(d["code"] for d in db.images.find({}, {"code": 1}))
    with clients.postgres(seeded.settings) as conn:
        rows = conn.execute("SELECT code, model FROM content.image_embeddings ORDER BY code").fetchall()
    assert seeded.counts == {"images": IMAGES, "gridfs files": 2 * IMAGES, "vectors": IMAGES}
    assert image_codes == [code for code, _ in rows] == [f"img-{n:04d}" for n in range(1, IMAGES + 1)]
    assert STALE_CODE not in image_codes and {model for _, model in rows} == {"all-MiniLM-L6-v2"}
    assert db["fs.files"].count_documents({"metadata.generated": True}) == 2 * IMAGES


def test_seed_then_search_then_cache_hit(seeded: SeededContent) -> None:
    query = {"description": "a forest of pine trees at night, deep green colours", "limit": 5}
    first, second = call(seeded, [query, query])
    assert first.structured_content["cache_available"] is True
    assert not first.is_error and not second.is_error
    a, b = first.structured_content, second.structured_content
    assert (a["from_cache"], b["from_cache"]) == (False, True)
    assert a["images"] == b["images"] and a["count"] == 5
    assert [m["rank"] for m in a["images"]] == [1, 2, 3, 4, 5]
    scores = [m["score"] for m in a["images"]]
    assert scores == sorted(scores, reverse=True)
    assert all("#forest" in m["hashtags"] for m in a["images"][:3])
    assert all(m["url"].startswith("promptcontent://images/img-") for m in a["images"])


def test_hashtag_filter_only_returns_tagged_images(seeded: SeededContent) -> None:
    db = clients.mongo(seeded.settings)[seeded.settings.mongodb.database]
    beach = db.images.find_one({"hashtags": "#beach"})
    mood_tag = MOODS[beach["attributes"]["mood"]][2]
    tagged = {d["code"] for d in db.images.find({"hashtags": {"$all": ["#beach", mood_tag]}})}
    (answer,) = call(seeded, [{"description": "bright image for a summer sale", "limit": 10,
                               "hashtags": ["Beach", mood_tag]}])
    images = answer.structured_content["images"]
    assert answer.structured_content["hashtags"] == sorted(["#beach", mood_tag])
    assert {m["code"] for m in images} == tagged


@pytest.mark.parametrize(("arguments", "message"), [
    ({"description": ""}, "description is empty"),
    ({"description": "   "}, "description is empty"),
    ({"description": "x" * 10_000}, "10,000 characters; at most 2,000"),
    ({"description": "beach", "limit": 0}, "limit must be between 1 and 50"),
    ({"description": "beach", "limit": 10_000}, "limit must be between 1 and 50"),
    ({"description": "beach", "hashtags": ["#doesnotexist"]}, "unknown hashtag(s) #doesnotexist"),
    ({"description": "beach", "hashtags": ["not a tag!"]}, "is not a hashtag"),
])
def test_bad_input_gets_a_clear_error(seeded: SeededContent, arguments: dict, message: str) -> None:
    (answer,) = call(seeded, [arguments])
    assert answer.is_error
    assert message in answer.content[0].text


def _service(seeded: SeededContent, mongo: pymongo.MongoClient, redis_client: redis.Redis | None,
             pool: ConnectionPool) -> ContentService:
    return ContentService(mongo[seeded.settings.mongodb.database], PgVectorIndex(pool), seeded.embedder,
                          Cache(redis_client, seeded.settings.redis.key_prefix))


def test_redis_down_answers_uncached(seeded: SeededContent) -> None:
    # Nothing listens on port 1: the same as Redis being down, through the client the server builds.
    dead_redis = clients.redis_client(seeded.settings.model_copy(update={
        "redis": seeded.settings.redis.model_copy(update={"port": 1})}))
    mongo = clients.mongo(seeded.settings)
    with ConnectionPool(seeded.settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        service = _service(seeded, mongo, dead_redis, pool)
        first = service.get_content("snow-capped mountains at dawn", 3)
        second = service.get_content("snow-capped mountains at dawn", 3)
    mongo.close()
    assert first.count == second.count == 3
    assert (first.from_cache, second.from_cache, first.cache_available) == (False, False, False)


def test_mongodb_down_is_a_clear_error_and_changes_nothing(seeded: SeededContent) -> None:
    dead_mongo = pymongo.MongoClient("mongodb://127.0.0.1:1/?directConnection=true", serverSelectionTimeoutMS=300)
    with ConnectionPool(seeded.settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        service = _service(seeded, dead_mongo, None, pool)
        with pytest.raises(ContentUnavailable, match="MongoDB is unreachable"):
            service.get_content("a steaming cup of coffee", 3)
        assert len(PgVectorIndex(pool).codes()) == IMAGES
