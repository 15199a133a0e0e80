"""The users table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"
    READONLY = "readonly"


class User(SQLModel, table=True):
    """An account. `email` is stored lowercased, which makes uniqueness case-insensitive."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'user', 'readonly')", name="ck_users_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255, repr=False)
    role: str = Field(default=Role.USER.value, max_length=16, index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
