"""Every runtime knob, read from the environment (and an optional .env file).

With no environment at all the app runs in the embedded mode: SQLite under var/,
in-process fallbacks for Redis-backed parts, the fake AI provider.
"""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import jwt
from limits import parse as parse_rate_limit
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT_DIR / 'var' / 'app.db'}"
# Development-only signing secret. Production refuses to start with it (see _check_jwt).
DEFAULT_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me-0000"  # noqa: S105
MIN_HS_SECRET_BYTES = 32
# Default connections per process (pool + overflow = 25). Requests hold a connection only
# while they touch the database (never across an LLM call), so 64 threads share 25; and
# `make serve`'s 2 processes + `make worker` (75) leave a stock PostgreSQL
# (max_connections 100, 3 reserved) room for migrations, the CLI and psql.
DEFAULT_POOL_SIZE = 20
DEFAULT_MAX_OVERFLOW = 5


class ConfigurationError(SystemExit):
    """Invalid configuration: exits with a readable message instead of a traceback."""


# What an `API-Version` value may look like (the spec's `info.version`, semantic versioning).
API_VERSION_PATTERN = re.compile(r"\d{1,6}\.\d{1,6}\.\d{1,6}")


class VersionDeprecation(BaseModel):
    """When an API version was deprecated (RFC 9745 `Deprecation`) and when it stops being
    served (RFC 8594 `Sunset`), both UTC dates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    deprecated: date
    sunset: date

    @model_validator(mode="after")
    def _sunset_after_deprecation(self) -> VersionDeprecation:
        if self.sunset <= self.deprecated:
            msg = "sunset must come after deprecated"
            raise ValueError(msg)
        return self


# PROBLEM_TYPE_BASE_URL (once `{code}` is taken out): an absolute http(s) URL or path.
_TYPE_BASE = re.compile(r"^(https?://[^/\s<>\"{}]+)?/[^\s<>\"{}]*$")


class Settings(BaseSettings):
    """Application settings; see .env.example for the documented list."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    env: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    # Unset: WSGI_THREADS, at most DEFAULT_POOL_SIZE. Connections open on demand and stay
    # pooled (no reconnect churn).
    database_pool_size: int | None = Field(default=None, ge=1, le=1024)
    # Unset: WSGI_THREADS - DATABASE_POOL_SIZE, at most DEFAULT_MAX_OVERFLOW.
    database_max_overflow: int | None = Field(default=None, ge=0, le=1024)
    database_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    redis_url: str | None = None
    redis_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    # --- AI (see app/ai/) ---
    # The default provider and model; requests may name others on AI_ALLOWED_MODELS.
    ai_provider: Literal["fake", "openai", "azure", "anthropic"] = "fake"
    ai_model: str | None = Field(default=None, min_length=1, max_length=100)
    # Comma-separated provider:model pairs requests may choose; the default pair always is.
    ai_allowed_models: str = ""
    # OpenAI, or any OpenAI-compatible server (vLLM, Ollama, LM Studio, a LiteLLM proxy).
    openai_api_key: SecretStr | None = None
    ai_base_url: str | None = None
    # `native`: response_format json_schema (strict); `instructions`: the schema goes into
    # the prompt and JSON is extracted from the answer (servers without json_schema support).
    ai_structured_output: Literal["native", "instructions"] = "native"
    azure_openai_api_key: SecretStr | None = None
    azure_openai_endpoint: str | None = None
    azure_openai_api_version: str = "2024-10-21"
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    ai_timeout_s: float = Field(default=30.0, gt=0, le=600)
    # SDK retries (exponential backoff, Retry-After honoured) on 429, 5xx and timeouts.
    ai_max_retries: int = Field(default=2, ge=0, le=10)
    # Re-asks with the validation errors when a structured answer is invalid.
    ai_validation_retries: int = Field(default=2, ge=0, le=5)
    # Comma-separated provider:model pairs tried in order when the chosen provider fails
    # with a retryable error (timeout, connection error, 429, 5xx, overloaded).
    ai_fallbacks: str = ""
    # Each provider's circuit breaker: consecutive retryable failures that open it, and
    # seconds it stays open (skipped at once) before one probe call may try it again.
    ai_breaker_failures: int = Field(default=5, ge=1, le=1000)
    ai_breaker_open_s: float = Field(default=30.0, gt=0, le=3600)
    ai_max_prompt_chars: int = Field(default=32_000, ge=1, le=2_000_000)
    # The model's context window, for the prompt-size estimate (about 4 characters a token).
    ai_context_tokens: int = Field(default=128_000, ge=1)
    ai_max_output_tokens: int = Field(default=1024, ge=1, le=32_768)
    # JSON: {"provider:model": [dollars per million prompt tokens, per million completion]};
    # overrides genai-prices' table and prices the models it lacks (app/ai/pricing.py).
    ai_prices: dict[str, tuple[float, float]] = Field(default_factory=dict)
    ai_low_confidence: float = Field(default=0.5, ge=0, le=1)
    ai_high_token_usage: int = Field(default=8_000, ge=1)
    ai_slow_ms: int = Field(default=10_000, ge=1)
    ai_rate_limit_warning_ratio: float = Field(default=0.1, ge=0, le=1)
    # Completion cache (Redis, or in-process): seconds an answer is kept; 0 turns it off.
    ai_cache_ttl_seconds: int = Field(default=3600, ge=0, le=30 * 86_400)
    # Answers at temperature > 0 are meant to vary: not cached unless this is true.
    ai_cache_nonzero_temperature: bool = False
    # `user`: each user's cache is their own (a hit reveals nothing about other users'
    # prompts); `global`: identical requests share answers across users.
    ai_cache_scope: Literal["user", "global"] = "user"
    # Tokens per user per UTC day, by role (0 = unlimited); over it, 429 ai_quota_exceeded.
    ai_daily_tokens_user: int = Field(default=200_000, ge=0)
    ai_daily_tokens_admin: int = Field(default=0, ge=0)
    ai_daily_tokens_readonly: int = Field(default=0, ge=0)
    # Dollars per user per UTC day, by role (0 = unlimited), at the prices of AI_PRICES.
    # Like the token quota it is a cap: each call reserves its worst case first.
    ai_daily_usd_user: Decimal = Field(default=Decimal(0), ge=0, le=1_000_000, decimal_places=6)
    ai_daily_usd_admin: Decimal = Field(default=Decimal(0), ge=0, le=1_000_000, decimal_places=6)
    ai_daily_usd_readonly: Decimal = Field(default=Decimal(0), ge=0, le=1_000_000, decimal_places=6)
    # With a dollar budget, a model whose price is unknown is refused (400 unknown_price)
    # unless this is true (then its calls count 0 dollars).
    ai_allow_unknown_prices: bool = False
    # The most output tokens a request of each role may ask for (0 = AI_MAX_OUTPUT_TOKENS);
    # above it, 400 max_tokens_too_large. A request naming none gets AI_MAX_OUTPUT_TOKENS
    # (or the role's ceiling, if lower).
    ai_max_output_tokens_user: int = Field(default=0, ge=0, le=32_768)
    ai_max_output_tokens_admin: int = Field(default=0, ge=0, le=32_768)
    ai_max_output_tokens_readonly: int = Field(default=0, ge=0, le=32_768)
    # POST /ai/batch: requests per batch (the spec allows 50) and how many run at once.
    ai_batch_max: int = Field(default=50, ge=1, le=50)
    ai_batch_concurrency: int = Field(default=4, ge=1, le=50)
    # POST /ai/completions/stream: seconds between comment heartbeats on a quiet stream
    # (proxies close idle connections), how many streams one process holds open (past it,
    # 503 stream_capacity_reached with Retry-After), and how many one user holds open
    # (counted across processes with Redis; past it, 429 too_many_streams; 0 = no cap).
    ai_stream_heartbeat_s: float = Field(default=15.0, gt=0, le=300)
    ai_stream_max_open: int = Field(default=1000, ge=1, le=100_000)
    ai_stream_max_open_per_user: int = Field(default=5, ge=0, le=100_000)
    # Seconds a provider reachability check (GET /health's ai_service) is reused.
    ai_health_ttl_seconds: float = Field(default=60.0, ge=0, le=3600)
    # The fake provider's misbehaviour, for tests and demos.
    ai_fake_latency_ms: int = Field(default=0, ge=0, le=600_000)
    ai_fake_fail_status: int | None = Field(default=None, ge=400, le=599)
    ai_fake_invalid_answers: int = Field(default=0, ge=0, le=100)
    ai_fake_stream_pause_ms: int = Field(default=0, ge=0, le=60_000)
    # Requests in flight per process. The database pool and the event loop's thread limiter
    # are derived from it, so no request waits on a limit smaller than this one.
    wsgi_threads: int = Field(default=64, ge=1, le=1024)
    # Where `make run|dev|serve` and `python -m app` listen (their --host/--port win).
    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=1, le=65535)
    # --- Production serving (`make serve`: gunicorn + uvicorn workers, app/serving/) ---
    # Processes. Each holds WSGI_THREADS threads and its own database pool, so keep
    # processes x (pool + overflow) under PostgreSQL's max_connections.
    gunicorn_workers: int = Field(default=2, ge=1, le=256)
    # A worker whose event loop has not checked in for this long is killed and replaced.
    gunicorn_timeout_seconds: int = Field(default=30, ge=1, le=3600)
    # On SIGTERM, in-flight requests (and open streams) get this long to finish.
    gunicorn_graceful_timeout_seconds: int = Field(default=30, ge=5, le=3600)
    # Idle keep-alive connections stay open this long: above a proxy's upstream keep-alive
    # (nginx: 60 s), so the proxy never reuses a connection the server just closed.
    gunicorn_keepalive_seconds: int = Field(default=75, ge=1, le=3600)
    # Addresses of reverse proxies whose X-Forwarded-For is believed ("*" = any, "" = none).
    trusted_proxies: str = ""
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=100 * 1_048_576)
    redis_key_prefix: str = Field(default="app", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    # Read-through cache of single objects and list pages (Redis, or in-process without
    # it); 0 turns it off.
    cache_ttl_seconds: int = Field(default=60, ge=0, le=86_400)

    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = "HS256"
    jwt_secret: SecretStr = SecretStr(DEFAULT_JWT_SECRET)
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "spec-first-flask-llm-api"
    jwt_audience: str = "spec-first-flask-llm-api"
    jwt_leeway_seconds: int = Field(default=10, ge=0, le=300)
    access_token_ttl_seconds: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_seconds: int = Field(default=7 * 86_400, ge=60, le=90 * 86_400)

    password_hash_time_cost: int = Field(default=3, ge=1, le=20)
    password_hash_memory_kib: int = Field(default=65_536, ge=1024, le=1_048_576)
    password_hash_parallelism: int = Field(default=4, ge=1, le=16)
    # argon2 runs at once per process (each takes PASSWORD_HASH_MEMORY_KIB); 0 = CPU count.
    password_hash_concurrency: int = Field(default=0, ge=0, le=256)
    password_hash_wait_seconds: float = Field(default=2.0, ge=0, le=60)
    register_rate_limit_per_client: str = "10/hour"
    login_rate_limit_per_email: str = "5/15 minutes"
    login_rate_limit_per_client: str = "30/15 minutes"

    # --- Rate limits: the spec's `x-rate-limit` (app/contract/rate_limits.py) ---
    rate_limit_enabled: bool = True
    # JSON {"<operationId>|<tag>|*": {"<tier>": "<limit>|unlimited"} | "unlimited"}:
    # replaces the spec's declaration at that level, tier by tier.
    rate_limit_overrides: dict[str, dict[str, str] | str] = Field(default_factory=dict)
    # Where counters live: unset = REDIS_URL (or memory without it); `memory://` forces
    # per-process memory; or another redis:// URL.
    rate_limit_storage_url: str | None = None
    # Storage down: true = requests pass (logged, /health degraded); false = 503.
    rate_limit_fail_open: bool = True
    # Socket timeouts of the limiter's Redis calls, and how long it is left alone after
    # a failure, so a dead Redis does not add latency to every request.
    rate_limit_timeout_seconds: float = Field(default=0.25, gt=0, le=10)
    rate_limit_retry_seconds: float = Field(default=5.0, gt=0, le=300)

    # --- API versions (the request header `API-Version`; the latest is the spec's) ---
    # Older versions still served as they are, comma-separated.
    api_supported_versions: str = ""
    # JSON {"version": {"deprecated": "YYYY-MM-DD", "sunset": "YYYY-MM-DD"}}: still served,
    # with Deprecation, Sunset and Link headers; past the sunset, refused.
    api_deprecated_versions: dict[str, VersionDeprecation] = Field(default_factory=dict)
    # Where the deprecation notice lives (the target of `Link: <...>; rel="deprecation"`).
    api_deprecation_url: str = Field(default="/docs", min_length=1, pattern=r"^[^\s<>]+$")

    # Base of every problem's `type` URI: `<base><code>`, or `{code}` in it replaced. The
    # default is a path on this API (its pages at /docs/problems/<code>); set an absolute
    # URL where the generated docs are hosted (docs/api/problems/<code>.md).
    problem_type_base_url: str = "/docs/problems/"

    # Bearer token `GET /metrics` requires; unset: the endpoint is open (keep it off the
    # public network, e.g. nginx serves it only internally).
    metrics_token: SecretStr | None = None

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    # Debugging (development only; refused in production): log request and response bodies
    # with secrets redacted, and profile a share of requests into PROFILE_DIR.
    log_request_bodies: bool = False
    profile_requests: float = Field(default=0.0, ge=0.0, le=1.0)
    profile_dir: Path = ROOT_DIR / "var" / "profiles"
    compact_json: bool = True

    @field_validator("redis_url", "metrics_token", "rate_limit_storage_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`REDIS_URL=` in a .env file means "not configured", not an invalid URL."""
        return None if value == "" else value

    @field_validator("redis_url")
    @classmethod
    def _valid_redis_url(cls, value: str | None) -> str | None:
        """Only a Redis URL: it is also the jobs broker, and Celery would take any other
        scheme (`amqp://`) to whatever broker answers there."""
        schemes = ("redis://", "rediss://", "unix://")
        if value is not None and not value.startswith(schemes):
            msg = f"expected a URL starting with one of {', '.join(schemes)}"
            raise ValueError(msg)
        return value

    @field_validator("problem_type_base_url")
    @classmethod
    def _valid_type_base(cls, value: str) -> str:
        if not _TYPE_BASE.match(value.replace("{code}", "code", 1)):
            raise ValueError(
                "must be an http(s) URL or a path starting with /, "
                "with no spaces, quotes or braces but one optional {code}"
            )
        return value

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _valid_storage_url(cls, value: str | None) -> str | None:
        schemes = ("memory://", "redis://", "rediss://", "unix://")
        if value is not None and not value.startswith(schemes):
            msg = f"expected a URL starting with one of {', '.join(schemes)}"
            raise ValueError(msg)
        return value

    @property
    def rate_limit_storage(self) -> str | None:
        """The limiter's Redis URL, or None for in-process memory."""
        url = self.rate_limit_storage_url or self.redis_url
        return None if url is None or url.startswith("memory://") else url

    @field_validator("api_supported_versions")
    @classmethod
    def _valid_versions(cls, value: str) -> str:
        items = [item.strip() for item in value.split(",") if item.strip()]
        for item in items:
            if not API_VERSION_PATTERN.fullmatch(item):
                msg = f"not a version like 1.0.0: {item!r}"
                raise ValueError(msg)
        return ",".join(items)

    @field_validator("api_deprecated_versions")
    @classmethod
    def _valid_deprecated(
        cls, value: dict[str, VersionDeprecation]
    ) -> dict[str, VersionDeprecation]:
        for item in value:
            if not API_VERSION_PATTERN.fullmatch(item):
                msg = f"not a version like 1.0.0: {item!r}"
                raise ValueError(msg)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, value: str) -> str:
        """Addresses or networks, comma-separated, or `*` alone. uvicorn would silently treat
        a malformed entry (e.g. `10.0.0.5/16`) as a name no client ever has: refuse it."""
        items = [item.strip() for item in value.split(",") if item.strip()]
        if items == ["*"]:
            return "*"
        for item in items:
            try:
                if "/" in item:
                    ipaddress.ip_network(item)
                else:
                    ipaddress.ip_address(item)
            except ValueError as exc:
                msg = f"not an IP address or network (or * alone): {item!r}"
                raise ValueError(msg) from exc
        return ",".join(items)

    @field_validator(
        "login_rate_limit_per_email",
        "login_rate_limit_per_client",
        "register_rate_limit_per_client",
    )
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        """Rate limits use the `limits` notation, e.g. `5/15 minutes`."""
        try:
            parse_rate_limit(value)
        except ValueError as exc:
            msg = f"not a rate limit like '5/15 minutes': {value!r}"
            raise ValueError(msg) from exc
        return value

    @model_validator(mode="after")
    def _no_debugging_in_production(self) -> Settings:
        """Bodies in logs and profilers cost secrets and speed: never in production."""
        if self.env == "production":
            if self.log_request_bodies:
                msg = "LOG_REQUEST_BODIES logs request bodies; it is refused in production"
                raise ValueError(msg)
            if self.profile_requests:
                msg = "PROFILE_REQUESTS profiles live traffic; it is refused in production"
                raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _check_jwt(self) -> Settings:
        """Refuse weak or placeholder signing keys (production refuses the dev default)."""
        if self.jwt_algorithm == "HS256":
            secret = self.jwt_secret.get_secret_value()
            if len(secret.encode()) < MIN_HS_SECRET_BYTES:
                msg = f"JWT_SECRET must be at least {MIN_HS_SECRET_BYTES} bytes for HS256"
                raise ValueError(msg)
            if self.env == "production" and secret == DEFAULT_JWT_SECRET:
                msg = (
                    "JWT_SECRET is the development default; production needs its own secret "
                    "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
                )
                raise ValueError(msg)
        else:
            for name in ("jwt_private_key_file", "jwt_public_key_file"):
                path = getattr(self, name)
                if path is None or not path.is_file():
                    msg = f"{name.upper()} must name a readable PEM file for {self.jwt_algorithm}"
                    raise ValueError(msg)
                try:
                    jwt.get_algorithm_by_name(self.jwt_algorithm).prepare_key(path.read_bytes())
                except (jwt.InvalidKeyError, ValueError, TypeError, OSError) as exc:
                    msg = f"{name.upper()} is not a usable {self.jwt_algorithm} key in PEM form"
                    raise ValueError(msg) from exc
        return self

    @model_validator(mode="after")
    def _check_ai(self) -> Settings:
        """Every allowed and fallback pair is well formed, and every provider it names is
        configured."""
        for provider, _model in self.ai_allowed_pairs:
            missing = missing_ai_settings(self, provider)
            if missing:
                msg = f"AI provider {provider} needs {', '.join(missing)}"
                raise ValueError(msg)
        for provider, model in self.ai_fallback_pairs:
            missing = missing_ai_settings(self, provider)
            if missing:
                msg = (
                    f"AI_FALLBACKS names {provider}:{model}, but provider {provider} is not "
                    f"configured: it needs {', '.join(missing)}"
                )
                raise ValueError(msg)
        return self

    @property
    def ai_default_model(self) -> str:
        defaults = {"fake": "fake-1", "openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}
        if self.ai_model:
            return self.ai_model
        if self.ai_provider == "azure":
            return "gpt-4o-mini"  # the deployment name
        return defaults[self.ai_provider]

    @property
    def ai_allowed_pairs(self) -> list[tuple[str, str]]:
        """The default pair first, then AI_ALLOWED_MODELS (ValueError when malformed)."""
        pairs = [(self.ai_provider, self.ai_default_model)]
        return list(dict.fromkeys(pairs + _pairs("AI_ALLOWED_MODELS", self.ai_allowed_models)))

    @property
    def ai_fallback_pairs(self) -> list[tuple[str, str]]:
        """AI_FALLBACKS in order (ValueError when malformed)."""
        return _pairs("AI_FALLBACKS", self.ai_fallbacks)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def pool_overflow(self) -> int:
        """Connections beyond the pool; by default up to one per WSGI thread, capped."""
        if self.database_max_overflow is not None:
            return self.database_max_overflow
        return min(DEFAULT_MAX_OVERFLOW, max(0, self.wsgi_threads - self.pool_size))

    @property
    def pool_size(self) -> int:
        """Connections kept per process, opened on demand; by default one per WSGI thread,
        capped so `make serve`'s processes fit a stock PostgreSQL (max_connections 100)."""
        return self.database_pool_size or min(self.wsgi_threads, DEFAULT_POOL_SIZE)

    @property
    def hash_concurrency(self) -> int:
        return self.password_hash_concurrency or (os.cpu_count() or 1)

    # --- Async AI jobs (POST /ai/jobs; app/jobs/service.py, app/tasks/) ---
    # `celery`: a Celery worker runs them (broker REDIS_URL, `make worker`); `inprocess`: a
    # thread pool in each API process; `auto`: celery when REDIS_URL is set, else inprocess.
    jobs_backend: Literal["auto", "inprocess", "celery"] = "auto"
    # The Celery queue (its Redis keys live under REDIS_KEY_PREFIX:celery:).
    jobs_queue: str = Field(default="ai-jobs", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    # Jobs run at once per API process (inprocess) or per worker (`make worker`).
    jobs_concurrency: int = Field(default=4, ge=1, le=256)
    # A running job's lease, renewed every third of it; expired = its worker died.
    jobs_lease_seconds: int = Field(default=60, ge=2, le=3600)
    # Attempts before a job whose worker keeps dying fails with job_worker_lost.
    jobs_max_attempts: int = Field(default=3, ge=1, le=20)
    # How often the reaper looks for expired leases and lost queued jobs.
    jobs_reap_interval_seconds: float = Field(default=15.0, gt=0, le=3600)
    # A job still queued this long after its message was sent is sent again (a lost
    # message; a duplicate is harmless, only one claim wins).
    jobs_requeue_after_seconds: int = Field(default=600, ge=1, le=86_400)
    # Redis broker: an unacknowledged message goes back to the queue after this long
    # (acks_late: a message is acknowledged when its job is done, so this is the backstop
    # for a worker that died; the lease and the reaper usually act first).
    jobs_visibility_timeout_seconds: int = Field(default=3600, ge=1, le=7 * 86_400)

    @property
    def jobs_use_celery(self) -> bool:
        """Whether jobs go to a Celery worker (else a thread pool in this process)."""
        if self.jobs_backend == "auto":
            return self.redis_url is not None
        return self.jobs_backend == "celery"

    @model_validator(mode="after")
    def _check_jobs(self) -> Settings:
        """A Celery backend needs its broker."""
        if self.jobs_backend == "celery" and self.redis_url is None:
            msg = "JOBS_BACKEND=celery needs REDIS_URL (the broker)"
            raise ValueError(msg)
        return self


AI_PROVIDERS = ("fake", "openai", "azure", "anthropic")


def _pairs(name: str, value: str) -> list[tuple[str, str]]:
    """Comma-separated `provider:model` pairs, deduplicated in order."""
    pairs: list[tuple[str, str]] = []
    for item in filter(None, (p.strip() for p in value.split(","))):
        provider, sep, model = item.partition(":")
        if not sep or provider not in AI_PROVIDERS or not model:
            known = ", ".join(AI_PROVIDERS)
            msg = f"{name}: expected provider:model (provider one of {known}), got {item!r}"
            raise ValueError(msg)
        pairs.append((provider, model))
    return list(dict.fromkeys(pairs))


def missing_ai_settings(settings: Settings, provider: str) -> list[str]:
    """The settings (as env var names) a provider needs and does not have."""
    needs = {
        "fake": [],
        "openai": ["openai_api_key"],
        "azure": ["azure_openai_api_key", "azure_openai_endpoint"],
        "anthropic": ["anthropic_api_key"],
    }[provider]
    return [name.upper() for name in needs if getattr(settings, name) is None]


def load_settings() -> Settings:
    """Settings from the environment, or exit with a clear message if they are invalid."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "\n".join(
            f"  {'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigurationError(f"Invalid configuration:\n{problems}") from None
