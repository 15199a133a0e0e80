"""The audit trail writer: one `audit_events` row and one `audit` log record per event.

Services get an `AuditTrail` (who acts, which request, from where) from their caller (the
HTTP layer, the CLI) instead of reading a request context. Admin actions call `record`
inside their own transaction, so the row commits or rolls back with the action and a failed
write fails the action. Security events (a failed login, a lockout, a replayed refresh
token) call `record_alone`: a short transaction of their own that never raises, because the
request is failing anyway and must keep its 401/429.

The log record is written when the row commits (never for a rolled-back action), from
session hooks, so a log line always means a stored row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.accounts.principal import Principal
from app.audit.models import ActorKind, AuditAction, AuditEvent
from app.infra.db import UnitOfWork

log = structlog.get_logger("audit")

MAX_TEXT = 254  # longest text kept in `details` (an email)
MAX_DETAILS_BYTES = 2048
MAX_CLIENT = 64
# `details` must never hold a credential: a key naming one is a programming error.
_SECRET_WORDS = ("password", "secret", "token", "hash", "credential")
_PENDING = "audit_pending"
_ACTOR_KIND = {"bearer": ActorKind.JWT, "api_key": ActorKind.API_KEY, "job": ActorKind.JOB}

Detail = str | int | bool | None


@dataclass(frozen=True)
class Actor:
    """Who acted, as a snapshot: the row keeps the email after the account is gone."""

    kind: ActorKind
    user_id: int | None = None
    email: str | None = None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(_ACTOR_KIND[principal.method], principal.user_id, principal.user.email)


ANONYMOUS = Actor(ActorKind.ANONYMOUS)
CLI = Actor(ActorKind.CLI)


def _checked(details: Mapping[str, Detail]) -> dict[str, Detail]:
    """Small, flat and credential-free, or a ValueError (a bug in the caller)."""
    out: dict[str, Detail] = {}
    for key, value in details.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            msg = f"audit details must not hold credentials: {key!r}"
            raise ValueError(msg)
        if not isinstance(value, str | int | bool | None):
            msg = f"audit detail {key!r} must be a scalar"
            raise ValueError(msg)
        out[key] = value[:MAX_TEXT] if isinstance(value, str) else value
    if len(json.dumps(out).encode()) > MAX_DETAILS_BYTES:
        msg = f"audit details exceed {MAX_DETAILS_BYTES} bytes"
        raise ValueError(msg)
    return out


def fields(row: AuditEvent) -> dict[str, Any]:
    """The event as the log record's JSON keys."""
    return {
        "audit_id": row.id,
        "occurred_at": row.occurred_at.isoformat(),
        "action": row.action.value,
        "actor_id": row.actor_id,
        "actor_email": row.actor_email,
        "actor_kind": row.actor_kind.value,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "details": row.details,
        "request_id": row.request_id,
        "client_address": row.client_address,
    }


@dataclass(frozen=True)
class AuditTrail:
    """The recorder handed to services: the actor and request every event is stamped with."""

    actor: Actor = ANONYMOUS
    request_id: str | None = None
    client: str | None = None

    def event(
        self,
        action: AuditAction,
        *,
        target_type: str | None = None,
        target_id: int | None = None,
        details: Mapping[str, Detail] | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            action=action,
            actor_id=self.actor.user_id,
            actor_email=self.actor.email,
            actor_kind=self.actor.kind,
            target_type=target_type,
            target_id=target_id,
            details=_checked(details or {}),
            request_id=self.request_id,
            client_address=self.client[:MAX_CLIENT] if self.client else None,
        )

    def record(
        self,
        session: Session,
        action: AuditAction,
        *,
        target_type: str | None = None,
        target_id: int | None = None,
        details: Mapping[str, Detail] | None = None,
    ) -> AuditEvent:
        """Inside the caller's transaction; flushed now, so a failing write fails the action."""
        row = self.event(action, target_type=target_type, target_id=target_id, details=details)
        session.add(row)
        session.flush()
        session.info.setdefault(_PENDING, []).append(row)
        return row

    def record_alone(
        self,
        uow: UnitOfWork,
        action: AuditAction,
        *,
        target_type: str | None = None,
        target_id: int | None = None,
        details: Mapping[str, Detail] | None = None,
    ) -> None:
        """A security event in its own short transaction. Never raises: a failed write is
        logged (with the event) and the caller's own error goes on."""
        try:
            with uow.transaction() as session:
                self.record(
                    session, action, target_type=target_type, target_id=target_id, details=details
                )
        except Exception:
            log.exception(
                "audit_write_failed",
                action=action.value,
                actor_id=self.actor.user_id,
                actor_kind=self.actor.kind.value,
                target_type=target_type,
                target_id=target_id,
                details=details,
                request_id=self.request_id,
                client_address=self.client,
            )


@event.listens_for(OrmSession, "after_commit")
def _emit(session: OrmSession) -> None:
    for row in session.info.pop(_PENDING, []):
        log.info("audit", **fields(row))


@event.listens_for(OrmSession, "after_soft_rollback")
def _discard(session: OrmSession, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
