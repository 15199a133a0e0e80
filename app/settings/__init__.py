"""Every runtime knob, read from the environment (and an optional .env file), in sections.

With no environment at all the app runs in the embedded mode: SQLite under var/,
in-process fallbacks for Redis-backed parts, the fake AI provider.

Each section (`settings.database`, `settings.ai`, ...) groups the variables of one concern;
the variables keep their flat names (DATABASE_URL, AI_PROVIDER, ...): see app/settings/sections.py.
Imports nothing from the rest of app/.

May import: nothing from `app` (settings sit at the bottom with the errors).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from app.settings.ai import AI_PROVIDERS, AiBudgetSettings, AiFakeSettings, AiSettings
from app.settings.ai import missing_ai_settings as missing_ai_settings
from app.settings.auth import DEFAULT_JWT_SECRET, AuthSettings, PasswordSettings
from app.settings.http import (
    API_VERSION_PATTERN,
    ApiSettings,
    ObservabilitySettings,
    RateLimitSettings,
    ServingSettings,
    VersionDeprecation,
)
from app.settings.sections import (
    ROOT_DIR,
    ConfigurationError,
    SectionedEnv,
    SectionedInit,
    env_names,
)
from app.settings.storage import (
    DEFAULT_MAX_OVERFLOW,
    DEFAULT_POOL_SIZE,
    DEFAULT_SQLITE_URL,
    DatabaseSettings,
    JobsSettings,
    RedisSettings,
)

__all__ = [
    "AI_PROVIDERS",
    "API_VERSION_PATTERN",
    "DEFAULT_JWT_SECRET",
    "DEFAULT_MAX_OVERFLOW",
    "DEFAULT_POOL_SIZE",
    "DEFAULT_SQLITE_URL",
    "ROOT_DIR",
    "ConfigurationError",
    "Settings",
    "VersionDeprecation",
    "env_names",
    "load_settings",
    "missing_ai_settings",
]


class Settings(BaseSettings):
    """Application settings; see .env.example for the documented list."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    env: Literal["development", "test", "production"] = "development"
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    ai: AiSettings = Field(default_factory=AiSettings)
    ai_budgets: AiBudgetSettings = Field(default_factory=AiBudgetSettings)
    ai_fake: AiFakeSettings = Field(default_factory=AiFakeSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    passwords: PasswordSettings = Field(default_factory=PasswordSettings)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    serving: ServingSettings = Field(default_factory=ServingSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments, then the environment, then .env: each by flat name."""
        assert isinstance(init_settings, InitSettingsSource)
        assert isinstance(env_settings, EnvSettingsSource)
        assert isinstance(dotenv_settings, DotEnvSettingsSource)
        return (
            SectionedInit(settings_cls, init_settings),
            SectionedEnv(settings_cls, env_settings),
            SectionedEnv(settings_cls, dotenv_settings),
        )

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        """Production refuses the development signing secret."""
        if self.env == "production" and self.auth.uses_default_secret:
            msg = (
                "JWT_SECRET is the development default; production needs its own secret "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _no_debugging_in_production(self) -> Settings:
        """Bodies in logs and profilers cost secrets and speed: never in production."""
        if self.env == "production":
            if self.observability.log_request_bodies:
                msg = "LOG_REQUEST_BODIES logs request bodies; it is refused in production"
                raise ValueError(msg)
            if self.observability.profile_requests:
                msg = "PROFILE_REQUESTS profiles live traffic; it is refused in production"
                raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _check_jobs(self) -> Settings:
        """A Celery backend needs its broker."""
        if self.jobs.backend == "celery" and self.redis.url is None:
            msg = "JOBS_BACKEND=celery needs REDIS_URL (the broker)"
            raise ValueError(msg)
        return self

    # --- Values derived from more than one section ---

    @property
    def pool_size(self) -> int:
        """Connections kept per process, opened on demand; by default one per WSGI thread,
        capped so `make serve`'s processes fit a stock PostgreSQL (max_connections 100)."""
        return self.database.pool_size or min(self.serving.wsgi_threads, DEFAULT_POOL_SIZE)

    @property
    def pool_overflow(self) -> int:
        """Connections beyond the pool; by default up to one per WSGI thread, capped."""
        if self.database.max_overflow is not None:
            return self.database.max_overflow
        return min(DEFAULT_MAX_OVERFLOW, max(0, self.serving.wsgi_threads - self.pool_size))

    @property
    def rate_limit_storage(self) -> str | None:
        """The limiter's Redis URL, or None for in-process memory."""
        url = self.rate_limits.storage_url or self.redis.url
        return None if url is None or url.startswith("memory://") else url

    @property
    def jobs_use_celery(self) -> bool:
        """Whether jobs go to a Celery worker (else a thread pool in this process)."""
        if self.jobs.backend == "auto":
            return self.redis.url is not None
        return self.jobs.backend == "celery"


def load_settings() -> Settings:
    """Settings from the environment, or exit with a clear message if they are invalid."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "\n".join(
            f"  {_where(e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise ConfigurationError(f"Invalid configuration:\n{problems}") from None


def _where(loc: tuple[int | str, ...]) -> str:
    """An error's place as the variable's name (`AI_PRICES.gpt.0`), not the section."""
    parts = list(loc)
    if parts and parts[0] in Settings.model_fields and len(parts) > 1:
        parts = parts[1:]
    return ".".join(map(str, parts)) or "settings"
