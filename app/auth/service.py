"""Login, refresh-token rotation with reuse detection, logout, bearer verification, the
password check of a credential change, and ending a user's sessions. Every method takes the
caller's unit of work and owns its writes.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.accounts.principal import Principal
from app.audit.models import AuditAction
from app.audit.trail import ANONYMOUS, AuditTrail
from app.auth.hashing import hash_secret
from app.auth.login_throttle import LockedOutError, LoginThrottle
from app.auth.models import RefreshToken
from app.auth.passwords import Passwords
from app.auth.revocation import RevocationStore
from app.auth.tokens import AccessClaims, TokenCodec
from app.errors import AuthenticationError, DomainError, InvalidInputError, field_error
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively: store and look them up lowercased."""
    return email.strip().lower()


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def _reused() -> AuthenticationError:
    return AuthenticationError(
        "refresh_token_reused", "The refresh token was already used; its session is revoked."
    )


class AuthService:
    """Everything authentication needs; built once per process by the composition root."""

    def __init__(
        self,
        *,
        passwords: Passwords,
        tokens: TokenCodec,
        revocations: RevocationStore,
        throttle: LoginThrottle,
        refresh_ttl_seconds: int,
    ) -> None:
        self.passwords = passwords
        self.tokens = tokens
        self.revocations = revocations
        self.throttle = throttle
        self.refresh_ttl_seconds = refresh_ttl_seconds

    def login(
        self,
        uow: UnitOfWork,
        *,
        email: str,
        password: str,
        client: str,
        audit: AuditTrail | None = None,
    ) -> IssuedTokens:
        """Same 401 and the same argon2 cost for an unknown email and a wrong password.

        Failures and lockouts are audited (`audit` says which request; anonymous from
        `client` without one); the attempted email is recorded, never the password."""
        email = normalize_email(email)
        audit = audit or AuditTrail(ANONYMOUS, client=client)
        self._attempt(uow, email=email, client=client, audit=audit)
        user = uow.session.exec(select(User).where(User.email == email)).first()
        uow.release()  # argon2 takes a while: hold no connection meanwhile
        if user is None:
            self.passwords.verify_dummy(password)
            ok = False
        else:
            ok = self.passwords.verify(user.password_hash, password)
        if user is None or not ok or not user.is_active:
            reason = "invalid_credentials" if user is None or not ok else "user_inactive"
            audit.record_alone(
                uow,
                AuditAction.AUTH_LOGIN_FAILED,
                target_type="user" if user is not None else None,
                target_id=user.id if user is not None else None,
                details={"email": email, "reason": reason},
            )
        if user is None or not ok:
            raise AuthenticationError(
                "invalid_credentials", "Email or password is wrong.", invalid_token=False
            )
        if not user.is_active:
            raise DomainError("This account is deactivated.", code="user_inactive")
        self.throttle.record_success(email=email, client=client)
        new_hash = (
            self.passwords.hash(password)
            if self.passwords.needs_rehash(user.password_hash)
            else None
        )
        with uow.transaction() as session:
            if new_hash is not None:
                user.password_hash = new_hash
                session.add(user)
            return self._issue(session, user, family_id=None)

    def check_current_password(
        self, uow: UnitOfWork, user: User, password: str, *, client: str, audit: AuditTrail
    ) -> None:
        """The proof a credential change needs, guarded like a login: counted against the
        same lockout (per email and per client) before argon2 runs, a failure audited as
        `auth.login_failed` (reason `invalid_current_password`), a success clears the
        email's counter. Wrong: 422 `invalid_current_password`; locked out: 429."""
        self._attempt(uow, email=user.email, client=client, audit=audit)
        uow.release()  # argon2 takes a while: hold no connection meanwhile
        if not self.passwords.verify(user.password_hash, password):
            audit.record_alone(
                uow,
                AuditAction.AUTH_LOGIN_FAILED,
                target_type="user",
                target_id=user.id,
                details={"email": user.email, "reason": "invalid_current_password"},
            )
            raise InvalidInputError(
                "The current password is wrong.",
                code="invalid_current_password",
                errors=[field_error("body", "current_password", "Does not match.")],
            )
        self.throttle.record_success(email=user.email, client=client)

    def refresh(
        self, uow: UnitOfWork, *, refresh_token: str, audit: AuditTrail | None = None
    ) -> IssuedTokens:
        """Rotate: the presented token is used up; presenting it again revokes its family
        (audited as `auth.refresh_token_reused`, naming the user and the family)."""
        with uow.transaction() as session:
            row = session.exec(
                select(RefreshToken).where(RefreshToken.token_hash == hash_secret(refresh_token))
            ).first()
            if row is None:
                raise AuthenticationError(
                    "refresh_token_invalid", "The refresh token is not valid."
                )
            if row.used_at is None and row.revoked_at is not None:
                raise AuthenticationError(
                    "refresh_token_revoked", "The refresh token has been revoked."
                )
            if row.used_at is None and row.expires_at <= utcnow():
                raise AuthenticationError("refresh_token_expired", "The refresh token has expired.")
            # Single use even under concurrency: only one UPDATE can flip used_at from NULL.
            claimed = row.used_at is None and self._claim(session, row)
            if claimed:
                user = session.get(User, row.user_id)
                if user is None or not user.is_active:
                    raise AuthenticationError(
                        "token_user_inactive", "The account is deactivated or deleted."
                    )
                return self._issue(session, user, family_id=row.family_id)
            self._revoke_family(session, row.family_id)
        # Reuse: raised after the block so the family's revocation is committed.
        (audit or AuditTrail()).record_alone(
            uow,
            AuditAction.AUTH_REFRESH_TOKEN_REUSED,
            target_type="user",
            target_id=row.user_id,
            details={"family_id": row.family_id},
        )
        raise _reused()

    def logout(self, uow: UnitOfWork, principal: Principal) -> None:
        """Revoke the access token (until its expiry) and the refresh family it came from."""
        if principal.jti is None or principal.expires_at is None:
            raise DomainError("Logout needs a bearer access token.", code="not_a_session")
        remaining = principal.expires_at - int(utcnow().timestamp()) + self.tokens.leeway
        self.revocations.revoke(f"jti:{principal.jti}", remaining)
        if principal.family_id:
            with uow.transaction() as session:
                self._revoke_family(session, principal.family_id)

    def verify_access_token(self, token: str) -> AccessClaims:
        """The CPU-only half of bearer authentication: signature and claims."""
        return self.tokens.decode(token)

    def authenticate_bearer(self, uow: UnitOfWork, claims: AccessClaims) -> Principal:
        """The I/O half: not revoked, the account exists, is active, and still has the
        session stamp the token was issued under (so a password, role or active-flag
        change ends the session at once, and ids never carry over to another account)."""
        if self.revocations.any_revoked(*self.token_revocation_keys(claims)):
            raise AuthenticationError("token_revoked", "The token has been revoked.")
        return self.bearer_account(uow, claims)

    def bearer_account(self, uow: UnitOfWork, claims: AccessClaims) -> Principal:
        """`authenticate_bearer` without the revocation check (the HTTP auth pipeline reads
        the notices once per request, on the event loop)."""
        user = uow.session.get(User, claims.user_id)
        if user is None:
            raise AuthenticationError("token_user_not_found", "The token's user no longer exists.")
        if not user.is_active:
            raise AuthenticationError("token_user_inactive", "The token's user is deactivated.")
        if not secrets.compare_digest(user.session_stamp, claims.session_stamp):
            raise AuthenticationError(
                "token_revoked", "The session ended: the account's credentials or role changed."
            )
        return Principal(
            user=user,
            method="bearer",
            jti=claims.jti,
            family_id=claims.family_id,
            expires_at=claims.expires_at,
        )

    def end_sessions(self, session: Session, user: User) -> None:
        """Inside the caller's write: every access and refresh token of `user` stops working.
        The old session stamp is also noted as revoked, so the rate limiter (which reads no
        account row) stops counting those tokens as the user's."""
        self.revocations.revoke(f"sst:{user.session_stamp}", self.tokens.ttl + self.tokens.leeway)
        user.end_sessions()
        session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.user_id) == user.id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )

    def start_session(self, session: Session, user: User) -> IssuedTokens:
        """Inside the caller's write: a new login session (a new family) for `user`, e.g.
        the caller's own after a credential change ended all the others."""
        return self._issue(session, user, family_id=None)

    @staticmethod
    def token_revocation_keys(claims: AccessClaims) -> list[str]:
        """The notices that revoke this very token (its jti, its login family)."""
        return [f"jti:{claims.jti}"] + ([f"fam:{claims.family_id}"] if claims.family_id else [])

    @staticmethod
    def revocation_keys(claims: AccessClaims) -> list[str]:
        """Every revocation notice that would refuse a token with these claims."""
        keys = [f"jti:{claims.jti}", f"sst:{claims.session_stamp}"]
        return keys + ([f"fam:{claims.family_id}"] if claims.family_id else [])

    def _attempt(self, uow: UnitOfWork, *, email: str, client: str, audit: AuditTrail) -> None:
        """Count one password attempt; the first refusal of a lockout window is audited."""
        try:
            self.throttle.attempt_login(email=email, client=client)
        except LockedOutError as exc:
            if exc.first:
                details = {"email": email, "scope": exc.scope, "retry_after": exc.retry_after}
                audit.record_alone(uow, AuditAction.AUTH_LOCKED_OUT, details=details)
            raise

    def _issue(self, session: Session, user: User, family_id: str | None) -> IssuedTokens:
        """A new access token and refresh token (in `family_id`, or a new family)."""
        assert user.id is not None
        family_id = family_id or uuid.uuid4().hex
        refresh = secrets.token_urlsafe(48)
        session.add(
            RefreshToken(
                user_id=user.id,
                family_id=family_id,
                token_hash=hash_secret(refresh),
                expires_at=utcnow() + timedelta(seconds=self.refresh_ttl_seconds),
            )
        )
        access, _ = self.tokens.issue(
            user_id=user.id, role=user.role, family_id=family_id, session_stamp=user.session_stamp
        )
        return IssuedTokens(
            access_token=access,
            refresh_token=refresh,
            expires_in=self.tokens.ttl,
            refresh_expires_in=self.refresh_ttl_seconds,
        )

    @staticmethod
    def _claim(session: Session, row: RefreshToken) -> bool:
        result = session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.id) == row.id, col(RefreshToken.used_at).is_(None))
            .values(used_at=utcnow())
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    def _revoke_family(self, session: Session, family_id: str) -> None:
        session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )
        # Access tokens of the family die too (they live at most one access TTL).
        self.revocations.revoke(f"fam:{family_id}", self.tokens.ttl + self.tokens.leeway)
