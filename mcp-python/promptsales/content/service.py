"""getContent: check the inputs, answer from Redis when it can, otherwise rank the images by a hybrid of the
vector index and PostgreSQL full-text search, and read the image documents from MongoDB (the source of
truth for descriptions and hashtags).

The ranking rule (RANKING_RULE, also in every answer): the images that show what the query names (one of
their subject words is a query word: lexical.py) come first, then the others; within each group, by
reciprocal rank fusion of two rankings,
    score(image) = VECTOR_WEIGHT / (RRF_K + vector rank) + LEXICAL_WEIGHT / (RRF_K + lexical rank),
where the vector rank orders images by the cosine similarity of the query to the closer of the image's
English and Spanish descriptions, and the lexical rank by ts_rank of the query words in the image's
weighted words (subject words weigh most). An image missing from one ranking gets nothing from it. RRF
(Cormack et al., 2009) needs no calibration between the two scores; k = 60 is its usual constant. So a
subject outranks format and style words ("sneakers for a TikTok story, pop art style" answers sneakers),
and the vector half still ranks synonyms and paraphrases the words do not catch.

"No good match": nothing fits when no query word is one of any image's subject words AND the closest
description's cosine similarity is below SIMILARITY_THRESHOLDS[its language]. The thresholds and the
weights were chosen on the
calibration half of promptsales_testkit/judged_queries.json (queries judged by looking at the images) and
evaluated on the other half: `promptsales bench content_get --calibrate` prints both.
"""

from __future__ import annotations

import re
import unicodedata

from pymongo.database import Database
from pymongo.errors import PyMongoError

from promptsales.cache import Cache
from promptsales.content.embeddings import Embedder
from promptsales.content.lexical import LexicalAnswer, LexicalIndex, fold
from promptsales.content.models import MAX_DESCRIPTION, MAX_HASHTAGS, MAX_LIMIT, ContentAnswer, ImageMatch
from promptsales.content.vector_index import Match, VectorIndex
from promptsales.errors import InvalidInput, Unavailable

HASHTAG = re.compile(r"^#[^\W_]+$")
RESOURCE_URI = "promptcontent://images/{code}.png"
RRF_K = 60
VECTOR_WEIGHT = 1.0
LEXICAL_WEIGHT = 2.0
# Per language of the closest description: the English model scores Spanish texts against each other higher.
SIMILARITY_THRESHOLDS = {"en": 0.378, "es": 0.549}
CANDIDATES = 100  # rows asked of each half: every image of the seed (two vectors each) and more
CLOSEST_HASHTAGS = 6
RANKING_RULE = (
    f"images matching a subject word of the query first, then the others; within each, reciprocal "
    f"rank fusion {VECTOR_WEIGHT:g}/({RRF_K}+vector rank) + {LEXICAL_WEIGHT:g}/({RRF_K}+lexical rank); no good match when no subject word matches and the best "
    f"cosine similarity is below {SIMILARITY_THRESHOLDS['en']:.2f} (English description) or "
    f"{SIMILARITY_THRESHOLDS['es']:.2f} (Spanish)"
)
# Tab, line feed and carriage return are whitespace (folded into spaces); every other control character
# is refused, as the sales server refuses them: a NUL byte is refused by PostgreSQL, and by us first.
_ALLOWED_CONTROL = {"\t", "\n", "\r"}


def check_plain_text(name: str, value: str) -> str:
    for ch in value:
        if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL:
            raise InvalidInput(f"{name} contains control characters (U+{ord(ch):04X}); send plain text.")
    return value


def normalize_query(description: str) -> str:
    text = " ".join(check_plain_text("description", description or "").split())
    if not text:
        raise InvalidInput(
            "description is empty: describe the image you are looking for, "
            "e.g. 'calm beach at dusk in pastel colours'"
        )
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description is {len(text):,} characters; at most {MAX_DESCRIPTION:,} are accepted"
        )
    return text


