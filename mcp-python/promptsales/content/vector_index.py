"""The vector index behind one small interface: pgvector (HNSW, cosine) by default, Pinecone with a key.

pgvector: table `content.image_embeddings` in the central PromptSales database (db-init/promptcontent/
090_create_vector_index.sql). Scores are cosine similarities (1 = same direction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from psycopg_pool import ConnectionPool

from promptsales.settings import Settings


@dataclass(frozen=True)
class Entry:
    code: str
    vector: list[float]
    hashtags: list[str]


@dataclass(frozen=True)
class Match:
    code: str
    score: float


class VectorIndex(Protocol):
    name: str

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        """Make the index hold exactly these entries (a re-seed), atomically where the backend allows."""

    def search(self, model: str, vector: list[float], limit: int, hashtags: list[str]) -> list[Match]: ...

    def codes(self) -> list[str]: ...


def _literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"


class PgVectorIndex:
    name = "pgvector"

    def __init__(self, pool: ConnectionPool):
        self.pool = pool

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM content.image_embeddings")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO content.image_embeddings (code, model, hashtags, embedding) "
                    "VALUES (%s, %s, %s, CAST(%s AS vector))",
                    [(e.code, model, e.hashtags, _literal(e.vector)) for e in entries])

    def search(self, model: str, vector: list[float], limit: int, hashtags: list[str]) -> list[Match]:
        with self.pool.connection() as conn:
            # Filtered HNSW scans keep looking until `limit` rows pass the filter (pgvector 0.8).
            conn.execute("SET hnsw.iterative_scan = relaxed_order")
            rows = conn.execute(
                "SELECT code, 1 - (embedding <=> CAST(%(v)s AS vector)) AS score "
                "FROM content.image_embeddings "
                "WHERE model = %(model)s AND hashtags @> %(tags)s "
                "ORDER BY embedding <=> CAST(%(v)s AS vector) LIMIT %(limit)s",
                {"v": _literal(vector), "model": model, "tags": hashtags, "limit": limit}).fetchall()
        return sorted((Match(code, float(score)) for code, score in rows), key=lambda m: -m.score)

    def codes(self) -> list[str]:
        with self.pool.connection() as conn:
            return [r[0] for r in conn.execute("SELECT code FROM content.image_embeddings ORDER BY code")]


class PineconeIndex:
    """Pinecone serverless index (cloud only: used when PINECONE_API_KEY is set)."""

    name = "pinecone"

    def __init__(self, settings: Settings):
        from pinecone import Pinecone

        assert settings.pinecone.api_key is not None
        self.index = Pinecone(api_key=settings.pinecone.api_key.get_secret_value()).Index(settings.pinecone.index)

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        # Pinecone has no transactions: upsert the new set, then delete what is no longer there.
        for start in range(0, len(entries), 100):
            self.index.upsert(vectors=[{"id": e.code, "values": e.vector,
                                        "metadata": {"model": model, "hashtags": e.hashtags}}
                                       for e in entries[start:start + 100]])
        stale = set(self.codes()) - {e.code for e in entries}
        if stale:
            self.index.delete(ids=sorted(stale))

    def search(self, model: str, vector: list[float], limit: int, hashtags: list[str]) -> list[Match]:
        conditions: list[dict] = [{"model": {"$eq": model}}, *({"hashtags": {"$in": [t]}} for t in hashtags)]
        answer = self.index.query(vector=vector, top_k=limit, filter={"$and": conditions}, include_metadata=False)
        return [Match(m["id"], float(m["score"])) for m in answer["matches"]]

    def codes(self) -> list[str]:
        return sorted(code for page in self.index.list() for code in page)


def build_index(settings: Settings, pool: ConnectionPool) -> VectorIndex:
    if settings.pinecone.api_key is not None:
        return PineconeIndex(settings)
    return PgVectorIndex(pool)
