"""The vector index behind one small interface: pgvector (HNSW, cosine) by default, Pinecone with a key.

One vector per image and language (its English and its Spanish description). pgvector: table
`content.image_embeddings` in the central PromptSales database (db-init/promptcontent/
090_create_vector_index.sql). Scores are cosine similarities (1 = same direction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from psycopg_pool import ConnectionPool

from promptsales.content.lexical import vector_literal
from promptsales.settings import Settings


@dataclass(frozen=True)
class Entry:
    code: str
    lang: str
    vector: list[float]
    hashtags: list[str]  # folded, every language: the filter


@dataclass(frozen=True)
class Match:
    code: str
    lang: str
    score: float


class VectorIndex(Protocol):
    name: str

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        """Make the index hold exactly these entries (a re-seed), atomically where the backend allows."""

    def search(
        self, model: str, vector: list[float], limit: int, hashtags: list[str], lang: str | None = None
    ) -> list[Match]:
        """The `limit` nearest vectors, nearest first: of descriptions in `lang`, or in any language."""

    def codes(self) -> list[str]: ...


class PgVectorIndex:
    name = "pgvector"

    def __init__(self, pool: ConnectionPool):
        self.pool = pool

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM content.image_embeddings")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO content.image_embeddings (code, lang, model, hashtags, embedding) "
                    "VALUES (%s, %s, %s, %s, CAST(%s AS vector))",
                    [(e.code, e.lang, model, e.hashtags, vector_literal(e.vector)) for e in entries],
                )

    def search(
        self, model: str, vector: list[float], limit: int, hashtags: list[str], lang: str | None = None
    ) -> list[Match]:
        with self.pool.connection() as conn:
            # Filtered HNSW scans keep looking until `limit` rows pass the filter (pgvector 0.8).
            conn.execute("SET hnsw.iterative_scan = relaxed_order")
            rows = conn.execute(
                "SELECT code, lang, 1 - (embedding <=> CAST(%(v)s AS vector)) AS score "
                "FROM content.image_embeddings "
                "WHERE model = %(model)s AND hashtags @> %(tags)s AND (%(lang)s::text IS NULL OR lang = %(lang)s) "
                "ORDER BY embedding <=> CAST(%(v)s AS vector) LIMIT %(limit)s",
                {"v": vector_literal(vector), "model": model, "tags": hashtags, "limit": limit, "lang": lang},
            ).fetchall()
        return sorted((Match(code, lang, float(score)) for code, lang, score in rows), key=lambda m: -m.score)

    def codes(self) -> list[str]:
        with self.pool.connection() as conn:
            return [
                r[0] for r in conn.execute("SELECT DISTINCT code FROM content.image_embeddings ORDER BY code")
            ]


class PineconeIndex:
    """Pinecone serverless index (cloud only: used when PINECONE_API_KEY is set); vector ids are `code:lang`."""

    name = "pinecone"

    def __init__(self, settings: Settings):
        from pinecone import Pinecone

        assert settings.pinecone.api_key is not None
        self.index = Pinecone(api_key=settings.pinecone.api_key.get_secret_value()).Index(
            settings.pinecone.index
        )

    def replace_all(self, model: str, entries: list[Entry]) -> None:
        # Pinecone has no transactions: upsert the new set, then delete what is no longer there.
        for start in range(0, len(entries), 100):
            self.index.upsert(
                vectors=[
                    {
                        "id": f"{e.code}:{e.lang}",
                        "values": e.vector,
                        "metadata": {"code": e.code, "lang": e.lang, "model": model, "hashtags": e.hashtags},
                    }
                    for e in entries[start : start + 100]
                ]
            )
        stale = set(self._ids()) - {f"{e.code}:{e.lang}" for e in entries}
        if stale:
            self.index.delete(ids=sorted(stale))

    def search(
        self, model: str, vector: list[float], limit: int, hashtags: list[str], lang: str | None = None
    ) -> list[Match]:
        conditions: list[dict] = [
            {"model": {"$eq": model}},
            *({"hashtags": {"$in": [t]}} for t in hashtags),
            *([{"lang": {"$eq": lang}}] if lang else []),
        ]
        answer = self.index.query(
            vector=vector, top_k=limit, filter={"$and": conditions}, include_metadata=False
        )
        return [Match(*m["id"].rsplit(":", 1), float(m["score"])) for m in answer["matches"]]

    def _ids(self) -> list[str]:
        return [vector_id for page in self.index.list() for vector_id in page]

    def codes(self) -> list[str]:
        return sorted({vector_id.rsplit(":", 1)[0] for vector_id in self._ids()})


def build_index(settings: Settings, pool: ConnectionPool) -> VectorIndex:
    if settings.pinecone.api_key is not None:
        return PineconeIndex(settings)
    return PgVectorIndex(pool)