def normalize_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT} (got {limit})")
    return limit


def normalize_hashtags(hashtags: list[str] | None) -> list[str]:
    if len(hashtags or []) > MAX_HASHTAGS:
        raise InvalidInput(f"give at most {MAX_HASHTAGS} hashtags (got {len(hashtags or [])})")
    tags = []
    for raw in hashtags or []:
        tag = check_plain_text("hashtags", raw).strip().lower()
        tag = tag if tag.startswith("#") else f"#{tag}"
        if not HASHTAG.match(tag):
            raise InvalidInput(f"{raw!r} is not a hashtag: use letters and digits, e.g. #beach or #playa")
        tags.append(tag)
    return sorted(set(tags))


def fuse(vector: list[Match], lexical: LexicalAnswer) -> list[tuple[str, float]]:
    """(code, RRF score): images that match a subject word of the query first, then the others, each group
    by score; ties go to the better vector rank, then the code."""
    vector_rank: dict[str, int] = {}
    for match in vector:  # nearest first; an image's rank is that of its closer description
        vector_rank.setdefault(match.code, len(vector_rank) + 1)
    lexical_rank = {m.code: i for i, m in enumerate(lexical.matches, start=1)}
    subject = {m.code for m in lexical.matches if m.subject}
    scores = {code: VECTOR_WEIGHT / (RRF_K + rank) for code, rank in vector_rank.items()}
    for code, rank in lexical_rank.items():
        scores[code] = scores.get(code, 0.0) + LEXICAL_WEIGHT / (RRF_K + rank)
    return sorted(
        scores.items(), key=lambda kv: (kv[0] not in subject, -kv[1], vector_rank.get(kv[0], 10**6), kv[0])
    )


def answer_language(lexical: LexicalAnswer) -> str:
    """The query's language: the one more of its words are stop words of; else the one whose words matched
    best; English when neither says."""
    en, es = lexical.stopwords.get("en", 0), lexical.stopwords.get("es", 0)
    if en != es:
        return "en" if en > es else "es"
    return lexical.matches[0].lang if lexical.matches else "en"


def is_good_match(vector: list[Match], lexical: LexicalAnswer) -> bool:
    if any(m.subject for m in lexical.matches):
        return True
    return bool(vector) and vector[0].score >= SIMILARITY_THRESHOLDS[vector[0].lang]


MESSAGES = {
    "en": {
        "found": "{count} image(s), best first.",
        "none": "No image fits '{query}' well; the collection's closest hashtags are {tags}.",
    },
    "es": {
        "found": "{count} imagen(es), de mejor a peor.",
        "none": "Ninguna imagen encaja bien con '{query}'; los hashtags más cercanos de la colección son {tags}.",
    },
}


