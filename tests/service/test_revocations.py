"""The Redis revocation store against the real Redis."""

from __future__ import annotations

import time

import pytest
import redis

from app.auth.revocation import RedisRevocations


def test_redis_revocations(redis_url: str | None) -> None:
    if redis_url is None:
        pytest.skip("REDIS_URL not set (CI always sets it)")
    client = redis.Redis.from_url(redis_url)
    prefix = f"test-revocations-{time.time_ns()}"
    store = RedisRevocations(client, prefix)
    try:
        store.revoke("jti:a", 60)
        assert store.any_revoked("jti:a")
        assert not store.any_revoked("jti:b")
        assert 0 < client.ttl(f"{prefix}:revoked:jti:a") <= 60
    finally:
        client.delete(f"{prefix}:revoked:jti:a")
        client.close()
