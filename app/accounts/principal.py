"""Who is calling: the authenticated account, loaded once per request and handed to handlers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.accounts.models import Role, User
from app.errors import ForbiddenError

# `job`: a background job acting for its owner (app/jobs/service.py).
AuthMethod = Literal["bearer", "api_key", "job"]


@dataclass(frozen=True)
class Principal:
    """The caller. `user` is the row loaded during authentication (never reloaded)."""

    user: User
    method: AuthMethod
    jti: str | None = None
    family_id: str | None = None
    expires_at: int | None = None
    api_key_id: int | None = None
    # The key's own daily AI spending cap in dollars (None: only the role's budget).
    api_key_daily_usd: Decimal | None = None

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role


def require_session(principal: Principal, what: str) -> None:
    """403 `session_required` unless the caller holds a login session (a bearer token).

    What outlives or replaces credentials (API keys, the password, the email) is managed
    from a session only: a leaked API key must not mint keys, shield itself from
    revocation, or take the account over by changing its password."""
    if principal.method != "bearer":
        raise ForbiddenError(
            f"{what} needs a login session (a bearer token), not an API key.",
            code="session_required",
        )
