"""Where state lives: the database, Redis and the async jobs that use both."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from app.settings.sections import ROOT_DIR, Section

DEFAULT_SQLITE_URL = f"sqlite:///{ROOT_DIR / 'var' / 'app.db'}"
# Default connections per process (pool + overflow = 25). Requests hold a connection only
# while they touch the database (never across an LLM call), so 64 threads share 25; and
# `make serve`'s 2 processes + `make worker` (75) leave a stock PostgreSQL
# (max_connections 100, 3 reserved) room for migrations, the CLI and psql.
DEFAULT_POOL_SIZE = 20
DEFAULT_MAX_OVERFLOW = 5


class DatabaseSettings(Section):
    """DATABASE_*: SQLite under var/ by default, PostgreSQL in production."""

    url: str = Field(default=DEFAULT_SQLITE_URL, alias="DATABASE_URL")
    # Unset: WSGI_THREADS, at most DEFAULT_POOL_SIZE. Connections open on demand and stay
    # pooled (no reconnect churn). The resolved value is Settings.pool_size.
    pool_size: int | None = Field(default=None, ge=1, le=1024, alias="DATABASE_POOL_SIZE")
    # Unset: WSGI_THREADS - DATABASE_POOL_SIZE, at most DEFAULT_MAX_OVERFLOW.
    max_overflow: int | None = Field(default=None, ge=0, le=1024, alias="DATABASE_MAX_OVERFLOW")
    connect_timeout_seconds: float = Field(
        default=3.0, gt=0, le=60, alias="DATABASE_CONNECT_TIMEOUT_SECONDS"
    )

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class RedisSettings(Section):
    """REDIS_*: cache, counters, revocations and the jobs broker; unset = in-process."""

    url: str | None = Field(default=None, alias="REDIS_URL")
    timeout_seconds: float = Field(default=2.0, gt=0, le=60, alias="REDIS_TIMEOUT_SECONDS")
    key_prefix: str = Field(
        default="app", pattern=r"^[A-Za-z0-9_.:-]{1,64}$", alias="REDIS_KEY_PREFIX"
    )

    @field_validator("url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`REDIS_URL=` in a .env file means "not configured", not an invalid URL."""
        return None if value == "" else value

    @field_validator("url")
    @classmethod
    def _valid_redis_url(cls, value: str | None) -> str | None:
        """Only a Redis URL: it is also the jobs broker, and Celery would take any other
        scheme (`amqp://`) to whatever broker answers there."""
        schemes = ("redis://", "rediss://", "unix://")
        if value is not None and not value.startswith(schemes):
            msg = f"expected a URL starting with one of {', '.join(schemes)}"
            raise ValueError(msg)
        return value


class JobsSettings(Section):
    """JOBS_*: async AI jobs (POST /ai/jobs; app/jobs/service.py, app/tasks/)."""

    # `celery`: a Celery worker runs them (broker REDIS_URL, `make worker`); `inprocess`: a
    # thread pool in each API process; `auto`: celery when REDIS_URL is set, else inprocess.
    backend: Literal["auto", "inprocess", "celery"] = Field(default="auto", alias="JOBS_BACKEND")
    # The Celery queue (its Redis keys live under REDIS_KEY_PREFIX:celery:).
    queue: str = Field(default="ai-jobs", pattern=r"^[A-Za-z0-9_.:-]{1,64}$", alias="JOBS_QUEUE")
    # Jobs run at once per API process (inprocess) or per worker (`make worker`).
    concurrency: int = Field(default=4, ge=1, le=256, alias="JOBS_CONCURRENCY")
    # A running job's lease, renewed every third of it; expired = its worker died.
    lease_seconds: int = Field(default=60, ge=2, le=3600, alias="JOBS_LEASE_SECONDS")
    # Attempts before a job whose worker keeps dying fails with job_worker_lost.
    max_attempts: int = Field(default=3, ge=1, le=20, alias="JOBS_MAX_ATTEMPTS")
    # How often the reaper looks for expired leases and lost queued jobs.
    reap_interval_seconds: float = Field(
        default=15.0, gt=0, le=3600, alias="JOBS_REAP_INTERVAL_SECONDS"
    )
    # A job still queued this long after its message was sent is sent again (a lost
    # message; a duplicate is harmless, only one claim wins).
    requeue_after_seconds: int = Field(
        default=600, ge=1, le=86_400, alias="JOBS_REQUEUE_AFTER_SECONDS"
    )
    # Redis broker: an unacknowledged message goes back to the queue after this long
    # (acks_late: a message is acknowledged when its job is done, so this is the backstop
    # for a worker that died; the lease and the reaper usually act first).
    visibility_timeout_seconds: int = Field(
        default=3600, ge=1, le=7 * 86_400, alias="JOBS_VISIBILITY_TIMEOUT_SECONDS"
    )
