"""The limiter's backends against a private redis-server (started and stopped by PID):
the one-round-trip hit agrees with `limits`' own API, survives a Redis that forgot its
scripts, and a failed storage is left alone for the retry period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import redis
from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from app.contract.rate_limit_table import Limit, RateLimitTable
from app.infra.rate_limiter import Decision, MemoryBackend, RateLimiter, RedisBackend
from tests.live_server import free_port
from tests.redis_server import PrivateRedis, private_redis

PREFIX = "test-limiter"


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateRedis]:
    with private_redis() as running:
        yield running


def _hits(backend: RedisBackend | MemoryBackend, item: RateLimitItem, n: int) -> list[Decision]:
    async def run() -> list[Decision]:
        return [await backend.hit(item, "op:listItems", "user:1") for _ in range(n)]

    return asyncio.run(run())


def test_the_pipelined_hit_agrees_with_limits_own_api(server: PrivateRedis) -> None:
    backend = RedisBackend(server.url, key_prefix=f"{PREFIX}-agree", timeout=2.0)
    item = parse("3/minute")
    decisions = _hits(backend, item, 4)
    assert [(d.allowed, d.limit, d.remaining) for d in decisions] == [
        (True, 3, 2),
        (True, 3, 1),
        (True, 3, 0),
        (False, 3, 0),
    ]
    # What `limits` itself reads from the same keys (it is the one that wrote them).
    client = redis.Redis.from_url(server.url)
    theirs = MovingWindowRateLimiter(
        RedisStorage(
            "redis://", connection_pool=client.connection_pool, key_prefix=f"{PREFIX}-agree"
        )
    )
    stats = theirs.get_window_stats(item, "op:listItems", "user:1")
    assert stats.remaining == 0
    assert not theirs.hit(item, "op:listItems", "user:1")
    theirs.clear(item, "op:listItems", "user:1")
    assert _hits(backend, item, 1)[0].remaining == 2
    client.close()
    backend.close()


def test_scripts_forgotten_by_redis_are_loaded_again(server: PrivateRedis) -> None:
    backend = RedisBackend(server.url, key_prefix=f"{PREFIX}-flush", timeout=2.0)
    item = parse("2/minute")
    assert _hits(backend, item, 1)[0].remaining == 1
    client = redis.Redis.from_url(server.url)
    client.script_flush()  # what a restarted Redis looks like to a long-lived client
    client.close()
    assert _hits(backend, item, 1)[0].remaining == 0
    backend.close()


class CountingBackend(RedisBackend):
    calls = 0

    async def hit(self, item: RateLimitItem, bucket: str, key: str) -> Decision:
        self.calls += 1
        return await super().hit(item, bucket, key)


def test_a_failed_storage_is_left_alone_for_the_retry_period() -> None:
    backend = CountingBackend(f"redis://127.0.0.1:{free_port()}/0", key_prefix=PREFIX, timeout=0.5)
    table = RateLimitTable({})
    limiter = RateLimiter(table, backend, enabled=True, fail_open=True, retry_seconds=300)
    limit = Limit(parse("1/minute"), "op:x")

    async def run() -> list[Decision | None]:
        return [await limiter.hit(limit, "user:1") for _ in range(5)]

    assert asyncio.run(run()) == [None] * 5
    assert backend.calls == 1  # the first failure starts the back-off
    assert limiter.health()[0] == "down"
    backend.close()
