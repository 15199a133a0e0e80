"""Readiness checks of every dependency, each timed. No Flask here."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import Database
from generated.models import DependencyHealth, Health, HealthChecks


def _timed(check: Callable[[], None], *, required: bool) -> DependencyHealth:
    start = time.perf_counter()
    try:
        check()
    except (SQLAlchemyError, redis.RedisError, OSError) as exc:
        # Only the exception class: messages can carry hosts or credentials.
        return DependencyHealth(
            status="down",
            latency_ms=_elapsed_ms(start),
            required=required,
            detail=type(exc).__name__,
        )
    return DependencyHealth(status="up", latency_ms=_elapsed_ms(start), required=required)


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _redis_health(client: redis.Redis | None) -> DependencyHealth:
    if client is None:
        return DependencyHealth(
            status="not_configured",
            required=False,
            detail="REDIS_URL is not set; using the in-process fallback",
        )

    def ping() -> None:
        client.ping()

    return _timed(ping, required=True)


def _ai_health(provider: str) -> DependencyHealth:
    # The fake provider is in-process and deterministic: nothing to reach.
    return DependencyHealth(
        status="up", latency_ms=0.0, required=True, detail=f"provider: {provider}"
    )


def check_health(
    *, db: Database, redis_client: redis.Redis | None, ai_provider: str, version: str
) -> Health:
    """Check every dependency; the overall status is `unavailable` if a required one is down."""
    checks = HealthChecks(
        database=_timed(db.ping, required=True),
        redis=_redis_health(redis_client),
        ai_service=_ai_health(ai_provider),
    )
    health = Health(status="ok", version=version, checks=checks)
    if down_dependencies(health):
        health = health.model_copy(update={"status": "unavailable"})
    return health


def down_dependencies(health: Health) -> list[str]:
    """Names of required dependencies that are down, in a stable order."""
    deps = health.checks
    named = {"database": deps.database, "redis": deps.redis, "ai_service": deps.ai_service}
    return [name for name, dep in named.items() if dep.required and dep.status == "down"]
