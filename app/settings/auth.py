"""Who may call: token signing and lifetimes, login throttles, password hashing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import jwt
from limits import parse as parse_rate_limit
from pydantic import Field, SecretStr, field_validator, model_validator

from app.settings.sections import Section

# Development-only signing secret. Production refuses to start with it (see Settings).
DEFAULT_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me-0000"  # noqa: S105
MIN_HS_SECRET_BYTES = 32


class AuthSettings(Section):
    """JWT_*, token lifetimes and the login/register throttles."""

    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = Field(
        default="HS256", alias="JWT_ALGORITHM"
    )
    jwt_secret: SecretStr = Field(default=SecretStr(DEFAULT_JWT_SECRET), alias="JWT_SECRET")
    jwt_private_key_file: Path | None = Field(default=None, alias="JWT_PRIVATE_KEY_FILE")
    jwt_public_key_file: Path | None = Field(default=None, alias="JWT_PUBLIC_KEY_FILE")
    jwt_issuer: str = Field(default="spec-first-flask-llm-api", alias="JWT_ISSUER")
    jwt_audience: str = Field(default="spec-first-flask-llm-api", alias="JWT_AUDIENCE")
    jwt_leeway_seconds: int = Field(default=10, ge=0, le=300, alias="JWT_LEEWAY_SECONDS")
    access_token_ttl_seconds: int = Field(
        default=900, ge=30, le=86_400, alias="ACCESS_TOKEN_TTL_SECONDS"
    )
    refresh_token_ttl_seconds: int = Field(
        default=7 * 86_400, ge=60, le=90 * 86_400, alias="REFRESH_TOKEN_TTL_SECONDS"
    )
    register_rate_limit_per_client: str = Field(
        default="10/hour", alias="REGISTER_RATE_LIMIT_PER_CLIENT"
    )
    login_rate_limit_per_email: str = Field(
        default="5/15 minutes", alias="LOGIN_RATE_LIMIT_PER_EMAIL"
    )
    login_rate_limit_per_client: str = Field(
        default="30/15 minutes", alias="LOGIN_RATE_LIMIT_PER_CLIENT"
    )

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
    def _check_keys(self) -> AuthSettings:
        """Refuse weak signing keys (Settings also refuses the dev default in production)."""
        if self.jwt_algorithm == "HS256":
            if len(self.jwt_secret.get_secret_value().encode()) < MIN_HS_SECRET_BYTES:
                msg = f"JWT_SECRET must be at least {MIN_HS_SECRET_BYTES} bytes for HS256"
                raise ValueError(msg)
            return self
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

    @property
    def uses_default_secret(self) -> bool:
        return (
            self.jwt_algorithm == "HS256"
            and self.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET
        )


class PasswordSettings(Section):
    """PASSWORD_HASH_*: argon2 parameters and how many hashes run at once."""

    time_cost: int = Field(default=3, ge=1, le=20, alias="PASSWORD_HASH_TIME_COST")
    memory_kib: int = Field(default=65_536, ge=1024, le=1_048_576, alias="PASSWORD_HASH_MEMORY_KIB")
    parallelism: int = Field(default=4, ge=1, le=16, alias="PASSWORD_HASH_PARALLELISM")
    # argon2 runs at once per process (each takes PASSWORD_HASH_MEMORY_KIB); 0 = CPU count.
    concurrency: int = Field(default=0, ge=0, le=256, alias="PASSWORD_HASH_CONCURRENCY")
    wait_seconds: float = Field(default=2.0, ge=0, le=60, alias="PASSWORD_HASH_WAIT_SECONDS")

    @property
    def hash_concurrency(self) -> int:
        """PASSWORD_HASH_CONCURRENCY, 0 resolved to the CPU count."""
        return self.concurrency or (os.cpu_count() or 1)
