"""Counting requests against the rate-limit table with `limits`' moving window.

Storage: Redis (shared by every process; `RATE_LIMIT_STORAGE_URL`, default `REDIS_URL`)
or in-process memory. The request path is async and costs one Redis round trip: the
window's hit and its stats go in one pipeline (`_RedisBackend.hit`). A dead Redis must not
slow every request: short socket timeouts, no client retries, and after a failure the
storage is left alone for `RATE_LIMIT_RETRY_SECONDS` (requests pass, or get 503 when
failing closed). `/health` pings it, so it also notices when Redis comes back.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, cast

import redis
import redis.asyncio
import structlog
from limits import RateLimitItem
from limits.aio.storage import RedisStorage as AsyncRedisStorage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.exceptions import NoScriptError
from redis.retry import Retry

log = structlog.get_logger(__name__)

STORAGE_ERRORS = (redis.RedisError, OSError, TimeoutError, StorageError)
# While the storage stays down, the warning is repeated at most this often.
WARN_EVERY_S = 60.0


@dataclass(frozen=True)
class Limit:
    """One tier's limit on one operation, and the bucket its hits count in."""

    item: RateLimitItem
    bucket: str  # `op:<operationId>` or `tag:<name>`


@dataclass(frozen=True)
class RateLimitTable:
    """operationId -> tier -> Limit. A tier (or operation) absent here is not limited."""

    by_operation: Mapping[str, Mapping[str, Limit]]

    def limit_for(self, operation_id: str, tier: str) -> Limit | None:
        tiers = self.by_operation.get(operation_id)
        return tiers.get(tier) if tiers is not None else None

    def limits(self) -> set[Limit]:
        """Every (item, bucket) pair in use: what `flask ratelimit reset` clears."""
        return {limit for tiers in self.by_operation.values() for limit in tiers.values()}


@dataclass(frozen=True)
class Decision:
    """One hit's outcome: what the X-RateLimit-* headers (and Retry-After) say."""

    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the oldest counted request leaves the window


def _decision(item: RateLimitItem, allowed: bool, count: int, oldest: float) -> Decision:
    reset = max(0, math.ceil(oldest + item.get_expiry() - time.time()))
    return Decision(allowed, item.amount, max(0, item.amount - count), reset)


class _Backend(Protocol):
    shared: bool

    async def hit(self, item: RateLimitItem, bucket: str, key: str) -> Decision: ...
    def clear(self, limits_: set[Limit], key: str) -> None: ...
    def ping(self) -> None: ...
    def reset(self) -> None: ...
    def close(self) -> None: ...


class MemoryBackend:
    """Counters in this process. `limits`' MemoryStorage makes its per-key locks lazily
    (racy across threads, see app/auth/login_throttle.py), so one lock serialises every access;
    a hit is microseconds of CPU, fine on the event loop."""

    shared = False

    def __init__(self) -> None:
        self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._lock = threading.Lock()

    async def hit(self, item: RateLimitItem, bucket: str, key: str) -> Decision:
        with self._lock:
            allowed = self._limiter.hit(item, bucket, key)
            oldest, count = self._storage.get_moving_window(
                item.key_for(bucket, key), item.amount, item.get_expiry()
            )
        return _decision(item, allowed, count, oldest)

    def clear(self, limits_: set[Limit], key: str) -> None:
        with self._lock:
            for limit in limits_:
                self._limiter.clear(limit.item, limit.bucket, key)

    def ping(self) -> None:
        return None

    def reset(self) -> None:
        with self._lock:
            self._storage.reset()

    def close(self) -> None:
        return None


