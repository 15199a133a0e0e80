"""The Redis client, or None in the embedded mode (REDIS_URL unset)."""

from __future__ import annotations

import redis
import redis.asyncio

from app.settings import Settings


def make_redis(settings: Settings) -> redis.Redis | None:
    """One pooled client per process; bounded timeouts so a dead Redis fails fast."""
    if settings.redis.url is None:
        return None
    return redis.Redis.from_url(
        settings.redis.url,
        socket_connect_timeout=settings.redis.timeout_seconds,
        socket_timeout=settings.redis.timeout_seconds,
        health_check_interval=30,
        decode_responses=False,
    )


def make_async_redis(settings: Settings) -> redis.asyncio.Redis:
    """An asyncio client with the same bounds, for reads on the event loop (one per loop:
    its connections belong to the loop that opened them)."""
    assert settings.redis.url is not None
    return redis.asyncio.Redis.from_url(
        settings.redis.url,
        socket_connect_timeout=settings.redis.timeout_seconds,
        socket_timeout=settings.redis.timeout_seconds,
        decode_responses=False,
    )
