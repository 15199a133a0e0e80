"""The Redis revocation store against the real Redis, read both ways (the Flask thread's
client and the event loop's async client)."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
import redis.asyncio

from app.auth.revocation import RedisRevocations


def test_redis_revocations(redis_url: str | None) -> None:
    if redis_url is None:
        pytest.skip("REDIS_URL not set (CI always sets it)")
    client = redis.Redis.from_url(redis_url)
    prefix = f"test-revocations-{time.time_ns()}"
    store = RedisRevocations(
        client, prefix, async_client=lambda: redis.asyncio.Redis.from_url(redis_url)
    )
    try:
        store.revoke("jti:a", 60)
        assert store.any_revoked("jti:a")
        assert not store.any_revoked("jti:b")
        assert asyncio.run(store.any_revoked_async("jti:b", "jti:a"))
        assert not asyncio.run(store.any_revoked_async("jti:b"))  # a second loop: its own client
        assert 0 < client.ttl(f"{prefix}:revoked:jti:a") <= 60
    finally:
        client.delete(f"{prefix}:revoked:jti:a")
        client.close()
