"""How the API is served and answers: processes and threads, proxies, limits, versions,
problem types, logs and metrics."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from app.settings.sections import ROOT_DIR, Section

# What an `API-Version` value may look like (the spec's `info.version`, semantic versioning).
API_VERSION_PATTERN = re.compile(r"\d{1,6}\.\d{1,6}\.\d{1,6}")
# PROBLEM_TYPE_BASE_URL (once `{code}` is taken out): an absolute http(s) URL or path.
_TYPE_BASE = re.compile(r"^(https?://[^/\s<>\"{}]+)?/[^\s<>\"{}]*$")


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


class ServingSettings(Section):
    """Where and how the server runs (`make run|dev|serve`, app/serving/)."""

    # Requests in flight per process. The database pool and the event loop's thread limiter
    # are derived from it, so no request waits on a limit smaller than this one.
    wsgi_threads: int = Field(default=64, ge=1, le=1024, alias="WSGI_THREADS")
    # Where `make run|dev|serve` and `python -m app` listen (their --host/--port win).
    host: str = Field(default="127.0.0.1", min_length=1, alias="HOST")
    port: int = Field(default=8000, ge=1, le=65535, alias="PORT")
    # `make serve` (gunicorn + uvicorn workers): processes. Each holds WSGI_THREADS threads
    # and its own database pool, so keep processes x (pool + overflow) under PostgreSQL's
    # max_connections.
    workers: int = Field(default=2, ge=1, le=256, alias="GUNICORN_WORKERS")
    # A worker whose event loop has not checked in for this long is killed and replaced.
    timeout_seconds: int = Field(default=30, ge=1, le=3600, alias="GUNICORN_TIMEOUT_SECONDS")
    # On SIGTERM, in-flight requests (and open streams) get this long to finish.
    graceful_timeout_seconds: int = Field(
        default=30, ge=5, le=3600, alias="GUNICORN_GRACEFUL_TIMEOUT_SECONDS"
    )
    # Idle keep-alive connections stay open this long: above a proxy's upstream keep-alive
    # (nginx: 60 s), so the proxy never reuses a connection the server just closed.
    keepalive_seconds: int = Field(default=75, ge=1, le=3600, alias="GUNICORN_KEEPALIVE_SECONDS")
    # Addresses of reverse proxies whose X-Forwarded-For is believed ("*" = any, "" = none).
    trusted_proxies: str = Field(default="", alias="TRUSTED_PROXIES")

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


class ApiSettings(Section):
    """What every response is bound by: body size, versions, problem types, caching."""

    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, le=100 * 1_048_576, alias="MAX_BODY_BYTES"
    )
    # Read-through cache of single objects and list pages (Redis, or in-process without
    # it); 0 turns it off.
    cache_ttl_seconds: int = Field(default=60, ge=0, le=86_400, alias="CACHE_TTL_SECONDS")
    compact_json: bool = Field(default=True, alias="COMPACT_JSON")
    # The request header `API-Version` (the latest is the spec's): older versions still
    # served as they are, comma-separated.
    supported_versions: str = Field(default="", alias="API_SUPPORTED_VERSIONS")
    # JSON {"version": {"deprecated": "YYYY-MM-DD", "sunset": "YYYY-MM-DD"}}: still served,
    # with Deprecation, Sunset and Link headers; past the sunset, refused.
    deprecated_versions: dict[str, VersionDeprecation] = Field(
        default_factory=dict, alias="API_DEPRECATED_VERSIONS"
    )
    # Where the deprecation notice lives (the target of `Link: <...>; rel="deprecation"`).
    deprecation_url: str = Field(
        default="/docs", min_length=1, pattern=r"^[^\s<>]+$", alias="API_DEPRECATION_URL"
    )
    # Base of every problem's `type` URI: `<base><code>`, or `{code}` in it replaced. The
    # default is a path on this API (its pages at /docs/problems/<code>); set an absolute
    # URL where the generated docs are hosted (docs/api/problems/<code>.md).
    problem_type_base_url: str = Field(default="/docs/problems/", alias="PROBLEM_TYPE_BASE_URL")

    @field_validator("problem_type_base_url")
    @classmethod
    def _valid_type_base(cls, value: str) -> str:
        if not _TYPE_BASE.match(value.replace("{code}", "code", 1)):
            raise ValueError(
                "must be an http(s) URL or a path starting with /, "
                "with no spaces, quotes or braces but one optional {code}"
            )
        return value

    @field_validator("supported_versions")
    @classmethod
    def _valid_versions(cls, value: str) -> str:
        items = [item.strip() for item in value.split(",") if item.strip()]
        for item in items:
            if not API_VERSION_PATTERN.fullmatch(item):
                msg = f"not a version like 1.0.0: {item!r}"
                raise ValueError(msg)
        return ",".join(items)

    @field_validator("deprecated_versions")
    @classmethod
    def _valid_deprecated(
        cls, value: dict[str, VersionDeprecation]
    ) -> dict[str, VersionDeprecation]:
        for item in value:
            if not API_VERSION_PATTERN.fullmatch(item):
                msg = f"not a version like 1.0.0: {item!r}"
                raise ValueError(msg)
        return value


class RateLimitSettings(Section):
    """RATE_LIMIT_*: the spec's `x-rate-limit` (app/contract/rate_limit_table.py) in force."""

    enabled: bool = Field(default=True, alias="RATE_LIMIT_ENABLED")
    # JSON {"<operationId>|<tag>|*": {"<tier>": "<limit>|unlimited"} | "unlimited"}:
    # replaces the spec's declaration at that level, tier by tier.
    overrides: dict[str, dict[str, str] | str] = Field(
        default_factory=dict, alias="RATE_LIMIT_OVERRIDES"
    )
    # Where counters live: unset = REDIS_URL (or memory without it); `memory://` forces
    # per-process memory; or another redis:// URL. The resolved value is
    # Settings.rate_limit_storage.
    storage_url: str | None = Field(default=None, alias="RATE_LIMIT_STORAGE_URL")
    # Storage down: true = requests pass (logged, /health degraded); false = 503.
    fail_open: bool = Field(default=True, alias="RATE_LIMIT_FAIL_OPEN")
    # Socket timeouts of the limiter's Redis calls, and how long it is left alone after
    # a failure, so a dead Redis does not add latency to every request.
    timeout_seconds: float = Field(default=0.25, gt=0, le=10, alias="RATE_LIMIT_TIMEOUT_SECONDS")
    retry_seconds: float = Field(default=5.0, gt=0, le=300, alias="RATE_LIMIT_RETRY_SECONDS")

    @field_validator("storage_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("storage_url")
    @classmethod
    def _valid_storage_url(cls, value: str | None) -> str | None:
        schemes = ("memory://", "redis://", "rediss://", "unix://")
        if value is not None and not value.startswith(schemes):
            msg = f"expected a URL starting with one of {', '.join(schemes)}"
            raise ValueError(msg)
        return value


class ObservabilitySettings(Section):
    """Logs and the metrics endpoint."""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="LOG_LEVEL"
    )
    log_json: bool = Field(default=True, alias="LOG_JSON")
    # Bearer token `GET /metrics` requires; unset: the endpoint is open (keep it off the
    # public network, e.g. nginx serves it only internally).
    metrics_token: SecretStr | None = Field(default=None, alias="METRICS_TOKEN")
    # Debugging (development only; refused in production): log request and response bodies
    # with secrets redacted, and profile a share of requests into PROFILE_DIR.
    log_request_bodies: bool = Field(default=False, alias="LOG_REQUEST_BODIES")
    profile_requests: float = Field(default=0.0, ge=0.0, le=1.0, alias="PROFILE_REQUESTS")
    profile_dir: Path = Field(default=ROOT_DIR / "var" / "profiles", alias="PROFILE_DIR")

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value
