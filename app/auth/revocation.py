"""Revocation notices, each kept until what it revokes would have expired anyway: access
tokens (`jti:`), login families (`fam:`), the session stamps of accounts whose sessions
ended (`sst:`) and API keys (`key:<prefix>`, for as long as a key's owner may be cached).
Redis when configured, otherwise an in-process TTL cache.

`any_revoked_async` serves the rate limiter on the event loop (it keys a caller by its
principal only when the credential is not revoked), so Redis is read with an async client
there instead of blocking the loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import redis
import redis.asyncio
from cachetools import TLRUCache

from app.infra.loop_local import LoopLocal

MAX_MEMORY_ENTRIES = 100_000


class RevocationStore(Protocol):
    def revoke(self, key: str, ttl_seconds: int) -> None: ...
    def any_revoked(self, *keys: str) -> bool: ...
    async def any_revoked_async(self, *keys: str) -> bool: ...


class RedisRevocations:
    """Shared by every process: one key per revoked id, expiring with the token. The async
    reads use a client per event loop (`async_client` makes one)."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str,
        *,
        async_client: Callable[[], redis.asyncio.Redis],
    ) -> None:
        self._client = client
        self._async = LoopLocal(async_client)
        self._prefix = f"{prefix}:revoked:"

    def revoke(self, key: str, ttl_seconds: int) -> None:
        self._client.set(self._prefix + key, b"1", ex=max(1, ttl_seconds))

    def any_revoked(self, *keys: str) -> bool:
        return bool(self._client.exists(*(self._prefix + k for k in keys)))

    async def any_revoked_async(self, *keys: str) -> bool:
        return bool(await self._async.get().exists(*(self._prefix + k for k in keys)))


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

    async def any_revoked_async(self, *keys: str) -> bool:
        return self.any_revoked(*keys)  # a dict lookup: fine on the event loop

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
