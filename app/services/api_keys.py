"""API keys for machine clients: `ak_<prefix>_<secret>`, shown once, stored hashed."""

from __future__ import annotations

import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.core.errors import NotFoundError, RequestValidationError, field_error
from app.core.security.errors import AuthError
from app.core.security.hashing import hash_secret
from app.core.security.principal import Principal
from app.models import ApiKey, User
from app.models.types import utcnow
from app.services.pagination import PageResult, paginate

_ALPHABET = string.ascii_lowercase + string.digits
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str


def _new_prefix() -> str:
    return "ak_" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def create_key(
    session: Session, *, user_id: int, name: str, expires_at: datetime | None
) -> CreatedKey:
    if expires_at is not None and expires_at <= utcnow():
        raise RequestValidationError(
            "The expiry must be in the future.",
            errors=[field_error("body", "expires_at", "Must be in the future.")],
        )
    prefix = _new_prefix()
    while session.exec(select(ApiKey.id).where(ApiKey.prefix == prefix)).first() is not None:
        prefix = _new_prefix()  # 36^8 prefixes: a clash is rare, but must not be a 500
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        user_id=user_id,
        name=name.strip(),
        prefix=prefix,
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    session.add(key)
    session.commit()
    session.refresh(key)
    return CreatedKey(key=key, secret=secret)


def list_keys(session: Session, *, user_id: int, page: int, size: int) -> PageResult[ApiKey]:
    statement = select(ApiKey).where(ApiKey.user_id == user_id, col(ApiKey.revoked_at).is_(None))
    return paginate(
        session,
        statement,
        page=page,
        size=size,
        order_by=[col(ApiKey.created_at).desc(), col(ApiKey.id).desc()],
    )


def revoke_key(session: Session, *, user_id: int, key_id: int) -> None:
    """Another user's key is "not found": ids must not reveal other users' keys."""
    key = session.get(ApiKey, key_id)
    if key is None or key.user_id != user_id or key.revoked_at is not None:
        raise NotFoundError(f"API key {key_id} does not exist.")
    key.revoked_at = utcnow()
    session.add(key)
    session.commit()


def authenticate_api_key(session: Session, secret: str) -> Principal:
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "ak" or len(secret) > 200:
        raise AuthError("api_key_invalid", "The API key is not valid.")
    prefix = f"ak_{parts[1]}"
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_secret(secret)):
        raise AuthError("api_key_invalid", "The API key is not valid.")
    now = utcnow()
    if key.revoked_at is not None:
        raise AuthError("api_key_revoked", "The API key has been revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        raise AuthError("api_key_expired", "The API key has expired.")
    user = session.get(User, key.user_id)
    if user is None or not user.is_active:
        raise AuthError("token_user_inactive", "The API key's user is deactivated.")
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        key.last_used_at = now
        session.add(key)
        session.commit()
    assert key.id is not None
    assert user.id is not None
    return Principal(user_id=user.id, role=user.role, method="api_key", api_key_id=key.id)
