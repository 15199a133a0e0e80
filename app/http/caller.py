"""The I/O half of authentication, shared by the Flask path (`app.http.handler_context`) and the
routes served on the event loop (`app.http.event_streams`, which call it in a thread).

Connexion's security middleware has verified the credential's form (and a token's
signature and claims) on the event loop; this checks what needs the database and Redis
(revocation, the account, the session stamp, an API key's row) and applies the spec's
`x-roles` to the caller's role, definitively.
"""

from __future__ import annotations

from typing import Any

from app.accounts.principal import Principal
from app.auth import api_keys
from app.container import Services
from app.contract.roles import RoleTable, authorize
from app.http.security import api_key_of, claims_of
from app.infra.db import UnitOfWork


def authenticate(
    services: Services,
    uow: UnitOfWork,
    token_info: dict[str, Any] | None,
    roles: RoleTable,
    operation_id: str | None,
) -> Principal | None:
    """The caller, or None for an unsecured operation (no token info)."""
    if token_info is None:
        return None
    claims, key = claims_of(token_info), api_key_of(token_info)
    principal: Principal | None = None
    if claims is not None:
        principal = services.auth.authenticate_bearer(uow, claims)
    elif key is not None:
        principal = api_keys.authenticate_api_key(uow, key)
    if principal is not None and operation_id is not None:
        authorize(roles, operation_id, principal.role)
    return principal
