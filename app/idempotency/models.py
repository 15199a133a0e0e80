"""Idempotency keys (IETF draft `Idempotency-Key`): one row per user and key, holding the
request's fingerprint and, once done, the response to replay. Deleted with the user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.infra.column_types import UTCDateTime, utcnow


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    key: str = Field(sa_column=Column(String(255), nullable=False))
    # Which operation and body the key was first used with (sha256 hex).
    fingerprint: str = Field(sa_column=Column(String(64), nullable=False))
    # NULL while the first request runs; then its status, body and replayed headers.
    status_code: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    response_body: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    response_headers: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
