"""One row per provider call made for a user (or one per cache hit, at no cost).

Usage is accounting: it outlives the account that caused it. Deleting a user keeps their
rows with `user_id` set to NULL (`ON DELETE SET NULL`), so totals and costs stay right.
A request whose answer needed repair writes one row with every attempt summed, and keeps
each failed attempt's validation errors in `errors`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, Numeric, String
from sqlmodel import Field, SQLModel

from app.infra.column_types import UTCDateTime, utcnow


class AIUsage(SQLModel, table=True):
    __tablename__ = "ai_usage"
    __table_args__ = (
        Index("ix_ai_usage_user_created", "user_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    # API key the call was made with (no foreign key: usage outlives the key).
    api_key_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    # completion | stream | batch | recipe | job
    operation: str = Field(sa_column=Column(String(40), nullable=False))
    provider: str = Field(sa_column=Column(String(32), nullable=False))
    model: str = Field(sa_column=Column(String(100), nullable=False))
    prompt_tokens: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    completion_tokens: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    # NULL: the model's price was unknown (never a made-up 0).
    cost_usd: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(14, 6, asdecimal=True), nullable=True)
    )
    latency_ms: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    attempts: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    # "ok", or the error code the request ended with (ai_invalid_output, ai_timeout, ...).
    outcome: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    cached: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    errors: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    request_id: str | None = Field(default=None, sa_column=Column(String(128)))
    # The versioned prompt template the call came from (`recipe/v1`), if any.
    prompt_version: str | None = Field(default=None, sa_column=Column(String(40)))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
