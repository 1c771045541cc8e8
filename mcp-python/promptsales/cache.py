"""The Redis cache (C3, RD1): one key scheme, TTLs per kind, and answers that still work without Redis.

Key scheme: ``{prefix}:{kind}:v{version}:{sha256(canonical JSON of the inputs)[:32]}``

- ``prefix`` is REDIS_KEY_PREFIX (default ``ps``), so several deployments can share one Redis;
- ``kind`` names what is cached (``content:search``, ``llm:chat``, ``sales:query``, ``n8n:webhook`` ...)
  and picks the TTL from ``TTL_SECONDS``;
- ``version`` is a data version: kinds whose family (the part before the first ``:``) is in
  ``VERSIONED_FAMILIES`` read a counter key ``{prefix}:dataver:{family}`` that a writer bumps (the ETL
  bumps ``sales`` after it changes summaries), so every older entry stops being read at once and expires
  on its own TTL;
- the hash is over the canonical JSON of the inputs, so the same question in another key order hits.

If Redis is down or slow, `get` misses and `set` does nothing: callers answer uncached and say so.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import redis
from pydantic_core import from_json

log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds each kind of entry lives. Short for data that changes, long for what is expensive to make.
TTL_SECONDS: dict[str, int] = {
    "content:search": 15 * 60,  # getContent answers; images change only on a re-seed
    "content:embedding": 24 * 3600,  # query embeddings: same text, same vector
    "llm:chat": 7 * 24 * 3600,  # LLM completions: same prompt + model -> same answer, saves tokens
    "n8n:webhook": 10 * 60,  # webhook results that are safe to reuse
    "sales:query": 11 * 60,  # analytics answers; the ETL's data version invalidates them sooner
    "sales:chart": 11 * 60,  # the PNG chart of a sales answer, under the same hash and data version
    "canva:oauth-state": 10 * 60,  # one-time OAuth2 state + PKCE verifier
}
DEFAULT_TTL_SECONDS = 5 * 60
# Families whose entries carry a data version the writer bumps.
VERSIONED_FAMILIES = {"sales", "content"}
# A versioned lookup in one round trip: the family's data version, then the entries under it, each given as
# a pair of arguments (key head up to the version, key tail after it). (The keys are built inside the
# script, so this assumes one Redis, not a Redis Cluster, as every deployment here has.) Returns
# {version, entry or false, ...}.
VERSIONED_GET = """
local version = redis.call('GET', KEYS[1]) or '0'
local found = {version}
for i = 1, #ARGV, 2 do
  found[#found + 1] = redis.call('GET', ARGV[i] .. version .. ':' .. ARGV[i + 1])
end
return found
"""


def canonical_hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class CacheResult:
    value: Any
    hit: bool
    key: str | None  # None when Redis was unavailable
    text: str | None = None  # the value as the JSON text stored (None when Redis was unavailable)


class Cache:
    def __init__(self, client: redis.Redis | None, prefix: str = "ps"):
        self.client = client
        self.prefix = prefix
        self._versioned_get = client.register_script(VERSIONED_GET) if client is not None else None

    # -- keys ---------------------------------------------------------------------------------------------
    def _version_key(self, family: str) -> str:
        return f"{self.prefix}:dataver:{family}"

    def data_version(self, family: str) -> int:
        if self.client is None:
            return 0
        try:
            return int(self.client.get(self._version_key(family)) or 0)
        except redis.RedisError as exc:
            log.warning("redis unavailable reading data version: %s", exc)
            return 0

    def bump_data_version(self, family: str) -> int:
        """Invalidate every cached answer of a family (called by writers such as the ETL)."""
        if self.client is None:
            return 0
        try:
            return int(self.client.incr(self._version_key(family)))
        except redis.RedisError as exc:
            log.warning("redis unavailable bumping data version: %s", exc)
            return 0

    def key(self, kind: str, payload: Any) -> str:
        family = kind.split(":", 1)[0]
        version = self.data_version(family) if family in VERSIONED_FAMILIES else 0
        return f"{self.prefix}:{kind}:v{version}:{canonical_hash(payload)}"

    # -- values -------------------------------------------------------------------------------------------
    def get(self, key: str) -> Any | None:
        if self.client is None:
            return None
        try:
            raw = self.client.get(key)
        except redis.RedisError as exc:
            log.warning("redis unavailable, answering uncached: %s", exc)
            return None
        return None if raw is None else json.loads(raw)

    def set(self, key: str, kind: str, value: Any, ttl: int | None = None) -> None:
        if self.client is None:
            return
        try:
            self.client.set(
                key, json.dumps(value, default=str), ex=ttl or TTL_SECONDS.get(kind, DEFAULT_TTL_SECONDS)
            )
        except redis.RedisError as exc:
            log.warning("redis unavailable, not caching: %s", exc)

    def _lookup(self, kind: str, payload: Any) -> tuple[str | None, bytes | None]:
        """The key for these inputs and its cached bytes: one round trip (a versioned kind reads its data
        version and the entry in one script). (None, None) when Redis is unavailable."""
        if self.client is None:
            return None, None
        family, digest = kind.split(":", 1)[0], canonical_hash(payload)
        if family in VERSIONED_FAMILIES:
            found = self.lookup_together([(kind, digest)])
            return found[0] if found else (None, None)
        key = f"{self.prefix}:{kind}:v0:{digest}"
        try:
            return key, self.client.get(key)
        except redis.RedisError as exc:
            log.warning("redis unavailable, answering uncached: %s", exc)
            return None, None

    def lookup_together(self, entries: list[tuple[str, str]]) -> list[tuple[str, bytes | None]] | None:
        """Entries of one versioned family read under the same data version in one round trip, each given as
        (kind, key tail: the inputs' hash, maybe with a suffix), so an answer and what is derived from it
        (a sales answer and its chart) are always of the same data. Their keys and cached bytes, or None
        when Redis is unavailable."""
        if self.client is None:
            return None
        families = {kind.split(":", 1)[0] for kind, _ in entries}
        if len(families) != 1 or not families <= VERSIONED_FAMILIES:
            raise ValueError(f"lookup_together reads entries of one versioned family, not {sorted(families)}")
        family = families.pop()
        args = [part for kind, tail in entries for part in (f"{self.prefix}:{kind}:v", tail)]
        try:
            version, *found = self._versioned_get(keys=[self._version_key(family)], args=args)
        except redis.RedisError as exc:
            log.warning("redis unavailable, answering uncached: %s", exc)
            return None
        return [
            (f"{self.prefix}:{kind}:v{int(version)}:{tail}", raw or None)
            for (kind, tail), raw in zip(entries, found)
        ]

    def set_together(self, entries: list[tuple[str, str, str]]) -> bool:
        """Store (key, kind, text) entries in one round trip, each with its kind's TTL; False if Redis failed."""
        if self.client is None:
            return False
        pipeline = self.client.pipeline(transaction=False)
        for key, kind, text in entries:
            pipeline.set(key, text, ex=TTL_SECONDS.get(kind, DEFAULT_TTL_SECONDS))
        try:
            pipeline.execute()
        except redis.RedisError as exc:
            log.warning("redis unavailable, not caching: %s", exc)
            return False
        return True

    def get_or_compute(
        self, kind: str, payload: Any, compute: Callable[[], T], ttl: int | None = None, store: bool = True
    ) -> CacheResult:
        """The cached JSON value for these inputs, or compute it (JSON-serializable) and cache it
        (store=False: do not cache what was computed)."""
        key, raw = self._lookup(kind, payload)
        if raw is not None:
            return CacheResult(from_json(raw), True, key, raw.decode() if isinstance(raw, bytes) else raw)
        value = compute()
        if key is None or not store:
            return CacheResult(value, False, None)
        text = json.dumps(value, default=str)
        try:
            self.client.set(key, text, ex=ttl or TTL_SECONDS.get(kind, DEFAULT_TTL_SECONDS))
        except redis.RedisError as exc:
            log.warning("redis unavailable, not caching: %s", exc)
            return CacheResult(value, False, None)
        return CacheResult(value, False, key, text)

    def available(self) -> bool:
        if self.client is None:
            return False
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False
