"""getContent against the real stack: seed -> search -> cache hit through the MCP client, the index kept in
step with the images, English and Spanish, "no good match", the schema's bounds, every bad input, the image
resource, and Redis or MongoDB down."""

from __future__ import annotations

import anyio
import mcp
import pymongo
import pytest
import redis
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from promptsales import clients
from promptsales.cache import Cache
from promptsales.content.lexical import LexicalIndex
from promptsales.content.server import build_server
from promptsales.content.service import ContentService
from promptsales.content.vector_index import PgVectorIndex
from promptsales.errors import Unavailable
from psycopg_pool import ConnectionPool

from .conftest import IMAGES, STALE_CODE, SeededContent

pytestmark = [pytest.mark.stack]


def call(seeded: SeededContent, calls: list[dict]) -> list:
    server = build_server(seeded.settings, embedder=seeded.embedder, extensions=[])

    async def run() -> list:
        async with mcp.Client(server) as client:
            return [await client.call_tool("getContent", arguments) for arguments in calls]

    return anyio.run(run)


def images_db(seeded: SeededContent):
    return clients.mongo(seeded.settings)[seeded.settings.mongodb.database]


def test_index_entries_match_the_images(seeded: SeededContent) -> None:
    db = images_db(seeded)
    image_codes = sorted(d["code"] for d in db.images.find({}, {"code": 1}))
    with clients.postgres(seeded.settings) as conn:
        vectors = conn.execute(
            "SELECT code, lang, model FROM content.image_embeddings ORDER BY code, lang"
        ).fetchall()
        lexemes = conn.execute("SELECT code, lang FROM content.image_lexemes ORDER BY code, lang").fetchall()
        tags = conn.execute(
            "SELECT lang, count(*) FROM content.hashtag_embeddings GROUP BY lang ORDER BY lang"
        ).fetchall()
    expected = [(f"img-{n:04d}", lang) for n in range(1, IMAGES + 1) for lang in ("en", "es")]
    assert image_codes == [f"img-{n:04d}" for n in range(1, IMAGES + 1)]
    assert [(c, lang) for c, lang, _ in vectors] == expected == lexemes  # the stale rows are gone
    assert STALE_CODE not in image_codes and {model for *_, model in vectors} == {"all-MiniLM-L6-v2"}
    english = {t for d in db.images.find() for t in d["hashtags"]}
    spanish = {t for d in db.images.find() for t in d["translations"]["es"]["hashtags"]}
    assert dict(tags) == {"en": len(english), "es": len(spanish)}
    assert seeded.counts == {
        "images": IMAGES,
        "gridfs files": 2 * IMAGES,
        "vectors": 2 * IMAGES,
        "hashtags": len(english) + len(spanish),
    }
    assert db["fs.files"].count_documents({"metadata.generated": True}) == 2 * IMAGES


def test_seed_then_search_then_cache_hit(seeded: SeededContent) -> None:
    query = {"description": "a forest of pine trees at night, deep green colours", "limit": 5}
    first, second = call(seeded, [query, query])
    assert not first.is_error and not second.is_error
    a, b = first.structured_content, second.structured_content
    assert a["cache_available"] is True and (a["from_cache"], b["from_cache"]) == (False, True)
    assert a["images"] == b["images"] and a["count"] == 5 and a["good_match"] is True
    assert a["language"] == "en" and a["model_wait_ms"] == 0  # this process shares a loaded model
    assert [m["rank"] for m in a["images"]] == [1, 2, 3, 4, 5]
    scores = [m["score"] for m in a["images"]]
    assert scores == sorted(scores, reverse=True)
    # Subject first: every image shown is a forest, whatever else the words ask for.
    assert all("#forest" in m["hashtags"] for m in a["images"])
    assert all(m["url"].startswith("promptcontent://images/img-") for m in a["images"])


