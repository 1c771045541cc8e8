"""getContent: check the inputs, answer from Redis when it can, otherwise embed, search the index and
read the image documents from MongoDB (the source of truth for descriptions and hashtags)."""

from __future__ import annotations

import re

from pymongo.database import Database
from pymongo.errors import PyMongoError

from promptsales.cache import Cache
from promptsales.content.embeddings import Embedder
from promptsales.content.models import MAX_DESCRIPTION, MAX_LIMIT, ContentAnswer, ImageMatch
from promptsales.content.vector_index import VectorIndex

HASHTAG = re.compile(r"^#[a-z0-9]+$")
RESOURCE_URI = "promptcontent://images/{code}.png"


class ContentInputError(ValueError):
    """The request cannot be answered as asked; the message says how to fix it."""


class ContentUnavailable(RuntimeError):
    """A database the answer needs is down; nothing was changed."""


def normalize_query(description: str) -> str:
    text = " ".join((description or "").split())
    if not text:
        raise ContentInputError("description is empty: describe the image you are looking for, "
                                "e.g. 'calm beach at dusk in pastel colours'")
    if len(text) > MAX_DESCRIPTION:
        raise ContentInputError(f"description is {len(text):,} characters; at most {MAX_DESCRIPTION:,} are accepted")
    return text


def normalize_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ContentInputError(f"limit must be between 1 and {MAX_LIMIT} (got {limit})")
    return limit


def normalize_hashtags(hashtags: list[str] | None) -> list[str]:
    tags = []
    for raw in hashtags or []:
        tag = raw.strip().lower()
        tag = tag if tag.startswith("#") else f"#{tag}"
        if not HASHTAG.match(tag):
            raise ContentInputError(f"{raw!r} is not a hashtag: use letters and digits, e.g. #beach")
        tags.append(tag)
    return sorted(set(tags))


class ContentService:
    def __init__(self, db: Database, index: VectorIndex, embedder: Embedder, cache: Cache):
        self.db = db
        self.index = index
        self.embedder = embedder
        self.cache = cache

    def get_content(self, description: str, limit: int = 5, hashtags: list[str] | None = None) -> ContentAnswer:
        query, limit, tags = normalize_query(description), normalize_limit(limit), normalize_hashtags(hashtags)
        payload = {"q": query.lower(), "limit": limit, "hashtags": tags, "model": self.embedder.model_name,
                   "index": self.index.name}
        # One ping decides: with Redis down the answer is computed without touching it again.
        cache = self.cache if self.cache.available() else Cache(None)
        result = cache.get_or_compute("content:search", payload, lambda: self._search(query, limit, tags))
        answer = ContentAnswer.model_validate({**result.value, "from_cache": result.hit,
                                               "cache_available": result.key is not None})
        return answer

    def _search(self, query: str, limit: int, tags: list[str]) -> dict:
        try:
            unknown = [t for t in tags if self.db.images.count_documents({"hashtags": t}, limit=1) == 0]
            if unknown:
                known = sorted(self.db.images.distinct("hashtags"))
                raise ContentInputError(f"unknown hashtag(s) {', '.join(unknown)}; known hashtags: {', '.join(known)}")
            vector = self.embedder.embed([query])[0]
            matches = self.index.search(self.embedder.model_name, vector, limit, tags)
            docs = {d["code"]: d for d in self.db.images.find(
                {"code": {"$in": [m.code for m in matches]}},
                {"_id": 0, "code": 1, "title": 1, "description": 1, "hashtags": 1, "categories": 1, "formats": 1})}
        except PyMongoError as exc:
            raise ContentUnavailable(f"PromptContent MongoDB is unreachable ({type(exc).__name__}); "
                                     "nothing was changed, try again when it is back") from exc
        images = []
        for match in matches:
            doc = docs.get(match.code)
            if doc is None:
                continue  # an index entry whose image is gone (mid re-seed): never answer with it
            master = next(f for f in doc["formats"] if f["name"] == "master")
            images.append(ImageMatch(rank=len(images) + 1, code=doc["code"], score=round(match.score, 4),
                                     title=doc["title"], description=doc["description"], hashtags=doc["hashtags"],
                                     categories=doc["categories"], width=master["width"], height=master["height"],
                                     url=RESOURCE_URI.format(code=doc["code"]), gridfs_id=str(master["fileId"])))
        return ContentAnswer(query=query, hashtags=tags, limit=limit, count=len(images), from_cache=False,
                             cache_available=False, embedding_model=self.embedder.model_name,
                             vector_index=self.index.name, images=images).model_dump(mode="json")
