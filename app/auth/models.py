"""Refresh tokens and API keys: secrets are stored only as SHA-256 hashes
(see app/auth/hashing.py for why a fast hash is right here)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, Numeric
from sqlmodel import Field, SQLModel

from app.infra.column_types import UTCDateTime, utcnow


def _user_fk() -> Column[int]:
    return Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)


class RefreshToken(SQLModel, table=True):
    """One single-use refresh token. Tokens from one login share a `family_id`."""

    __tablename__ = "refresh_tokens"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    family_id: str = Field(max_length=32, index=True)
    token_hash: str = Field(max_length=64, unique=True, repr=False)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class ApiKey(SQLModel, table=True):
    """An API key; `prefix` is the visible, unique part used to find it."""

    __tablename__ = "api_keys"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64, repr=False)
    # Dollars this key may spend on AI per UTC day (None: only the owner's role budget).
    daily_usd: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(12, 6, asdecimal=True), nullable=True)
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    last_used_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
