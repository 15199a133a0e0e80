"""A read-through cache of JSON values: Redis when configured, else in-process.

`get_or_set(key, produce)` returns the cached value or stores what `produce()` returns
(`None` is never stored), counting hits and misses per cache (the key's first segment:
`cache_hits_total{cache}`, `cache_misses_total{cache}`); `invalidate(*patterns)` drops
keys by glob pattern. Callers build keys from their own constants and integers or
digests, never from raw client input.

Redis trouble never fails a request: a read error is a miss, a write error is skipped, and
an invalidation error is logged (entries then expire within the TTL). As with any
read-through cache, a read that started before a write may store what it read just after
the write's invalidation; the TTL (`CACHE_TTL_SECONDS`) bounds how long. The in-process cache
is per process: with several workers and no Redis, a write in one worker does not reach the
others' caches, so run one worker in the embedded mode (the default) or configure Redis.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, cast

import redis
import structlog
from cachetools import TTLCache

from app.infra.metrics import count_cache

log = structlog.get_logger(__name__)

Produce = Callable[[], Any]


class Cache(Protocol):
    def get_or_set(self, key: str, produce: Produce) -> Any: ...

    def invalidate(self, *patterns: str) -> None: ...

    def peek(self, key: str) -> Any:
        """The cached value or None (a read error is None too); counts nothing."""
        ...

    def put(self, key: str, value: Any) -> None:
        """Store `value` (not None); a write error is skipped."""
        ...


class RedisCache:
    """Values as compact JSON under `<prefix>:cache:<key>`, with a TTL.

    Invalidation never scans the keyspace: each stored key is also recorded in a sorted set
    per `:`-ending prefix of it (`items:`, `items:list:`, `items:list:owner:7:`; score = its
    expiry, members past it trimmed on every add), so `invalidate("items:list:owner:7:*")`
    unlinks exactly the keys recorded under that prefix. Patterns of another shape (a `*`
    anywhere but at the end after a `:`) fall back to SCAN.
    """

    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int) -> None:
        self._client = client
        self._prefix = f"{prefix}:cache:"
        self._index = f"{prefix}:cache-index:"
        self._ttl = ttl_seconds

    def get_or_set(self, key: str, produce: Produce) -> Any:
        found = self.peek(key)
        count_cache(key, hit=found is not None)
        if found is not None:
            return found
        value = produce()
        self.put(key, value)
        return value

    def peek(self, key: str) -> Any:
        try:
            raw = cast("bytes | None", self._client.get(self._prefix + key))
        except redis.RedisError as exc:
            log.warning("cache_unavailable", op="get", error=type(exc).__name__)
            return None
        return json.loads(raw) if raw is not None else None

    def put(self, key: str, value: Any) -> None:
        if value is not None:
            self._store(key, json.dumps(value, separators=(",", ":")))

    def _store(self, key: str, raw: str) -> None:
        now = time.time()
        try:
            pipe = self._client.pipeline(transaction=False)
            pipe.set(self._prefix + key, raw, ex=self._ttl)
            for prefix in _prefixes(key):
                index = self._index + prefix
                pipe.zadd(index, {key: now + self._ttl})
                pipe.zremrangebyscore(index, "-inf", now)
                pipe.expire(index, self._ttl + 1)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("cache_unavailable", op="set", error=type(exc).__name__)

    def invalidate(self, *patterns: str) -> None:
        """Two round trips whatever the patterns (one to read the indexes, one to unlink),
        plus a SCAN for patterns that are not exact keys or `prefix:*`."""
        exact = [p for p in patterns if not any(c in p for c in "*?[")]
        prefixes = [p[:-1] for p in patterns if p not in exact and _is_prefix_pattern(p)]
        others = [p for p in patterns if p not in exact and not _is_prefix_pattern(p)]
        try:
            doomed: list[bytes | str] = [self._prefix + key for key in exact]
            if prefixes:
                pipe = self._client.pipeline(transaction=False)
                for prefix in prefixes:
                    pipe.zrange(self._index + prefix, 0, -1)
                cached_prefix = self._prefix.encode()
                for members in pipe.execute():
                    doomed.extend(cached_prefix + m for m in members)
                doomed.extend(self._index + prefix for prefix in prefixes)
            for pattern in others:
                doomed.extend(self._client.scan_iter(match=self._prefix + pattern, count=500))
            for start in range(0, len(doomed), 500):
                self._client.unlink(*doomed[start : start + 500])
        except redis.RedisError as exc:
            log.warning("cache_invalidation_failed", error=type(exc).__name__, patterns=patterns)


def _prefixes(key: str) -> list[str]:
    """Every `:`-ending prefix of a key, the empty one included (for `*`)."""
    return [""] + [key[: i + 1] for i, ch in enumerate(key) if ch == ":"]


def _is_prefix_pattern(pattern: str) -> bool:
    head = pattern[:-1]
    return (
        pattern.endswith("*")
        and (head == "" or head.endswith(":"))
        and not any(c in head for c in "*?[")
    )


class MemoryCache:
    """The embedded mode's cache: a bounded TTL map (cachetools) behind a lock; values are
    stored as JSON text so callers never share (and mutate) one object."""

    def __init__(self, ttl_seconds: int, max_entries: int = 10_000) -> None:
        self._entries: TTLCache[str, str] = TTLCache(maxsize=max_entries, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def get_or_set(self, key: str, produce: Produce) -> Any:
        found = self.peek(key)
        count_cache(key, hit=found is not None)
        if found is not None:
            return found
        value = produce()
        self.put(key, value)
        return value

    def peek(self, key: str) -> Any:
        with self._lock:
            raw = self._entries.get(key)
        return json.loads(raw) if raw is not None else None

    def put(self, key: str, value: Any) -> None:
        if value is not None:
            raw = json.dumps(value, separators=(",", ":"))
            with self._lock:
                self._entries[key] = raw

    def invalidate(self, *patterns: str) -> None:
        with self._lock:
            doomed = [k for k in self._entries if any(fnmatch.fnmatchcase(k, p) for p in patterns)]
            for key in doomed:
                self._entries.pop(key, None)


class NoCache:
    """`CACHE_TTL_SECONDS=0`: every read goes to the database."""

    def get_or_set(self, key: str, produce: Produce) -> Any:
        return produce()

    def invalidate(self, *patterns: str) -> None:
        return None

    def peek(self, key: str) -> Any:
        return None

    def put(self, key: str, value: Any) -> None:
        return None


def key_digest(*parts: Any) -> str:
    """A short, stable digest of a query's parameters (datetimes as ISO text), for keys."""
    normal = [p.isoformat() if isinstance(p, datetime) else p for p in parts]
    return hashlib.sha256(json.dumps(normal, default=str).encode()).hexdigest()[:32]


def make_cache(
    client: redis.Redis | None, prefix: str, ttl_seconds: int, *, max_entries: int = 10_000
) -> Cache:
    """Redis when configured, else an in-process map of at most `max_entries`; TTL 0: none."""
    if ttl_seconds == 0:
        return NoCache()
    if client is None:
        return MemoryCache(ttl_seconds, max_entries)
    return RedisCache(client, prefix, ttl_seconds)