def test_a_spanish_query_answers_in_spanish_with_the_subject_first(seeded: SeededContent) -> None:
    db = images_db(seeded)
    beaches = {d["code"] for d in db.images.find({"hashtags": "#beach"})}
    (answer,) = call(seeded, [{"description": "playa tranquila al atardecer", "limit": 5}])
    body = answer.structured_content
    assert body["language"] == "es" and body["good_match"] is True
    assert {m["code"] for m in body["images"]} <= beaches and body["count"] == 5
    spanish = {d["code"]: d["translations"]["es"] for d in db.images.find({"code": {"$in": list(beaches)}})}
    assert all(m["description"] == spanish[m["code"]]["description"] for m in body["images"])
    assert all("#playa" in m["hashtags"] for m in body["images"])
    (english,) = call(seeded, [{"description": "playa tranquila al atardecer", "limit": 5, "language": "en"}])
    assert english.structured_content["language"] == "en"
    assert all("#beach" in m["hashtags"] for m in english.structured_content["images"])


@pytest.mark.parametrize("description", ["vintage car engine", "motor de un coche antiguo"])
def test_an_absent_subject_says_nothing_fits_and_offers_hashtags(
    seeded: SeededContent, description: str
) -> None:
    db = images_db(seeded)
    (answer,) = call(seeded, [{"description": description}])
    body = answer.structured_content
    assert body["good_match"] is False and body["images"] == [] and body["count"] == 0
    language = "es" if description.startswith("motor") else "en"
    field = "translations.es.hashtags" if language == "es" else "hashtags"
    assert body["language"] == language and len(body["closest_hashtags"]) == 6
    assert set(body["closest_hashtags"]) <= set(db.images.distinct(field))
    assert all(tag in body["message"] for tag in body["closest_hashtags"])


def test_hashtag_filter_in_either_language_only_returns_tagged_images(seeded: SeededContent) -> None:
    db = images_db(seeded)
    tagged = {d["code"] for d in db.images.find({"hashtags": {"$all": ["#beach", "#night"]}})}
    english, spanish = call(
        seeded,
        [
            {"description": "bright image for a summer sale", "limit": 10, "hashtags": ["Beach", "#night"]},
            {"description": "imagen para una oferta", "limit": 10, "hashtags": ["#playa", "noche"]},
        ],
    )
    assert english.structured_content["hashtags"] == ["#beach", "#night"]
    assert {m["code"] for m in english.structured_content["images"]} == tagged
    assert {m["code"] for m in spanish.structured_content["images"]} == tagged


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"description": ""}, "description: must not be empty"),
        ({"description": "   "}, "description is empty"),
        ({"description": "x" * 10_000}, "description: must be at most 2000 characters"),
        ({"description": "beach\x00 at night"}, "description contains control characters (U+0000)"),
        ({"description": "beach\x1b[31m"}, "description contains control characters (U+001B)"),
        ({"description": "beach", "limit": 0}, "limit: must be at least 1"),
        ({"description": "beach", "limit": 10_000}, "limit: must be at most 50"),
        ({"description": "beach", "language": "fr"}, "language: must be one of"),
        ({"description": "beach", "hashtags": ["#a"] * 11}, "hashtags: must have at most 10 items"),
        ({"description": "beach", "hashtags": ["#doesnotexist"]}, "unknown hashtag(s) #doesnotexist"),
        ({"description": "beach", "hashtags": ["not a tag!"]}, "is not a hashtag"),
    ],
)
def test_bad_input_gets_a_clear_error(seeded: SeededContent, arguments: dict, message: str) -> None:
    (answer,) = call(seeded, [arguments])
    assert answer.is_error
    assert message in answer.content[0].text
    assert len(answer.content[0].text.splitlines()) <= 2  # the SDK's heading line, then one line per problem


