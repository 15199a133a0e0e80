"""The users table, and the one `Role` type every layer uses."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from app.infra.column_types import EnumText, UTCDateTime, utcnow


class Role(StrEnum):
    """Roles, as in the spec's `Role` enum (a contract test keeps them equal)."""

    ADMIN = "admin"
    USER = "user"
    READONLY = "readonly"


def new_session_stamp() -> str:
    return secrets.token_hex(16)


class User(SQLModel, table=True):
    """An account. `email` is stored lowercased, which makes uniqueness case-insensitive.

    `session_stamp` is copied into every access token and checked on each request; it is
    replaced when the password, role or active flag changes, which ends every session at
    once, and it differs between accounts, so a token never acts for another account.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ({})".format(", ".join(f"'{r.value}'" for r in Role)), name="ck_users_role"
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255, repr=False)
    role: Role = Field(
        default=Role.USER, sa_column=Column(EnumText(Role, 16), nullable=False, index=True)
    )
    is_active: bool = Field(default=True)
    session_stamp: str = Field(default_factory=new_session_stamp, max_length=32, repr=False)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )

    def end_sessions(self) -> None:
        """Invalidate every access token issued so far (refresh tokens are revoked apart)."""
        self.session_stamp = new_session_stamp()
