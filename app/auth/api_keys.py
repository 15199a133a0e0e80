"""API keys for machine clients: `ak_<prefix>_<secret>`, shown once, stored hashed.

Managing keys needs a login session: a key cannot mint or revoke keys, so a leaked key
cannot outlive its own revocation. Creating and revoking a key are audited. A revoked key
is also noted in the revocation store for `OWNER_CACHE_SECONDS`, the longest the rate
limiter may remember its owner (app/auth/key_owners.py).
"""

from __future__ import annotations

import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.accounts.principal import Principal, require_session
from app.audit.models import AuditAction
from app.audit.trail import AuditTrail, Detail
from app.auth.hashing import hash_secret
from app.auth.models import ApiKey
from app.auth.revocation import RevocationStore
from app.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    field_error,
)
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageResult, paginate

_ALPHABET = string.ascii_lowercase + string.digits
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(seconds=60)
MAX_KEY_LENGTH = 200
# `ak_<8 of [a-z0-9]>_<token_urlsafe>`: anything else (control characters, NUL, non-ASCII)
# is refused before it can reach a query.
_KEY_SHAPE = re.compile(rf"ak_[a-z0-9]{{8}}_[A-Za-z0-9_-]{{1,{MAX_KEY_LENGTH - 12}}}")
# How long the rate limiter may remember a key's owner; revocation notices outlive it.
OWNER_CACHE_SECONDS = 60


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str


def _new_prefix() -> str:
    return "ak_" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class KeyOwner:
    """Who a usable key acts for (the rate limiter's view of it)."""

    user_id: int
    role: str
    prefix: str
    expires_at: datetime | None


def looks_like_key(secret: str) -> bool:
    """The shape check, done before any lookup (no I/O)."""
    return _KEY_SHAPE.fullmatch(secret) is not None


def prefix_of(secret: str) -> str:
    return "ak_" + secret.split("_")[1]


def revocation_key(prefix: str) -> str:
    return f"key:{prefix}"


def _require_session(principal: Principal) -> None:
    require_session(principal, "Managing API keys")


def create_key(
    uow: UnitOfWork,
    principal: Principal,
    *,
    name: str,
    expires_at: datetime | None,
    audit: AuditTrail,
    daily_usd: Decimal | None = None,
) -> CreatedKey:
    """Audited as `api_key.created` (owner, name, prefix, and the expiry if any; never the
    secret) in the same transaction."""
    _require_session(principal)
    if daily_usd is not None and daily_usd <= 0:
        raise InvalidInputError(
            "A key's daily_usd must be more than 0 (null: no cap of its own).",
            errors=[field_error("body", "daily_usd", "Must be more than 0.")],
        )
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInputError(
            "The expiry must be in the future.",
            errors=[field_error("body", "expires_at", "Must be in the future.")],
        )
    with uow.transaction() as session:
        prefix = _new_prefix()
        while session.exec(select(ApiKey.id).where(ApiKey.prefix == prefix)).first() is not None:
            prefix = _new_prefix()  # 36^8 prefixes: a clash is rare, but must not be a 500
        secret = f"{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(
            user_id=principal.user_id,
            name=name.strip(),
            prefix=prefix,
            key_hash=hash_secret(secret),
            expires_at=expires_at,
            daily_usd=daily_usd,
        )
        session.add(key)
        session.flush()
        details: dict[str, Detail] = {
            "owner_id": key.user_id,
            "name": key.name,
            "prefix": key.prefix,
        }
        if expires_at is not None:
            details["expires_at"] = expires_at.isoformat()
        audit.record(
            session,
            AuditAction.API_KEY_CREATED,
            target_type="api_key",
            target_id=key.id,
            details=details,
        )
    return CreatedKey(key=key, secret=secret)


def list_keys(uow: UnitOfWork, principal: Principal, *, page: int, size: int) -> PageResult[ApiKey]:
    statement = select(ApiKey).where(
        ApiKey.user_id == principal.user_id, col(ApiKey.revoked_at).is_(None)
    )
    return paginate(
        uow.session,
        statement,
        page=page,
        size=size,
        order_by=[col(ApiKey.created_at).desc(), col(ApiKey.id).desc()],
    )


def revoke_key(
    uow: UnitOfWork,
    principal: Principal,
    *,
    key_id: int,
    audit: AuditTrail,
    revocations: RevocationStore,
) -> None:
    """Another user's key is "not found": ids must not reveal other users' keys. Audited
    as `api_key.revoked` (its name and prefix, never the secret) in the same transaction."""
    _require_session(principal)
    with uow.transaction() as session:
        key = session.get(ApiKey, key_id)
        if key is None or key.user_id != principal.user_id or key.revoked_at is not None:
            raise NotFoundError(f"API key {key_id} does not exist.")
        key.revoked_at = utcnow()
        session.add(key)
        revocations.revoke(revocation_key(key.prefix), OWNER_CACHE_SECONDS)
        audit.record(
            session,
            AuditAction.API_KEY_REVOKED,
            target_type="api_key",
            target_id=key_id,
            details={"owner_id": key.user_id, "name": key.name, "prefix": key.prefix},
        )


def authenticate_api_key(uow: UnitOfWork, secret: str) -> Principal:
    if not looks_like_key(secret):
        raise AuthenticationError("api_key_invalid", "The API key is not valid.")
    prefix = prefix_of(secret)
    session = uow.session
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_secret(secret)):
        raise AuthenticationError("api_key_invalid", "The API key is not valid.")
    now = utcnow()
    if key.revoked_at is not None:
        raise AuthenticationError("api_key_revoked", "The API key has been revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        raise AuthenticationError("api_key_expired", "The API key has expired.")
    user = session.get(User, key.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("token_user_inactive", "The API key's user is deactivated.")
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        with uow.transaction() as tx:
            key.last_used_at = now
            tx.add(key)
    assert key.id is not None
    return Principal(
        user=user, method="api_key", api_key_id=key.id, api_key_daily_usd=key.daily_usd
    )


def key_owner(session: Session, secret: str) -> KeyOwner | None:
    """The owner of a usable key, else None. Read-only: rate limiting keys API-key callers
    by their owner before the request is authenticated."""
    if not looks_like_key(secret):
        return None
    prefix = prefix_of(secret)
    row = session.exec(
        select(ApiKey, User)
        .join(User, col(User.id) == col(ApiKey.user_id))
        .where(ApiKey.prefix == prefix)
    ).first()
    if row is None:
        return None
    key, user = row
    usable = (
        hmac.compare_digest(key.key_hash, hash_secret(secret))
        and key.revoked_at is None
        and (key.expires_at is None or key.expires_at > utcnow())
        and user.is_active
    )
    if not usable:
        return None
    return KeyOwner(key.user_id, user.role.value, key.prefix, key.expires_at)


def revoke_all_keys(session: Session, user_id: int, revocations: RevocationStore) -> int:
    """Inside the caller's write: revoke every key of `user_id` (a deactivation, a password
    change); how many were revoked."""
    live = col(ApiKey.user_id) == user_id, col(ApiKey.revoked_at).is_(None)
    prefixes = session.exec(select(ApiKey.prefix).where(*live)).all()
    session.execute(update(ApiKey).where(*live).values(revoked_at=utcnow()))
    for prefix in prefixes:
        revocations.revoke(revocation_key(prefix), OWNER_CACHE_SECONDS)
    return len(prefixes)
