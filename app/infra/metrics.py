"""The process's Prometheus metrics (prometheus_client), and the text a scrape gets.

One process (`python -m app`): the default registry. Several (gunicorn workers): set
`PROMETHEUS_MULTIPROC_DIR` to an empty directory in the environment of the master, before
any process imports prometheus_client; every worker then writes its values to files there
and a scrape, whichever worker answers it, sums the files of all workers
(`app/infra/metrics_gunicorn.py` has the hooks that clear the directory and retire dead
workers' gauges). Gauges say how they combine across processes (`livesum`: the sum over
live workers).

Labels are bounded sets only: operationIds, methods, status codes, allowed provider/model
pairs, error codes, cache names; never a raw path, a user id or anything a client types.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # what generate_latest writes; every Prometheus reads it

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, operationId (`unmatched` if none) and status.",
    ["method", "operation", "status"],
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request (for streams: until the stream ends), by operationId.",
    ["operation"],
)
HTTP_IN_FLIGHT = Gauge(
    "http_requests_in_flight",
    "HTTP requests being answered now.",
    multiprocess_mode="livesum",
)
AI_REQUESTS = Counter(
    "ai_requests_total",
    "AI completions by provider, model and outcome (`ok` or the error code).",
    ["provider", "model", "outcome"],
)
AI_TOKENS = Counter(
    "ai_tokens_total",
    "Tokens the providers counted (cache hits excluded), by kind (`prompt`, `completion`).",
    ["provider", "model", "kind"],
)
AI_COST = Counter(
    "ai_cost_usd_total",
    "US dollars the completions cost at the price table's prices (unknown prices: none).",
    ["provider", "model"],
)
AI_DURATION = Histogram(
    "ai_request_duration_seconds",
    "Time spent waiting on the provider per completion, every attempt summed.",
    ["provider", "model"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
AI_BREAKER_STATE = Gauge(
    "ai_breaker_state",
    "Each provider's circuit breaker: 0 closed, 1 half-open, 2 open (the worst worker's).",
    ["provider"],
    multiprocess_mode="livemax",
)
AI_BREAKER_TRANSITIONS = Counter(
    "ai_breaker_transitions_total",
    "Circuit breaker state changes, by provider and the state entered.",
    ["provider", "state"],
)
CACHE_HITS = Counter("cache_hits_total", "Read-through cache hits, by cache.", ["cache"])
CACHE_MISSES = Counter("cache_misses_total", "Read-through cache misses, by cache.", ["cache"])
RATE_LIMITED = Counter(
    "rate_limited_total",
    "Requests refused with 429 by a rate limit, by limit (`login-email`, ...).",
    ["scope"],
)
DB_POOL_SIZE = Gauge(
    "db_pool_size",
    "Database connections each process keeps pooled (DATABASE_POOL_SIZE), summed.",
    multiprocess_mode="livesum",
)
DB_POOL_MAX_OVERFLOW = Gauge(
    "db_pool_max_overflow",
    "Database connections allowed beyond the pool (DATABASE_MAX_OVERFLOW), summed.",
    multiprocess_mode="livesum",
)
DB_POOL_CHECKED_OUT = Gauge(
    "db_pool_checked_out",
    "Database connections in use now.",
    multiprocess_mode="livesum",
)
DB_POOL_OVERFLOW = Gauge(
    "db_pool_overflow",
    "Database connections in use beyond the pool size now.",
    multiprocess_mode="livesum",
)
SSE_STREAMS_OPEN = Gauge(
    "sse_streams_open",
    "Server-sent event streams open now.",
    multiprocess_mode="livesum",
)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def render() -> bytes:
    """The exposition text: this process's registry, or every worker's files summed."""
    if multiprocess_dir() is None:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def cache_name(key: str) -> str:
    """The cache a key belongs to: its first segment (`items`, `documents`, `ai`), which
    callers build from their own constants."""
    return key.split(":", 1)[0]


def count_cache(key: str, *, hit: bool) -> None:
    (CACHE_HITS if hit else CACHE_MISSES).labels(cache_name(key)).inc()


def instrument_pool(engine: Engine) -> None:
    """Pool gauges kept by the pool's own checkout/checkin events (so they are right in
    every worker without a scrape-time callback, which multiprocess mode cannot run)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return  # in-memory SQLite: one connection, nothing to size
    size = pool.size()
    DB_POOL_SIZE.inc(size)
    DB_POOL_MAX_OVERFLOW.inc(pool._max_overflow)
    lock = threading.Lock()
    checked_out = 0

    def moved(delta: int) -> None:
        nonlocal checked_out
        with lock:
            before = max(0, checked_out - size)
            checked_out += delta
            after = max(0, checked_out - size)
            DB_POOL_CHECKED_OUT.inc(delta)
            if after != before:
                DB_POOL_OVERFLOW.inc(after - before)

    def on_checkout(*_args: Any) -> None:
        moved(1)

    def on_checkin(*_args: Any) -> None:
        moved(-1)

    event.listen(pool, "checkout", on_checkout)
    event.listen(pool, "checkin", on_checkin)
