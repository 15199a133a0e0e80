"""The audit trail: who did what to whom, from where, and when.

Rows outlive their actor and target: ids are plain integers (no foreign key, no cascade) and
the actor's email is copied, so deleting a user keeps the record of what they did and of
what was done to them. `AuditAction` is the closed set of actions (the spec's `AuditAction`
enum; a contract test keeps them equal).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String
from sqlmodel import Field, SQLModel

from app.infra.column_types import EnumText, UTCDateTime, utcnow


class AuditAction(StrEnum):
    USER_ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_DELETED = "user.deleted"
    USER_PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 - an action name
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOCKED_OUT = "auth.locked_out"
    AUTH_REFRESH_TOKEN_REUSED = "auth.refresh_token_reused"  # noqa: S105 - an action name


class ActorKind(StrEnum):
    """How the actor acted: a login session, an API key, a background job acting for its
    owner, the command line, or nobody known (a failed login, a replayed token)."""

    JWT = "jwt"
    API_KEY = "api_key"
    JOB = "job"
    CLI = "cli"
    ANONYMOUS = "anonymous"


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    # Every filter is served by an index that also yields newest-first order.
    __table_args__ = (
        Index("ix_audit_events_occurred", "occurred_at", "id"),
        Index("ix_audit_events_actor_occurred", "actor_id", "occurred_at"),
        Index("ix_audit_events_action_occurred", "action", "occurred_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    action: AuditAction = Field(sa_column=Column(EnumText(AuditAction, 64), nullable=False))
    actor_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    actor_email: str | None = Field(default=None, sa_column=Column(String(254), nullable=True))
    actor_kind: ActorKind = Field(sa_column=Column(EnumText(ActorKind, 16), nullable=False))
    target_type: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    target_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    request_id: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    client_address: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
