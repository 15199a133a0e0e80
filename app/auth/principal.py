"""Who is calling: the authenticated account, loaded once per request and handed to handlers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.models import Role, User

# `job`: a background job acting for its owner (app/services/jobs.py).
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
