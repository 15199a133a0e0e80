"""The I/O half of authentication, shared by the Flask path (`app.http.handler_context`) and the
routes served on the event loop (`app.http.event_streams`, which call it in a thread).

Connexion's security middleware has verified the credential's form (and a token's
signature and claims) on the event loop; this checks what needs the database and Redis
(revocation, the account, the session stamp, an API key's row) and applies the spec's
`x-roles` to the caller's role, definitively. The checks themselves belong to the security
domain: the composition root binds them here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.accounts.principal import Principal
from app.contract.roles import RoleTable, authorize
from app.http.security import api_key_of, claims_of
from app.infra.db import UnitOfWork


@dataclass(frozen=True)
class CallerChecks:
    """Each scheme's I/O check (a bearer token's claims, an API key's secret) and the
    spec's role table."""

    bearer: Callable[[UnitOfWork, Any], Principal]
    api_key: Callable[[UnitOfWork, str], Principal]
    roles: RoleTable

    def authenticate(
        self, uow: UnitOfWork, token_info: dict[str, Any] | None, operation_id: str | None
    ) -> Principal | None:
        """The caller, or None for an unsecured operation (no token info)."""
        if token_info is None:
            return None
        claims, key = claims_of(token_info), api_key_of(token_info)
        principal: Principal | None = None
        if claims is not None:
            principal = self.bearer(uow, claims)
        elif key is not None:
            principal = self.api_key(uow, key)
        if principal is not None and operation_id is not None:
            authorize(self.roles, operation_id, principal.role)
        return principal