def test_the_schemas_state_their_limits_and_describe_every_field(seeded: SeededContent) -> None:
    server = build_server(seeded.settings, embedder=seeded.embedder, extensions=None)  # with the Canva tools

    async def run():
        async with mcp.Client(server) as client:
            return {t.name: t for t in (await client.list_tools()).tools}

    tools = anyio.run(run)
    get, generate = tools["getContent"].input_schema, tools["generateCampaignMessages"].input_schema
    assert (
        get["properties"]["description"]["maxLength"] == 2000
        and get["properties"]["description"]["minLength"] == 1
    )
    assert (get["properties"]["limit"]["minimum"], get["properties"]["limit"]["maximum"]) == (1, 50)
    assert any(branch.get("maxItems") == 10 for branch in get["properties"]["hashtags"]["anyOf"])
    assert generate["properties"]["campaign_description"]["maxLength"] == 4000
    assert (
        generate["properties"]["audiences"]["minItems"],
        generate["properties"]["audiences"]["maxItems"],
    ) == (1, 10)
    audience = generate["$defs"]["Audience"]["properties"]
    assert set(audience) == {"name", "country", "language", "age_min", "age_max", "interests"}
    for schema in (get["properties"], generate["properties"], audience):
        assert all(field.get("description") for field in schema.values()), schema
    assert (audience["age_min"]["minimum"], audience["age_max"]["maximum"]) == (13, 120)
    assert audience["interests"]["maxItems"] == 10 and audience["name"]["maxLength"] == 100
    hints = {name: tool.annotations for name, tool in tools.items()}
    assert hints["getContent"].read_only_hint is True and hints["getContent"].open_world_hint is False
    for name in ("generateCampaignMessages", "sendImageToCanva", "startCanvaConnection"):
        assert hints[name].read_only_hint is False and hints[name].destructive_hint is False, name


def test_the_image_resource_serves_the_png_and_an_unknown_code_is_not_found(seeded: SeededContent) -> None:
    server = build_server(seeded.settings, embedder=seeded.embedder, extensions=[])
    master = images_db(seeded)["fs.files"].find_one(
        {"metadata.code": "img-0007", "metadata.format": "master"}
    )

    async def run():
        async with mcp.Client(server) as client:
            found = await client.read_resource("promptcontent://images/img-0007.png")
            errors = []
            for code in ("img-9999", "../../etc/passwd", "img-0007.png%00"):
                with pytest.raises(MCPError) as caught:
                    await client.read_resource(f"promptcontent://images/{code}.png")
                errors.append(caught.value)
            return found, errors

    found, errors = anyio.run(run)
    assert found.contents[0].mime_type == "image/png" and found.contents[0].blob
    import base64

    assert len(base64.b64decode(found.contents[0].blob)) == master["length"]
    assert [e.code for e in errors] == [INVALID_PARAMS] * 3
    assert "no image img-9999" in errors[0].message and "Traceback" not in errors[0].message


def _service(
    seeded: SeededContent, mongo: pymongo.MongoClient, redis_client: redis.Redis | None, pool: ConnectionPool
) -> ContentService:
    return ContentService(
        mongo[seeded.settings.mongodb.database],
        PgVectorIndex(pool),
        seeded.embedder,
        Cache(redis_client, seeded.settings.redis.key_prefix),
        LexicalIndex(pool),
    )


def test_redis_down_answers_uncached(seeded: SeededContent) -> None:
    # Nothing listens on port 1: the same as Redis being down, through the client the server builds.
    dead_redis = clients.redis_client(
        seeded.settings.model_copy(update={"redis": seeded.settings.redis.model_copy(update={"port": 1})})
    )
    mongo = clients.mongo(seeded.settings)
    with ConnectionPool(seeded.settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        service = _service(seeded, mongo, dead_redis, pool)
        first = service.get_content("snow-capped mountains at dawn", 3)
        second = service.get_content("snow-capped mountains at dawn", 3)
    mongo.close()
    assert first.count == second.count == 3
    assert (first.from_cache, second.from_cache, first.cache_available) == (False, False, False)


def test_mongodb_down_is_a_clear_error_and_changes_nothing(seeded: SeededContent) -> None:
    dead_mongo = pymongo.MongoClient(
        "mongodb://127.0.0.1:1/?directConnection=true", serverSelectionTimeoutMS=300
    )
    with ConnectionPool(seeded.settings.postgres.dsn(), min_size=1, max_size=1) as pool:
        service = _service(seeded, dead_mongo, None, pool)
        with pytest.raises(Unavailable, match="MongoDB is unreachable"):
            service.get_content("a steaming cup of coffee", 3)
        assert len(PgVectorIndex(pool).codes()) == IMAGES
