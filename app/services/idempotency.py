"""Idempotency keys (IETF httpapi Idempotency-Key draft), per user.

`begin` claims a key for a request fingerprint (operation + canonical body):
- new key (or an expired one): claimed; the caller runs the request, then `finish` stores
  its response, or `release` forgets the key (failures are not replayed: a retry with the
  same key tries again);
- same key, same fingerprint, finished: the stored response, replayed without running again;
- same key, same fingerprint, still running: 409 `request_in_progress`;
- same key, another fingerprint: 422 `idempotency_key_mismatch`.
The unique (user, key) constraint settles races: of two concurrent first uses, one claims.
A claim whose request died (a crashed process) is taken over after `stale_after`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.errors import ConflictError, InvalidInputError, field_error
from app.infra.db import UnitOfWork
from app.models import IdempotencyKey
from app.models.types import utcnow

TTL = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=15)  # longer than any request may run


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: Any
    headers: dict[str, str]


def fingerprint(operation: str, body: Any) -> str:
    canonical = json.dumps([operation, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _mismatch() -> InvalidInputError:
    return InvalidInputError(
        "This Idempotency-Key was used with another request body or operation.",
        code="idempotency_key_mismatch",
        errors=[field_error("header", "Idempotency-Key", "Already used for another request.")],
    )


def begin(uow: UnitOfWork, user_id: int, key: str, print_: str) -> Stored | None:
    """Claim the key (None: go ahead) or return the response to replay."""
    now = utcnow()
    for _ in range(2):  # a second pass after clearing an expired or stale claim
        with uow.transaction() as session:
            row = session.exec(
                select(IdempotencyKey).where(
                    IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
                )
            ).first()
            if row is None:
                try:
                    session.add(
                        IdempotencyKey(
                            user_id=user_id, key=key, fingerprint=print_, expires_at=now + TTL
                        )
                    )
                    session.flush()
                except IntegrityError:
                    raise ConflictError(
                        "A request with this Idempotency-Key is in progress.",
                        code="request_in_progress",
                        retry_after=1,
                    ) from None
                return None
            expired = row.expires_at <= now
            stale = row.status_code is None and row.created_at <= now - STALE_AFTER
            if expired or stale:
                session.delete(row)
                continue
            if row.fingerprint != print_:
                raise _mismatch()
            if row.status_code is None:
                raise ConflictError(
                    "A request with this Idempotency-Key is in progress.",
                    code="request_in_progress",
                    retry_after=1,
                )
            return Stored(row.status_code, row.response_body, row.response_headers or {})
    raise ConflictError(
        "The Idempotency-Key is being reused concurrently.", code="request_in_progress"
    )


def finish(uow: UnitOfWork, user_id: int, key: str, stored: Stored) -> None:
    with uow.transaction() as session:
        row = session.exec(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
            )
        ).first()
        if row is not None:
            row.status_code = stored.status_code
            row.response_body = stored.body
            row.response_headers = stored.headers
            session.add(row)


def release(uow: UnitOfWork, user_id: int, key: str) -> None:
    with uow.transaction() as session:
        session.execute(
            delete(IdempotencyKey).where(
                col(IdempotencyKey.user_id) == user_id,
                col(IdempotencyKey.key) == key,
                col(IdempotencyKey.status_code).is_(None),
            )
        )


def purge_expired(uow: UnitOfWork) -> int:
    """Delete expired keys (for a periodic task or the CLI); returns how many."""
    with uow.transaction() as session:
        result = session.execute(
            delete(IdempotencyKey).where(col(IdempotencyKey.expires_at) <= utcnow())
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