class RedisBackend:
    """Redis through `limits`: an async storage per event loop for the request path (a
    loop's connections die with it; tests run several loops), a sync client for `/health`
    and the CLI."""

    shared = True

    def __init__(self, url: str, *, key_prefix: str, timeout: float) -> None:
        self._url = url
        self._prefix = key_prefix
        self._timeout = timeout
        self._sync = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        self._sync_storage = RedisStorage(
            "redis://", connection_pool=self._sync.connection_pool, key_prefix=key_prefix
        )
        self._sync_limiter = MovingWindowRateLimiter(self._sync_storage)
        self._by_loop: dict[asyncio.AbstractEventLoop, AsyncRedisStorage] = {}
        self._lock = threading.Lock()

    def _storage(self) -> AsyncRedisStorage:
        loop = asyncio.get_running_loop()
        with self._lock:
            storage = self._by_loop.get(loop)
            if storage is None:
                # Forget loops that have ended (their connections died with them).
                for ended in [known for known in self._by_loop if known.is_closed()]:
                    del self._by_loop[ended]
                storage = self._by_loop[loop] = AsyncRedisStorage(
                    f"async+{self._url}",
                    implementation="redispy",
                    key_prefix=self._prefix,
                    socket_timeout=self._timeout,
                    socket_connect_timeout=self._timeout,
                    retry=AsyncRetry(NoBackoff(), 0),  # type: ignore[arg-type]
                )
            return storage

    async def hit(self, item: RateLimitItem, bucket: str, key: str) -> Decision:
        """`limits`' own moving-window scripts (acquire, then read the window) sent in one
        pipeline: `MovingWindowRateLimiter.hit` + `get_window_stats` would be two round
        trips. The arguments are those `limits`' redis-py bridge passes (pinned version;
        tests/service/test_rate_limiter.py compares the result with `limits`' own API)."""
        bridge = cast(RedispyBridge, self._storage().bridge)  # implementation="redispy"
        name = bridge.prefixed_key(item.key_for(bucket, key))
        acquire, window = bridge.lua_acquire_moving_window, bridge.lua_moving_window
        expiry, now = item.get_expiry(), time.time()
        client = cast(redis.asyncio.Redis, bridge.get_connection())
        for attempt in (1, 2):
            pipe = client.pipeline(transaction=False)
            pipe.evalsha(acquire.sha, 1, name, now, item.amount, expiry, 1)
            pipe.evalsha(window.sha, 1, name, now - expiry, item.amount)
            try:
                acquired, stats = await pipe.execute()
                break
            except NoScriptError:  # a restarted or flushed Redis forgot the scripts
                if attempt == 2:
                    raise
                await client.script_load(acquire.script)
                await client.script_load(window.script)
        oldest, count = (float(stats[0]), int(stats[1])) if stats else (now, 0)
        return _decision(item, bool(acquired), count, oldest)

    def clear(self, limits_: set[Limit], key: str) -> None:
        for limit in limits_:
            self._sync_limiter.clear(limit.item, limit.bucket, key)

    def ping(self) -> None:
        self._sync.ping()

    def reset(self) -> None:
        self._sync_storage.reset()

    def close(self) -> None:
        self._sync.close()  # the per-loop async clients close with their loops


Outcome = Decision | None  # None: the storage is unavailable, nothing was counted


class RateLimiter:
    """The table plus a backend; remembers when the backend failed (for the back-off, the
    log and `/health`)."""

    def __init__(
        self,
        table: RateLimitTable,
        backend: _Backend,
        *,
        enabled: bool,
        fail_open: bool,
        retry_seconds: float,
    ) -> None:
        self.table = table
        self.enabled = enabled
        self.fail_open = fail_open
        self.retry_seconds = retry_seconds
        self._backend = backend
        self._down_until = 0.0  # monotonic; storage skipped until then
        self._down_since: float | None = None
        self._warned_at = -math.inf

    @property
    def shared(self) -> bool:
        """True when counters live in Redis, where the CLI can reach them."""
        return self._backend.shared

    def limit_for(self, operation_id: str, tier: str) -> Limit | None:
        return self.table.limit_for(operation_id, tier) if self.enabled else None

    async def hit(self, limit: Limit, key: str) -> Outcome:
        """Count one request of `key` in `limit`'s bucket."""
        if time.monotonic() < self._down_until:
            return None
        try:
            decision = await self._backend.hit(limit.item, limit.bucket, key)
        except STORAGE_ERRORS as exc:
            self._failed(exc)
            return None
        self._recovered()
        return decision

    def health(self) -> tuple[Literal["up", "down", "not_configured"], str]:
        """Ping the storage (a success ends the back-off at once); status and a detail."""
        if not self.enabled:
            return "not_configured", "RATE_LIMIT_ENABLED is false"
        where = "Redis" if self.shared else "in-process memory (per process)"
        try:
            self._backend.ping()
        except STORAGE_ERRORS as exc:
            self._failed(exc)
            mode = "fail-open: not limiting" if self.fail_open else "fail-closed: answering 503"
            return "down", f"{where} unreachable ({type(exc).__name__}); {mode}"
        self._recovered()
        return "up", where

    def reset_key(self, key: str) -> None:
        """Forget `key`'s counters in every bucket (operators: `flask ratelimit reset`)."""
        self._backend.clear(self.table.limits(), key)

    def reset(self) -> None:
        """Forget every counter (tests)."""
        self._backend.reset()
        self._down_until, self._down_since = 0.0, None

    def close(self) -> None:
        self._backend.close()

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until = now + self.retry_seconds
        if self._down_since is None:
            self._down_since = now
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning(
                "rate_limit_storage_down",
                error=type(exc).__name__,
                fail_open=self.fail_open,
                retry_in_s=self.retry_seconds,
            )

    def _recovered(self) -> None:
        if self._down_since is not None:
            self._down_since, self._down_until, self._warned_at = None, 0.0, -math.inf
            log.warning("rate_limit_storage_recovered")
