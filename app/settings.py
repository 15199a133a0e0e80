"""Every runtime knob, read from the environment (and an optional .env file).

With no environment at all the app runs in the embedded mode: SQLite under var/,
in-process fallbacks for Redis-backed parts, the fake AI provider.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT_DIR / 'var' / 'app.db'}"


class Settings(BaseSettings):
    """Application settings; see .env.example for the documented list."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    env: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    redis_url: str | None = None
    redis_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    ai_provider: Literal["fake"] = "fake"
    wsgi_threads: int = Field(default=64, ge=1, le=1024)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=100 * 1_048_576)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    compact_json: bool = True

    @field_validator("redis_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`REDIS_URL=` in a .env file means "not configured", not an invalid URL."""
        return None if value == "" else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
