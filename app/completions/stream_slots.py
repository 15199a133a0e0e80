"""Bounds on open answer streams (`POST /ai/completions/stream`): per process and per user.

Per process (`AI_STREAM_MAX_OPEN`, 503 `stream_capacity_reached`): what one process's file
descriptors and memory allow. Per user (`AI_STREAM_MAX_OPEN_PER_USER`, 429
`too_many_streams`): so that a few callers cannot take every slot of a process.

The per-user count is shared by every process through Redis when it is configured: a
sorted set per user whose members are open streams, scored by a lease's expiry. A stream
renews its lease while it runs and removes it when it ends, however it ends; a process
that is killed leaves leases that lapse after `LEASE_SECONDS` (the TTL safety net), so a
crash never holds a user's slots for longer than that. Without Redis, or while Redis is
unreachable, the count is this process's own (a warning is logged).

Hand-written because no maintained library offers a Redis semaphore with leases (the
`limits` package counts requests in windows, not concurrent holders): three short Lua
scripts, each atomic.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import cast

import anyio
import anyio.to_thread
import redis
import structlog

from app.errors import DomainError
from app.infra.metrics import SSE_STREAMS_OPEN

log = structlog.get_logger(__name__)

# A stream's lease in Redis; renewed every third of it while the stream is open.
LEASE_SECONDS = 60.0
RETRY_AFTER_SECONDS = 1

# Drop lapsed leases, then add ours if fewer than the limit are held. Redis' own clock
# scores the leases, so the processes' clocks need not agree.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""


class StreamCapacityError(DomainError):
    code = "stream_capacity_reached"


class TooManyStreamsError(DomainError):
    code = "too_many_streams"


class StreamSlots:
    """How many streams this process holds open, bounded by `AI_STREAM_MAX_OPEN` (one
    per process, built at startup; read by health, and mirrored in `sse_streams_open`)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()

    @property
    def open(self) -> int:
        return self._open

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._lock:
            if self._open >= self.limit:
                raise StreamCapacityError(
                    f"This instance already holds {self.limit} open streams; retry shortly.",
                    retry_after=RETRY_AFTER_SECONDS,
                )
            self._open += 1
        SSE_STREAMS_OPEN.inc()
        try:
            yield
        finally:
            SSE_STREAMS_OPEN.dec()
            with self._lock:
                self._open -= 1


class UserStreamSlots:
    """Open streams per user, bounded by `AI_STREAM_MAX_OPEN_PER_USER` (0: unbounded).

    With Redis, one daemon thread per process renews the leases of the streams this
    process holds (one pipeline every third of a lease, however many streams are open);
    it starts with the first shared slot and stops at `close`."""

    def __init__(
        self,
        limit: int,
        client: redis.Redis | None,
        key_prefix: str,
        *,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.limit = limit
        self._client = client
        self._prefix = f"{key_prefix}:streams:user:"
        self._lease_ms = int(lease_seconds * 1000)
        self._local: Counter[int] = Counter()  # slots counted here (no Redis, or it failed)
        self._leases: set[tuple[str, str]] = set()  # (key, member) held in Redis
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        self._acquire = client.register_script(_ACQUIRE) if client is not None else None
        self._renew = client.register_script(_RENEW) if client is not None else None

    def held(self, user_id: int) -> int:
        """The user's open streams (every process's, with Redis; lapsed leases excluded)."""
        with self._lock:
            local = self._local[user_id]
        if self._client is None:
            return local
        now_s, now_us = cast("tuple[int, int]", self._client.time())
        live_from = now_s * 1000 + now_us // 1000 + 1
        return (
            cast("int", self._client.zcount(self._prefix + str(user_id), live_from, "+inf")) + local
        )

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        """One of the user's slots for the block, released however the block ends (done,
        error, the client leaving, shutdown); raises `TooManyStreamsError` past the limit."""
        if self.limit <= 0:
            yield
            return
        member = uuid.uuid4().hex
        shared = await anyio.to_thread.run_sync(self._take, user_id, member)
        try:
            yield
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._give_back, user_id, member, shared)

    def close(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)

    def _refuse(self) -> TooManyStreamsError:
        return TooManyStreamsError(
            f"You already hold {self.limit} open streams; close one or retry shortly.",
            retry_after=RETRY_AFTER_SECONDS,
        )

    def _take(self, user_id: int, member: str) -> bool:
        """Take a slot: True in Redis (shared), False in this process."""
        if self._acquire is not None:
            key = self._prefix + str(user_id)
            try:
                taken = self._acquire(keys=[key], args=[self.limit, self._lease_ms, member])
            except redis.RedisError as exc:
                log.warning("stream_slots_unshared", error=type(exc).__name__)
            else:
                if not taken:
                    raise self._refuse()
                with self._lock:
                    self._leases.add((key, member))
                    self._start_renewer()
                return True
        with self._lock:
            if self._local[user_id] >= self.limit:
                raise self._refuse()
            self._local[user_id] += 1
        return False

    def _give_back(self, user_id: int, member: str, shared: bool) -> None:
        if not shared:
            with self._lock:
                self._local[user_id] -= 1
                if self._local[user_id] <= 0:
                    del self._local[user_id]
            return
        key = self._prefix + str(user_id)
        with self._lock:
            self._leases.discard((key, member))
        assert self._client is not None
        try:
            self._client.zrem(key, member)
        except redis.RedisError as exc:  # the lease lapses by itself
            log.warning("stream_slot_release_failed", error=type(exc).__name__)

    def _start_renewer(self) -> None:
        """Under the lock."""
        if self._renewer is None and not self._stop.is_set():
            self._renewer = threading.Thread(
                target=self._renew_forever, name="stream-slot-leases", daemon=True
            )
            self._renewer.start()

    def _renew_forever(self) -> None:
        assert self._client is not None
        assert self._renew is not None
        while not self._stop.wait(self._lease_ms / 3000):
            with self._lock:
                leases = list(self._leases)
            if not leases:
                continue
            try:
                pipe = self._client.pipeline(transaction=False)
                for key, member in leases:
                    self._renew(keys=[key], args=[self._lease_ms, member], client=pipe)
                pipe.execute()
            except redis.RedisError as exc:  # the next pass tries again
                log.warning("stream_slot_renew_failed", error=type(exc).__name__)
