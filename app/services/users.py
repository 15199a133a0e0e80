"""Accounts: creation, lookup, listing, profile changes and administration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core.errors import (
    AppError,
    ConflictError,
    NotFoundError,
    RequestValidationError,
    field_error,
)
from app.core.security.passwords import Passwords
from app.models import RefreshToken, Role, User
from app.models.types import utcnow
from app.services.pagination import PageResult, paginate

MIN_PASSWORD, MAX_PASSWORD = 8, 128
SORTABLE = {
    "id": User.id,
    "email": User.email,
    "full_name": User.full_name,
    "role": User.role,
    "created_at": User.created_at,
}


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively: store and look them up lowercased."""
    return email.strip().lower()


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
        raise RequestValidationError("The password does not meet the policy.", errors=errors)


def create_user(
    session: Session,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role = Role.USER,
) -> User:
    """Create an account; 409 `email_taken` if the email exists in any letter case."""
    email = normalize_email(email)
    _check_password(password, email)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise ConflictError("An account with this email already exists.", code="email_taken")
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=passwords.hash(password),
        role=role.value,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # lost a race with a concurrent registration
        session.rollback()
        raise ConflictError(
            "An account with this email already exists.", code="email_taken"
        ) from exc
    session.refresh(user)
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"User {user_id} does not exist.")
    return user


def get_by_email(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None:
        raise NotFoundError(f"No user with email {normalize_email(email)}.")
    return user


def list_users(
    session: Session,
    *,
    page: int,
    size: int,
    sort: str = "id",
    order: Literal["asc", "desc"] = "asc",
    role: str | None = None,
    is_active: bool | None = None,
) -> PageResult[User]:
    statement = select(User)
    if role is not None:
        statement = statement.where(User.role == role)
    if is_active is not None:
        statement = statement.where(User.is_active == is_active)
    column = col(SORTABLE[sort])
    primary = column.asc() if order == "asc" else column.desc()
    return paginate(
        session, statement, page=page, size=size, order_by=[primary, col(User.id).asc()]
    )


def update_profile(
    session: Session,
    passwords: Passwords,
    user: User,
    *,
    full_name: str | None = None,
    password: str | None = None,
    current_password: str | None = None,
) -> User:
    """The caller's own changes. A new password needs the current one and ends other sessions."""
    if password is not None:
        if current_password is None:
            raise RequestValidationError(
                "Changing the password requires the current password.",
                errors=[field_error("body", "current_password", "Required with 'password'.")],
            )
        if not passwords.verify(user.password_hash, current_password):
            raise AppError(
                "The current password is wrong.",
                status=422,
                code="invalid_current_password",
                errors=[field_error("body", "current_password", "Does not match.")],
            )
        _check_password(password, user.email)
        user.password_hash = passwords.hash(password)
        revoke_all_refresh_tokens(session, user.id)
    if full_name is not None:
        user.full_name = full_name.strip()
    user.updated_at = utcnow()
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def revoke_all_refresh_tokens(session: Session, user_id: int | None) -> None:
    session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def _active_admin_ids(session: Session) -> Sequence[int | None]:
    """Locks the active admins (PostgreSQL) so two concurrent demotions cannot both pass."""
    return session.exec(
        select(User.id)
        .where(User.role == Role.ADMIN.value, col(User.is_active).is_(True))
        .with_for_update()
    ).all()


def _guard_last_admin(session: Session, user: User, *, stays_active_admin: bool) -> None:
    if user.role != Role.ADMIN.value or not user.is_active or stays_active_admin:
        return
    if list(_active_admin_ids(session)) == [user.id]:
        raise ConflictError("This is the last active admin.", code="last_admin")


def admin_update(
    session: Session, user_id: int, *, role: str | None = None, is_active: bool | None = None
) -> User:
    """Change role and/or active flag; never leaves the system without an active admin."""
    user = get_user(session, user_id)
    new_role = role if role is not None else user.role
    new_active = is_active if is_active is not None else user.is_active
    _guard_last_admin(session, user, stays_active_admin=new_role == Role.ADMIN.value and new_active)
    user.role, user.is_active, user.updated_at = new_role, new_active, utcnow()
    if not new_active:
        revoke_all_refresh_tokens(session, user.id)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def delete_user(session: Session, user_id: int) -> None:
    user = get_user(session, user_id)
    _guard_last_admin(session, user, stays_active_admin=False)
    session.delete(user)
    session.commit()
