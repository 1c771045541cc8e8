"""The lexical half of getContent, in PostgreSQL full-text search (db-init/promptcontent/090_create_vector_index.sql).

One weighted tsvector per image and language, built with that language's text search configuration
('english' or 'spanish': stemming and stop words): weight A holds what the picture shows (its subject words),
B its title and the words of its hashtags (#earthtones -> "earth tones"), D its description. A query is
turned into lexemes by both configurations and OR-ed (a free-form query seldom has every word in one
description), matched against the rows of the same language and ranked subject first: images one of whose
subject words the query names, then the others, each by ts_rank with WEIGHTS. Accents are folded on both
sides (cafe = café).

The hashtag vocabulary lives here too: every hashtag's words embedded, for the closest hashtags a
"no good match" answer offers. Both stay in PostgreSQL whichever vector index is configured (pgvector or
Pinecone): with Pinecone, only the image vectors are in Pinecone.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

CONFIGS = {"en": "english", "es": "spanish"}
# ts_rank weights for D, C, B, A (PostgreSQL's order): a subject word counts ten times a description word.
WEIGHTS = "{0.1, 0.1, 0.4, 1.0}"


def fold(text: str) -> str:
    """Lower case without accents: 'Montañas Café' -> 'montanas cafe' (the index and queries alike)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class LexicalEntry:
    code: str
    lang: str
    subject: str  # weight A
    labels: str  # weight B: title and hashtag words
    description: str  # weight D
    hashtags: list[str]  # folded, every language: the filter


@dataclass(frozen=True)
class LexicalMatch:
    code: str
    lang: str
    rank: float  # ts_rank with WEIGHTS
    subject: bool  # a query word is one of the subject words (weight A)


@dataclass(frozen=True)
class LexicalAnswer:
    matches: list[LexicalMatch]  # subject matches first, then by rank; at most one per image
    stopwords: dict[str, int]  # per language, how many query words are its stop words (a language hint)


# The query as lexemes of each configuration, OR-ed; cast from text so lexemes are not parsed again.
_QUERY_SQL = """
WITH q(lang, query, stopwords) AS (
    SELECT c.lang,
           (SELECT CAST(string_agg(quote_literal(t.lexeme), ' | ') AS tsquery)
            FROM unnest(to_tsvector(CAST(c.config AS regconfig), %(q)s)) AS t),
           cardinality(regexp_split_to_array(trim(%(q)s), '[^[:alnum:]]+'))
               - length(to_tsvector(CAST(c.config AS regconfig), %(q)s))
    FROM (VALUES ('en', 'english'), ('es', 'spanish')) AS c(lang, config)
), hits AS (
    SELECT DISTINCT ON (l.code) l.code, l.lang,
           ts_rank(CAST(%(weights)s AS real[]), l.document, q.query) AS rank,
           ts_filter(l.document, '{a}') @@ q.query AS subject
    FROM content.image_lexemes l JOIN q ON q.lang = l.lang
    WHERE q.query IS NOT NULL AND l.document @@ q.query AND l.hashtags @> %(tags)s
    ORDER BY l.code, rank DESC
)
SELECT 'hit', code, lang, rank, subject FROM hits
UNION ALL
SELECT 'stopwords', NULL, lang, stopwords, NULL FROM q
"""


class LexicalIndex:
    def __init__(self, pool: ConnectionPool):
        self.pool = pool

    def replace_all(self, entries: list[LexicalEntry]) -> None:
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM content.image_lexemes")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO content.image_lexemes (code, lang, hashtags, document) VALUES (%(code)s, %(lang)s, "
                    "%(tags)s, setweight(to_tsvector(CAST(%(cfg)s AS regconfig), %(a)s), 'A')"
                    " || setweight(to_tsvector(CAST(%(cfg)s AS regconfig), %(b)s), 'B')"
                    " || setweight(to_tsvector(CAST(%(cfg)s AS regconfig), %(d)s), 'D'))",
                    [
                        {
                            "code": e.code,
                            "lang": e.lang,
                            "tags": e.hashtags,
                            "cfg": CONFIGS[e.lang],
                            "a": fold(e.subject),
                            "b": fold(e.labels),
                            "d": fold(e.description),
                        }
                        for e in entries
                    ],
                )

    def search(self, query: str, hashtags: list[str], limit: int) -> LexicalAnswer:
        with self.pool.connection() as conn:
            rows = conn.execute(
                _QUERY_SQL, {"q": fold(query), "tags": hashtags, "weights": WEIGHTS}
            ).fetchall()
        hits = sorted(
            (
                LexicalMatch(code, lang, float(rank), bool(subject))
                for kind, code, lang, rank, subject in rows
                if kind == "hit"
            ),
            key=lambda m: (not m.subject, -m.rank, m.code),
        )
        return LexicalAnswer(
            hits[:limit], {lang: int(n) for kind, _, lang, n, _ in rows if kind == "stopwords"}
        )

    def replace_hashtags(self, model: str, tags: list[tuple[str, str, list[float]]]) -> None:
        """(hashtag, language, embedding of its words) for every hashtag in use."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM content.hashtag_embeddings")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO content.hashtag_embeddings (hashtag, lang, model, embedding) "
                    "VALUES (%s, %s, %s, CAST(%s AS vector))",
                    [(tag, lang, model, vector_literal(v)) for tag, lang, v in tags],
                )

    def closest_hashtags(self, model: str, vector: list[float], lang: str, limit: int) -> list[str]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT hashtag FROM content.hashtag_embeddings WHERE model = %(model)s AND lang = %(lang)s "
                "ORDER BY embedding <=> CAST(%(v)s AS vector), hashtag LIMIT %(limit)s",
                {"model": model, "lang": lang, "v": vector_literal(vector), "limit": limit},
            ).fetchall()
        return [r[0] for r in rows]


def vector_literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
