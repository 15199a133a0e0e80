"""A read-through cache of JSON values: Redis when configured, else in-process.

`get_or_set(key, produce)` returns the cached value or stores what `produce()` returns
(`None` is never stored); `invalidate(*patterns)` drops keys by glob pattern. Callers build
keys from their own constants and integers or digests, never from raw client input.

Redis trouble never fails a request: a read error is a miss, a write error is skipped, and
an invalidation error is logged (entries then expire within the TTL). As with any
read-through cache, a read that started before a write may store what it read just after
the write's invalidation; the TTL (`CACHE_TTL_SECONDS`) bounds how long. The in-process cache
is per process: with several workers and no Redis, a write in one worker does not reach the
others' caches, so run one worker in the embedded mode (the default) or configure Redis.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections.abc import Callable
from typing import Any, Protocol, cast

import redis
import structlog
from cachetools import TTLCache

log = structlog.get_logger(__name__)

Produce = Callable[[], Any]


class Cache(Protocol):
    def get_or_set(self, key: str, produce: Produce) -> Any: ...

    def invalidate(self, *patterns: str) -> None: ...


class RedisCache:
    """Values as compact JSON under `<prefix>:cache:<key>`, with a TTL."""

    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int) -> None:
        self._client = client
        self._prefix = f"{prefix}:cache:"
        self._ttl = ttl_seconds

    def get_or_set(self, key: str, produce: Produce) -> Any:
        full = self._prefix + key
        try:
            raw = cast("bytes | None", self._client.get(full))
        except redis.RedisError as exc:
            log.warning("cache_unavailable", op="get", error=type(exc).__name__)
            return produce()
        if raw is not None:
            return json.loads(raw)
        value = produce()
        if value is not None:
            try:
                self._client.set(full, json.dumps(value, separators=(",", ":")), ex=self._ttl)
            except redis.RedisError as exc:
                log.warning("cache_unavailable", op="set", error=type(exc).__name__)
        return value

    def invalidate(self, *patterns: str) -> None:
        try:
            for pattern in patterns:
                keys = list(self._client.scan_iter(match=self._prefix + pattern, count=500))
                for start in range(0, len(keys), 500):
                    self._client.unlink(*keys[start : start + 500])
        except redis.RedisError as exc:
            log.warning("cache_invalidation_failed", error=type(exc).__name__, patterns=patterns)


class MemoryCache:
    """The embedded mode's cache: a bounded TTL map (cachetools) behind a lock; values are
    stored as JSON text so callers never share (and mutate) one object."""

    def __init__(self, ttl_seconds: int, max_entries: int = 10_000) -> None:
        self._entries: TTLCache[str, str] = TTLCache(maxsize=max_entries, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def get_or_set(self, key: str, produce: Produce) -> Any:
        with self._lock:
            raw = self._entries.get(key)
        if raw is not None:
            return json.loads(raw)
        value = produce()
        if value is not None:
            with self._lock:
                self._entries[key] = json.dumps(value, separators=(",", ":"))
        return value

    def invalidate(self, *patterns: str) -> None:
        with self._lock:
            doomed = [k for k in self._entries if any(fnmatch.fnmatchcase(k, p) for p in patterns)]
            for key in doomed:
                self._entries.pop(key, None)


def make_cache(client: redis.Redis | None, prefix: str, ttl_seconds: int) -> Cache:
    if client is None:
        return MemoryCache(ttl_seconds)
    return RedisCache(client, prefix, ttl_seconds)
