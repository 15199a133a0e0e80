"""Revoked access tokens (by jti) and revoked login families, each kept until it would
have expired anyway. Redis when configured, otherwise an in-process TTL cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import redis
from cachetools import TLRUCache

MAX_MEMORY_ENTRIES = 100_000


class RevocationStore(Protocol):
    def revoke(self, key: str, ttl_seconds: int) -> None: ...
    def any_revoked(self, *keys: str) -> bool: ...


class RedisRevocations:
    """Shared by every process: one key per revoked id, expiring with the token."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}:revoked:"

    def revoke(self, key: str, ttl_seconds: int) -> None:
        self._client.set(self._prefix + key, b"1", ex=max(1, ttl_seconds))

    def any_revoked(self, *keys: str) -> bool:
        return bool(self._client.exists(*(self._prefix + k for k in keys)))


class MemoryRevocations:
    """Embedded-mode fallback: per-process, so only correct for a single process.

    cachetools' TLRUCache gives per-entry expiry; the lock makes it thread-safe.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._cache: TLRUCache[str, float] = TLRUCache(
            maxsize=MAX_MEMORY_ENTRIES, ttu=lambda _k, expires, _now: expires, timer=clock
        )

    def revoke(self, key: str, ttl_seconds: int) -> None:
        with self._lock:
            self._cache[key] = self._clock() + max(1, ttl_seconds)

    def any_revoked(self, *keys: str) -> bool:
        with self._lock:
            return any(k in self._cache for k in keys)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
