"""The process-wide services and clients, built once by the composition root (`app.wiring`)
and handed to every request, CLI command and task."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from app.ai.gateway import AIGateway
from app.auth.service import AuthService
from app.completions.stream_slots import StreamSlots, UserStreamSlots
from app.health.service import HealthReport, check_health
from app.infra.cache import Cache
from app.infra.db import Database
from app.infra.jobqueue import JobQueueClient
from app.infra.rate_limiter import RateLimiter
from app.jobs.runner import JobRuntime
from app.settings import Settings

# Where the Flask app keeps its Services, for the CLI (`current_app.extensions[...]`).
EXTENSION_KEY = "app_services"
# ... and the whole ASGI app (middleware included), for `flask dev profile`.
ASGI_APP_KEY = "asgi_app"


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    redis: redis.Redis | None
    auth: AuthService
    cache: Cache
    ai: AIGateway
    api_version: str
    streams: StreamSlots  # open server-sent event streams in this process
    user_streams: UserStreamSlots  # open streams per user (every process's, with Redis)
    # Async jobs: where they are sent, and what runs and reaps them (app/jobs/runner.py).
    jobs: JobQueueClient
    job_runtime: JobRuntime
    rate_limiter: RateLimiter  # the spec's x-rate-limit table and its counters

    def health(self) -> HealthReport:
        """Every dependency's readiness (`GET /health`, `flask deploy healthcheck`)."""
        return check_health(
            db=self.db,
            redis_client=self.redis,
            ai=self.ai,
            rate_limiter=self.rate_limiter,
            version=self.api_version,
            streams_open=self.streams.open,
        )

    def close(self) -> None:
        self.jobs.close()  # first: running jobs still write to the database
        self.user_streams.close()
        self.db.dispose()
        self.rate_limiter.close()
        if self.redis is not None:
            self.redis.close()
