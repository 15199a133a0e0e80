"""Composition root, part one: build every process-wide client and service from settings.

`app.main.create_app` (part two) adds the HTTP side. Nothing else constructs clients; the
CLI gets the same `Services` through the Flask app, and the job worker (`app.tasks`) builds
its own here. Requests get them by type from the `Registry` made here (`registry_of`), so
nothing below the composition root imports the container. This module may import anything
but the HTTP plumbing (the worker imports it); only `app.main` and `app.tasks` import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

import redis

from app.ai.budget_store import CounterStore, DatabaseCounters, RedisCounters
from app.ai.factory import build_gateway
from app.ai.gateway import AIGateway
from app.auth.login_throttle import LoginThrottle
from app.auth.passwords import Passwords
from app.auth.revocation import MemoryRevocations, RedisRevocations, RevocationStore
from app.auth.service import AuthService
from app.auth.tokens import TokenCodec
from app.completions.stream_slots import StreamSlots, UserStreamSlots
from app.completions.usage import usage_on
from app.container import Services
from app.contract.rate_limit_table import build_table
from app.health.service import HealthCheck
from app.idempotency import purge as maintenance
from app.infra.cache import Cache, NoCache, make_cache
from app.infra.db import Database, make_engine
from app.infra.jobqueue import CeleryJobQueue, InProcessJobQueue, JobQueueClient, make_celery
from app.infra.metrics import instrument_pool
from app.infra.rate_limiter import MemoryBackend, RateLimiter, RedisBackend
from app.infra.redis import make_async_redis, make_redis
from app.infra.registry import Registry
from app.infra.single_flight import SingleFlight
from app.jobs.reaper import reap_jobs
from app.jobs.runner import JobRuntime, run_job
from app.jobs.service import JobQueue
from app.settings import Settings
from generated import models as generated_models


def build_services(settings: Settings, spec: Mapping[str, Any]) -> Services:
    client = make_redis(settings)
    engine = make_engine(settings)
    instrument_pool(engine)
    db = Database(engine)
    # Answers can be large: the in-process fallback keeps fewer of them.
    answers = make_cache(
        client, settings.redis.key_prefix, settings.ai.cache_ttl_seconds, max_entries=1000
    )
    if not isinstance(answers, NoCache):
        # Identical misses at once make one provider call; the others wait for its answer
        # (never longer than the provider timeout).
        answers = SingleFlight(
            answers, client, prefix=settings.redis.key_prefix, wait_s=settings.ai.timeout_s
        )
    ai = build_gateway(
        settings, spec, generated_models, answers, _budget_store(settings, client, db)
    )
    queue, runtime = _jobs(settings, db, ai)
    return Services(
        settings=settings,
        db=db,
        redis=client,
        auth=_auth_service(settings, client),
        cache=make_cache(client, settings.redis.key_prefix, settings.api.cache_ttl_seconds),
        ai=ai,
        api_version=str(spec["info"]["version"]),
        streams=StreamSlots(settings.ai.stream_max_open),
        user_streams=UserStreamSlots(
            settings.ai.stream_max_open_per_user, client, settings.redis.key_prefix
        ),
        jobs=queue,
        job_runtime=runtime,
        rate_limiter=_rate_limiter(settings, spec),
    )


def registry_of(services: Services) -> Registry:
    """What handlers may ask for by type (`app.http.handler_context.get`)."""
    return Registry(
        [
            (Settings, services.settings),
            (Database, services.db),
            (AuthService, services.auth),
            (Cache, services.cache),
            (AIGateway, services.ai),
            (JobQueue, services.jobs),
            (HealthCheck, HealthCheck(services.health)),
        ]
    )


def _budget_store(settings: Settings, client: redis.Redis | None, db: Database) -> CounterStore:
    """Daily AI budget counters: in Redis when configured (shared by every process), else
    in the database."""
    seed = partial(usage_on, db)
    if client is not None:
        return RedisCounters(client, settings.redis.key_prefix, seed)
    return DatabaseCounters(db, seed)


def _rate_limiter(settings: Settings, spec: Mapping[str, Any]) -> RateLimiter:
    """The spec's table (a malformed `x-rate-limit` or override stops startup here)."""
    url = settings.rate_limit_storage
    return RateLimiter(
        build_table(spec, settings.rate_limits.overrides),
        RedisBackend(
            url,
            key_prefix=f"{settings.redis.key_prefix}:ratelimit",
            timeout=settings.rate_limits.timeout_seconds,
        )
        if url is not None
        else MemoryBackend(),
        enabled=settings.rate_limits.enabled,
        fail_open=settings.rate_limits.fail_open,
        retry_seconds=settings.rate_limits.retry_seconds,
    )


def _jobs(settings: Settings, db: Database, ai: AIGateway) -> tuple[JobQueueClient, JobRuntime]:
    """The job queue (Celery with a broker, else a thread pool here) and what runs jobs."""
    runtime = JobRuntime(
        db=db,
        gateway=ai,
        default_max_tokens=settings.ai.max_output_tokens,
        lease=timedelta(seconds=settings.jobs.lease_seconds),
        max_attempts=settings.jobs.max_attempts,
        requeue_after=timedelta(seconds=settings.jobs.requeue_after_seconds),
    )
    if settings.jobs_use_celery:
        return CeleryJobQueue(make_celery(settings), settings.jobs.queue), runtime
    queue = InProcessJobQueue(
        workers=settings.jobs.concurrency,
        reap_interval_seconds=settings.jobs.reap_interval_seconds,
    )

    def reap(startup: bool) -> None:
        # The first pass after startup resends every queued job: the previous process's
        # in-memory backlog is gone. Each pass also purges a batch of expired rows.
        reap_jobs(runtime, queue, requeue_after=timedelta(0) if startup else None)
        maintenance.purge_expired(db, max_batches=1)

    queue.bind(run=partial(run_job, runtime), reap=reap)
    return queue, runtime


def _auth_service(settings: Settings, client: redis.Redis | None) -> AuthService:
    revocations: RevocationStore = (
        RedisRevocations(
            client, settings.redis.key_prefix, async_client=partial(make_async_redis, settings)
        )
        if client
        else MemoryRevocations()
    )
    return AuthService(
        passwords=Passwords(
            time_cost=settings.passwords.time_cost,
            memory_kib=settings.passwords.memory_kib,
            parallelism=settings.passwords.parallelism,
            concurrency=settings.passwords.hash_concurrency,
            wait_seconds=settings.passwords.wait_seconds,
        ),
        tokens=TokenCodec(settings),
        revocations=revocations,
        throttle=LoginThrottle.create(
            redis=client,
            key_prefix=settings.redis.key_prefix,
            per_email=settings.auth.login_rate_limit_per_email,
            per_client=settings.auth.login_rate_limit_per_client,
            register_per_client=settings.auth.register_rate_limit_per_client,
        ),
        refresh_ttl_seconds=settings.auth.refresh_token_ttl_seconds,
    )