class ContentService:
    def __init__(
        self, db: Database, index: VectorIndex, embedder: Embedder, cache: Cache, lexical: LexicalIndex
    ):
        self.db = db
        self.index = index
        self.embedder = embedder
        self.cache = cache
        self.lexical = lexical

    def get_content(
        self, description: str, limit: int = 5, hashtags: list[str] | None = None, language: str | None = None
    ) -> ContentAnswer:
        query, limit, tags = (
            normalize_query(description),
            normalize_limit(limit),
            normalize_hashtags(hashtags),
        )
        if language not in (None, "en", "es"):
            raise InvalidInput(f"language must be 'en' or 'es' (got {language!r})")
        payload = {
            "q": query.lower(),
            "limit": limit,
            "hashtags": tags,
            "language": language,
            "model": self.embedder.model_name,
            "index": self.index.name,
            "ranking": RANKING_RULE,
        }
        # One ping decides: with Redis down the answer is computed without touching it again.
        cache = self.cache if self.cache.available() else Cache(None)
        waited: list[float] = []
        result = cache.get_or_compute(
            "content:search", payload, lambda: self._search(query, limit, tags, language, waited)
        )
        return ContentAnswer.model_validate(
            {
                **result.value,
                "from_cache": result.hit,
                "cache_available": result.key is not None,
                "model_wait_ms": round(sum(waited) * 1000, 1),
            }
        )

    def _search(
        self, query: str, limit: int, tags: list[str], language: str | None, waited: list[float]
    ) -> dict:
        folded_tags = [fold(t) for t in tags]
        try:
            self._check_hashtags(tags, folded_tags)
            wait = getattr(self.embedder, "wait", None)
            waited.append(wait() if wait else 0.0)
            vector = self.embedder.embed([query])[0]
            vector_matches = self.index.search(self.embedder.model_name, vector, CANDIDATES, folded_tags)
            lexical = self.lexical.search(query, folded_tags, CANDIDATES)
            lang = language or answer_language(lexical)
            good = is_good_match(vector_matches, lexical)
            ranked = fuse(vector_matches, lexical)[:limit] if good else []
            docs = {
                d["code"]: d
                for d in self.db.images.find(
                    {"code": {"$in": [code for code, _ in ranked]}},
                    {
                        "_id": 0,
                        "code": 1,
                        "title": 1,
                        "description": 1,
                        "hashtags": 1,
                        "categories": 1,
                        "formats": 1,
                        "translations": 1,
                    },
                )
            }
            closest = (
                []
                if good
                else self.lexical.closest_hashtags(self.embedder.model_name, vector, lang, CLOSEST_HASHTAGS)
            )
        except PyMongoError as exc:
            raise Unavailable(
                f"PromptContent MongoDB is unreachable ({type(exc).__name__}); "
                "nothing was changed, try again when it is back"
            ) from exc
        similarity = {}
        for match in vector_matches:
            similarity.setdefault(match.code, match.score)
        lexical_rank = {m.code: m.rank for m in lexical.matches}
        images = []
        for code, score in ranked:
            doc = docs.get(code)
            if doc is None:
                continue  # an index entry whose image is gone (mid re-seed): never answer with it
            texts = doc.get("translations", {}).get(lang, doc) if lang != "en" else doc
            master = next(f for f in doc["formats"] if f["name"] == "master")
            images.append(
                ImageMatch(
                    rank=len(images) + 1,
                    code=code,
                    score=round(score, 6),
                    similarity=round(similarity.get(code, 0.0), 4),
                    lexical=round(lexical_rank.get(code, 0.0), 4),
                    title=texts["title"],
                    description=texts["description"],
                    hashtags=texts["hashtags"],
                    categories=doc["categories"],
                    width=master["width"],
                    height=master["height"],
                    url=RESOURCE_URI.format(code=code),
                    gridfs_id=str(master["fileId"]),
                )
            )
        words = MESSAGES[lang]
        message = (
            words["found"].format(count=len(images))
            if good
            else words["none"].format(query=query, tags=" ".join(closest))
        )
        return ContentAnswer(
            query=query,
            language=lang,
            hashtags=tags,
            limit=limit,
            count=len(images),
            good_match=good,
            message=message,
            closest_hashtags=closest,
            from_cache=False,
            cache_available=False,
            model_wait_ms=0.0,
            embedding_model=self.embedder.model_name,
            vector_index=self.index.name,
            ranking_rule=RANKING_RULE,
            images=images,
        ).model_dump(mode="json")

    def _check_hashtags(self, tags: list[str], folded: list[str]) -> None:
        if not tags:
            return
        known = set(self.db.images.distinct("hashtags")) | set(
            self.db.images.distinct("translations.es.hashtags")
        )
        known_folded = {fold(t) for t in known}
        unknown = [t for t, f in zip(tags, folded) if f not in known_folded]
        if unknown:
            raise InvalidInput(
                f"unknown hashtag(s) {', '.join(unknown)}; known hashtags: {', '.join(sorted(known))}"
            )
