"""Each local service is the real thing: pgvector HNSW search, Redis expiry, MongoDB queries, n8n webhooks."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from promptsales import clients
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import SECRET_HEADER

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_postgres_has_pgvector_and_answers_an_hnsw_cosine_query(stack, fresh_database):
    database = fresh_database("vec")
    with clients.postgres(stack, database) as conn:
        conn.execute("CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))")
        conn.execute("INSERT INTO items VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')")
        conn.execute("CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops)")
        conn.execute("SET enable_seqscan = off")  # make the planner use the HNSW index on a tiny table
        plan = "\n".join(
            r[0]
            for r in conn.execute("EXPLAIN SELECT id FROM items ORDER BY embedding <=> '[1,0,0]' LIMIT 2")
        )
        rows = conn.execute(
            "SELECT id, round((embedding <=> '[1,0,0]')::numeric, 4) FROM items "
            "ORDER BY embedding <=> '[1,0,0]' LIMIT 2"
        ).fetchall()
    assert "items_embedding_idx" in plan
    assert [r[0] for r in rows] == [1, 3]
    assert float(rows[0][1]) == 0.0


def test_redis_requires_the_password_and_expires_keys(stack):
    redis = clients.redis_client(stack)
    redis.set("ps:test:ttl", "value", px=300)
    assert redis.get("ps:test:ttl") == b"value"
    assert 0 < redis.pttl("ps:test:ttl") <= 300
    time.sleep(0.5)
    assert redis.get("ps:test:ttl") is None

    import redis as redis_lib

    anonymous = redis_lib.Redis(host=stack.redis.host, port=stack.redis.port)
    with pytest.raises(redis_lib.AuthenticationError):
        anonymous.get("ps:test:ttl")


def test_mongodb_wire_server_inserts_indexes_finds_and_aggregates(fresh_mongo_db):
    images = fresh_mongo_db["images"]
    images.insert_many(
        [{"code": f"img-{i}", "category": "food" if i % 2 else "travel", "likes": i} for i in range(10)]
    )
    images.create_index("code", unique=True)
    assert images.find_one({"code": "img-3"})["likes"] == 3
    totals = {
        row["_id"]: row["likes"]
        for row in images.aggregate([{"$group": {"_id": "$category", "likes": {"$sum": "$likes"}}}])
    }
    assert totals == {"food": 25, "travel": 20}
    from pymongo.errors import DuplicateKeyError

    with pytest.raises(DuplicateKeyError):
        images.insert_one({"code": "img-3"})


def test_n8n_imports_publishes_and_serves_a_production_webhook(n8n):
    service = N8nService(n8n)
    ids = service.import_workflows([FIXTURES / "echo-webhook.json"])
    assert ids == ["psTestEchoWebhook"]
    secret = {SECRET_HEADER: n8n.n8n.webhook_secret.get_secret_value()}  # every webhook but the public ones
    response = httpx.post(
        f"{n8n.n8n.url()}/webhook/ps-test-echo", json={"campaign": 7}, headers=secret, timeout=30
    )
    assert response.status_code == 200
    assert response.json() == {"echo": {"campaign": 7}, "served_by": "n8n"}
