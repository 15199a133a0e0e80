"""Login, refresh-token rotation with reuse detection, logout, and bearer verification."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core.errors import AppError
from app.core.security.errors import AuthError
from app.core.security.hashing import hash_secret
from app.core.security.login_throttle import LoginThrottle
from app.core.security.passwords import Passwords
from app.core.security.principal import Principal
from app.core.security.revocation import RevocationStore
from app.core.security.tokens import TokenCodec
from app.models import RefreshToken, User
from app.models.types import utcnow
from app.services.users import normalize_email
from generated.models import TokenPair


@dataclass(frozen=True)
class AuthKit:
    """Everything authentication needs; built once per process from settings."""

    passwords: Passwords
    tokens: TokenCodec
    revocations: RevocationStore
    throttle: LoginThrottle
    refresh_ttl_seconds: int


def _issue_pair(session: Session, kit: AuthKit, user: User, family_id: str | None) -> TokenPair:
    """A new access token and refresh token (in `family_id`, or a new family). Commits."""
    assert user.id is not None
    family_id = family_id or uuid.uuid4().hex
    refresh = secrets.token_urlsafe(48)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=hash_secret(refresh),
            expires_at=utcnow() + timedelta(seconds=kit.refresh_ttl_seconds),
        )
    )
    session.commit()
    access, _ = kit.tokens.issue(user_id=user.id, role=user.role, family_id=family_id)
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        token_type="Bearer",  # noqa: S106 - the OAuth token type, not a secret
        expires_in=kit.tokens.ttl,
        refresh_expires_in=kit.refresh_ttl_seconds,
    )


def login(session: Session, kit: AuthKit, *, email: str, password: str, client: str) -> TokenPair:
    """Same 401 and the same argon2 cost for an unknown email and a wrong password."""
    email = normalize_email(email)
    kit.throttle.check(email=email, client=client)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        kit.passwords.verify_dummy(password)
        ok = False
    else:
        ok = kit.passwords.verify(user.password_hash, password)
    if user is None or not ok:
        kit.throttle.record_failure(email=email, client=client)
        raise AuthError("invalid_credentials", "Email or password is wrong.", invalid_token=False)
    if not user.is_active:
        raise AppError("This account is deactivated.", status=403, code="user_inactive")
    kit.throttle.record_success(email=email)
    if kit.passwords.needs_rehash(user.password_hash):
        user.password_hash = kit.passwords.hash(password)
        session.add(user)
    return _issue_pair(session, kit, user, family_id=None)


def _revoke_family(session: Session, kit: AuthKit, family_id: str) -> None:
    session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    # Access tokens of the family die too (they live at most one access TTL).
    kit.revocations.revoke(f"fam:{family_id}", kit.tokens.ttl + kit.tokens.leeway)


def refresh(session: Session, kit: AuthKit, *, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is used up; presenting it again revokes its family."""
    row = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == hash_secret(refresh_token))
    ).first()
    if row is None:
        raise AuthError("refresh_token_invalid", "The refresh token is not valid.")
    if row.used_at is not None:
        _revoke_family(session, kit, row.family_id)
        session.commit()
        raise AuthError(
            "refresh_token_reused", "The refresh token was already used; its session is revoked."
        )
    if row.revoked_at is not None:
        raise AuthError("refresh_token_revoked", "The refresh token has been revoked.")
    if row.expires_at <= utcnow():
        raise AuthError("refresh_token_expired", "The refresh token has expired.")
    # Single use even under concurrency: only one UPDATE can flip used_at from NULL.
    claimed = session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.id) == row.id, col(RefreshToken.used_at).is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        _revoke_family(session, kit, row.family_id)
        session.commit()
        raise AuthError(
            "refresh_token_reused", "The refresh token was already used; its session is revoked."
        )
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        session.rollback()
        raise AuthError("token_user_inactive", "The account is deactivated or deleted.")
    return _issue_pair(session, kit, user, family_id=row.family_id)


def logout(session: Session, kit: AuthKit, principal: Principal) -> None:
    """Revoke the access token (until its expiry) and the refresh family it came from."""
    if principal.jti is None or principal.expires_at is None:
        raise AppError("Logout needs a bearer access token.", code="not_a_session")
    remaining = principal.expires_at - int(utcnow().timestamp()) + kit.tokens.leeway
    kit.revocations.revoke(f"jti:{principal.jti}", remaining)
    if principal.family_id:
        _revoke_family(session, kit, principal.family_id)
    session.commit()


def authenticate_bearer(session: Session, kit: AuthKit, token: str) -> Principal:
    """Verify an access token and that its user still exists and is active."""
    claims = kit.tokens.decode(token)
    keys = [f"jti:{claims.jti}"] + ([f"fam:{claims.family_id}"] if claims.family_id else [])
    if kit.revocations.any_revoked(*keys):
        raise AuthError("token_revoked", "The token has been revoked.")
    user = session.get(User, claims.user_id)
    if user is None:
        raise AuthError("token_user_not_found", "The token's user no longer exists.")
    if not user.is_active:
        raise AuthError("token_user_inactive", "The token's user is deactivated.")
    # The current role from the database, so a demotion takes effect at once.
    return Principal(
        user_id=claims.user_id,
        role=user.role,
        method="bearer",
        jti=claims.jti,
        family_id=claims.family_id,
        expires_at=claims.expires_at,
    )
