"""Accounts: creation, lookup, listing, profile changes and administration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import Role, User
from app.accounts.principal import Principal, require_session
from app.audit.models import AuditAction
from app.audit.trail import AuditTrail
from app.auth.api_keys import revoke_all_keys
from app.auth.service import AuthService, IssuedTokens, normalize_email
from app.errors import ConflictError, InvalidInputError, NotFoundError, field_error
from app.infra.cache import Cache
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, contains_text, created_window, page_of

MIN_PASSWORD, MAX_PASSWORD = 8, 128
# The fields of a self-service update (`UpdateMeRequest`), split by what they touch. A field
# that proves or replaces a credential (an email too, should the API let it change) needs a
# login session and the current password; a test keeps every request field in one set.
CREDENTIAL_FIELDS = frozenset({"password", "current_password", "email"})
PROFILE_FIELDS = frozenset({"full_name"})
SORTABLE = {
    "id": User.id,
    "email": User.email,
    "full_name": User.full_name,
    "role": User.role,
    "created_at": User.created_at,
}


def password_errors(password: str, email: str, field: str = "password") -> list[dict[str, str]]:
    """The password policy; also enforced by the spec's schema for API requests."""
    errors = []
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors.append(
            field_error("body", field, f"Must be {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
        )
    if password.strip().lower() == normalize_email(email):
        errors.append(field_error("body", field, "Must not be the same as the email."))
    return errors


def _check_password(password: str, email: str, field: str = "password") -> None:
    errors = password_errors(password, email, field)
    if errors:
        raise InvalidInputError("The password does not meet the policy.", errors=errors)


def _email_taken() -> ConflictError:
    return ConflictError("An account with this email already exists.", code="email_taken")


def create_user(
    uow: UnitOfWork,
    auth: AuthService,
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role = Role.USER,
) -> User:
    """Create an account; 409 `email_taken` if the email exists in any letter case."""
    email = normalize_email(email)
    _check_password(password, email)
    if uow.session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise _email_taken()
    uow.release()  # hashing is slow: hold no connection meanwhile
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=auth.passwords.hash(password),
        role=role,
    )
    try:
        with uow.transaction() as session:
            session.add(user)
    except IntegrityError as exc:  # lost a race with a concurrent registration
        raise _email_taken() from exc
    return user


def get_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"User {user_id} does not exist.")
    return user


def get_by_email(uow: UnitOfWork, email: str) -> User:
    user = uow.session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None:
        raise NotFoundError(f"No user with email {normalize_email(email)}.")
    return user


