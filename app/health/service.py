"""Readiness checks of every dependency, each timed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import redis
from sqlalchemy.exc import SQLAlchemyError

from app.ai.breaker import BreakerView
from app.ai.gateway import AIGateway
from app.infra.db import Database
from app.infra.rate_limiter import RateLimiter

Status = Literal["up", "down", "not_configured"]


@dataclass(frozen=True)
class DependencyHealth:
    status: Status
    required: bool
    latency_ms: float | None = None
    detail: str | None = None
    # Down but not required: the service works, with a safeguard missing (`degraded`).
    degrades: bool = False


@dataclass(frozen=True)
class AIServiceHealth(DependencyHealth):
    # Every configured provider's circuit breaker in this process.
    breakers: tuple[BreakerView, ...] = ()


@dataclass(frozen=True)
class HealthReport:
    version: str
    checks: dict[str, DependencyHealth] = field(default_factory=dict)

    @property
    def down(self) -> list[str]:
        """Names of required dependencies that are down, in a stable order."""
        return [n for n, d in self.checks.items() if d.required and d.status == "down"]

    @property
    def status(self) -> Literal["ok", "degraded", "unavailable"]:
        if self.down:
            return "unavailable"
        degraded = any(d.degrades and d.status == "down" for d in self.checks.values())
        return "degraded" if degraded else "ok"


def _timed(check: Callable[[], None], *, required: bool) -> DependencyHealth:
    start = time.perf_counter()
    try:
        check()
    except (SQLAlchemyError, redis.RedisError, OSError) as exc:
        # Only the exception class: messages can carry hosts or credentials.
        return DependencyHealth("down", required, _elapsed_ms(start), type(exc).__name__)
    return DependencyHealth("up", required, _elapsed_ms(start))


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _redis_health(client: redis.Redis | None) -> DependencyHealth:
    if client is None:
        return DependencyHealth(
            "not_configured", False, None, "REDIS_URL is not set; using the in-process fallback"
        )

    def ping() -> None:
        client.ping()

    return _timed(ping, required=True)


def _ai_health(gateway: AIGateway, streams_open: int) -> AIServiceHealth:
    """Not required: a provider outage makes AI requests fail (502/504), but must not take
    every instance out of the load balancer. Checked at most once per AI_HEALTH_TTL_SECONDS.
    The detail also says how many answer streams this process holds open; `breakers` the
    state of every provider's circuit breaker."""
    known = gateway.health()
    return AIServiceHealth(
        "up" if known.reachable else "down",
        False,
        known.latency_ms,
        f"provider: {known.provider}; open streams: {streams_open}",
        breakers=tuple(gateway.breakers()),
    )


def _rate_limiter_health(limiter: RateLimiter) -> DependencyHealth:
    """Not required: with its storage down the limiter fails open (requests pass,
    unlimited) or closed (limited operations answer 503), and the report is `degraded`."""
    start = time.perf_counter()
    status, detail = limiter.health()
    return DependencyHealth(status, False, _elapsed_ms(start), detail, degrades=True)


@dataclass(frozen=True)
class HealthCheck:
    """Every dependency's readiness on demand, bound by the composition root (what
    `GET /health` asks its registry for)."""

    run: Callable[[], HealthReport]

    def __call__(self) -> HealthReport:
        return self.run()


def check_health(
    *,
    db: Database,
    redis_client: redis.Redis | None,
    ai: AIGateway,
    rate_limiter: RateLimiter,
    version: str,
    streams_open: int = 0,
) -> HealthReport:
    """Check every dependency; the report is `unavailable` if a required one is down,
    `degraded` if the rate limiter's storage is."""
    return HealthReport(
        version=version,
        checks={
            "database": _timed(db.ping, required=True),
            "redis": _redis_health(redis_client),
            "ai_service": _ai_health(ai, streams_open),
            "rate_limiter": _rate_limiter_health(rate_limiter),
        },
    )
