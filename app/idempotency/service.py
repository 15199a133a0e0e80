"""Idempotency keys (IETF httpapi Idempotency-Key draft), per user.

`begin` claims a key for a request fingerprint (operation + canonical body):
- new key (or an expired one): claimed; the caller runs the request, then `finish` stores
  its response, or `release` forgets the key (failures are not replayed: a retry with the
  same key tries again);
- same key, same fingerprint, finished: the stored response, replayed without running again;
- same key, same fingerprint, still running: 409 `request_in_progress`;
- same key, another fingerprint: 422 `idempotency_key_mismatch`.
The unique (user, key) constraint settles races: of two concurrent first uses, one claims.
A claim whose request died (a crashed process) is taken over after `STALE_AFTER`; the
claim's creation time is its token, so a request that outlived its claim cannot finish or
release the claim that took it over.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.errors import ConflictError, InvalidInputError, field_error
from app.idempotency.models import IdempotencyKey
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork

TTL = timedelta(hours=24)
# Longer than any request may run: a 50-request batch with every timeout, SDK retry and
# repair spent stays well under it.
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Claim:
    """The right to run the request and store its response (the row's creation time)."""

    created_at: datetime


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


def begin(uow: UnitOfWork, user_id: int, key: str, print_: str) -> Stored | Claim:
    """Claim the key (go ahead, then `finish` or `release` with the claim) or return the
    response to replay."""
    now = utcnow()
    for _ in range(2):  # a second pass after clearing an expired or stale claim
        with uow.transaction() as session:
            row = session.exec(
                select(IdempotencyKey).where(
                    IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
                )
            ).first()
            if row is None:
                claim = IdempotencyKey(
                    user_id=user_id,
                    key=key,
                    fingerprint=print_,
                    created_at=now,
                    expires_at=now + TTL,
                )
                try:
                    session.add(claim)
                    session.flush()
                except IntegrityError:
                    raise ConflictError(
                        "A request with this Idempotency-Key is in progress.",
                        code="request_in_progress",
                        retry_after=1,
                    ) from None
                return Claim(created_at=now)
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


def _claimed(user_id: int, key: str, claim: Claim) -> list[Any]:
    return [
        col(IdempotencyKey.user_id) == user_id,
        col(IdempotencyKey.key) == key,
        col(IdempotencyKey.created_at) == claim.created_at,
        col(IdempotencyKey.status_code).is_(None),
    ]


def finish(uow: UnitOfWork, user_id: int, key: str, claim: Claim, stored: Stored) -> None:
    """Store the response, if the claim is still ours."""
    with uow.transaction() as session:
        row = session.exec(select(IdempotencyKey).where(*_claimed(user_id, key, claim))).first()
        if row is not None:
            row.status_code = stored.status_code
            row.response_body = stored.body
            row.response_headers = stored.headers
            session.add(row)


def release(uow: UnitOfWork, user_id: int, key: str, claim: Claim) -> None:
    """Forget the key (the request failed), if the claim is still ours."""
    with uow.transaction() as session:
        session.execute(delete(IdempotencyKey).where(*_claimed(user_id, key, claim)))


def purge_expired(uow: UnitOfWork, *, limit: int) -> int:
    """Delete up to `limit` expired keys (oldest first) in one short transaction; returns
    how many. Stored responses are only replayed until `expires_at` (`begin` ignores an
    expired row), so deleting them changes no answer. Bounded, so a large backlog never
    holds one long transaction or lock."""
    with uow.transaction() as session:
        doomed = (
            select(IdempotencyKey.id)
            .where(col(IdempotencyKey.expires_at) <= utcnow())
            .order_by(col(IdempotencyKey.expires_at))
            .limit(limit)
        )
        result = session.execute(
            delete(IdempotencyKey).where(col(IdempotencyKey.id).in_(doomed.scalar_subquery()))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