def list_users(
    uow: UnitOfWork,
    request: PageRequest,
    *,
    q: str | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> PageResult[User]:
    """A page of accounts; `q` matches the email or the name, case-insensitively."""
    statement = select(User).where(*created_window(User.created_at, created_after, created_before))
    if q:
        statement = statement.where(contains_text(q, User.email, User.full_name))
    if role is not None:
        statement = statement.where(User.role == role)
    if is_active is not None:
        statement = statement.where(User.is_active == is_active)
    return page_of(uow.session, statement, request, sortable=SORTABLE, tiebreaker=User.id)


@dataclass(frozen=True)
class ProfileUpdate:
    """The updated account and, after a credential change, the caller's new session."""

    user: User
    tokens: IssuedTokens | None = None


def update_profile(
    uow: UnitOfWork,
    auth: AuthService,
    principal: Principal,
    *,
    full_name: str | None = None,
    password: str | None = None,
    current_password: str | None = None,
    client: str,
    audit: AuditTrail,
) -> ProfileUpdate:
    """The caller's own changes.

    A credential change needs a login session (403 `session_required` for an API key) and
    the current password, checked like a login (the same lockout). A new password ends
    every session and revokes every API key of the account, is audited as
    `user.password_changed`, and starts a new session for the caller (returned).
    """
    sent = {"full_name": full_name, "password": password, "current_password": current_password}
    if any(value is not None for name, value in sent.items() if name in CREDENTIAL_FIELDS):
        require_session(principal, "Changing the password")
    user = principal.user
    new_hash = None
    if password is not None:
        if current_password is None:
            raise InvalidInputError(
                "Changing the password requires the current password.",
                errors=[field_error("body", "current_password", "Required with 'password'.")],
            )
        _check_password(password, user.email)
        auth.check_current_password(uow, user, current_password, client=client, audit=audit)
        new_hash = auth.passwords.hash(password)
    tokens = None
    with uow.transaction() as session:
        if new_hash is not None:
            assert user.id is not None
            user.password_hash = new_hash
            auth.end_sessions(session, user)
            revoked = revoke_all_keys(session, user.id, auth.revocations)
            audit.record(
                session,
                AuditAction.USER_PASSWORD_CHANGED,
                target_type="user",
                target_id=user.id,
                details={"email": user.email, "api_keys_revoked": revoked},
            )
            tokens = auth.start_session(session, user)
        if full_name is not None:
            user.full_name = full_name.strip()
        user.updated_at = utcnow()
        session.add(user)
    return ProfileUpdate(user, tokens)


def _active_admin_ids(session: Session) -> Sequence[int | None]:
    """Locks the active admins (PostgreSQL) so two concurrent demotions cannot both pass."""
    return session.exec(
        select(User.id)
        .where(User.role == Role.ADMIN, col(User.is_active).is_(True))
        .with_for_update()
    ).all()


def _guard_last_admin(session: Session, user: User, *, stays_active_admin: bool) -> None:
    if user.role != Role.ADMIN or not user.is_active or stays_active_admin:
        return
    if list(_active_admin_ids(session)) == [user.id]:
        raise ConflictError("This is the last active admin.", code="last_admin")


def admin_update(
    uow: UnitOfWork,
    auth: AuthService,
    user_id: int,
    *,
    role: Role | None = None,
    is_active: bool | None = None,
    audit: AuditTrail,
) -> User:
    """Change role and/or active flag; never leaves the system without an active admin.

    A role change or a deactivation ends the user's sessions; a deactivation also revokes
    their API keys, so reactivating an account brings back no old credential. Each real
    change is audited (one row per change, none for a no-op) in the same transaction.
    """
    with uow.transaction() as session:
        user = get_user(uow, user_id)
        new_role = role if role is not None else user.role
        new_active = is_active if is_active is not None else user.is_active
        _guard_last_admin(session, user, stays_active_admin=new_role == Role.ADMIN and new_active)
        if new_role != user.role or (user.is_active and not new_active):
            auth.end_sessions(session, user)
        if user.is_active and not new_active:
            assert user.id is not None
            revoke_all_keys(session, user.id, auth.revocations)
        if new_role != user.role:
            audit.record(
                session,
                AuditAction.USER_ROLE_CHANGED,
                target_type="user",
                target_id=user_id,
                details={"email": user.email, "from": user.role.value, "to": new_role.value},
            )
        if new_active != user.is_active:
            action = AuditAction.USER_REACTIVATED if new_active else AuditAction.USER_DEACTIVATED
            details = {"email": user.email}
            audit.record(session, action, target_type="user", target_id=user_id, details=details)
        user.role, user.is_active, user.updated_at = new_role, new_active, utcnow()
        session.add(user)
    return user


def delete_user(uow: UnitOfWork, user_id: int, *, cache: Cache, audit: AuditTrail) -> None:
    """Delete the account; the database deletes what it owns (keys, tokens, items,
    documents: ON DELETE CASCADE), so every cached item and document view is dropped.
    Audited with the account's email and role (the row outlives the account)."""
    with uow.transaction() as session:
        user = get_user(uow, user_id)
        _guard_last_admin(session, user, stays_active_admin=False)
        audit.record(
            session,
            AuditAction.USER_DELETED,
            target_type="user",
            target_id=user_id,
            details={"email": user.email, "role": user.role.value},
        )
        session.delete(user)
    cache.invalidate("items:*", "documents:*")
