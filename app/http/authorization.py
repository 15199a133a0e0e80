"""Early role check: right after authentication, before request validation, so a caller
whose role may not call an operation learns nothing about its body schema, whichever
credential it sends.

Bearer tokens carry the role (and a token whose role changed no longer passes the session
check), so this is decided without I/O. An API key's role is its owner's: read once per
minute per key (`KeyOwners`, shared with the rate limiter); a refusal on a remembered
role is re-read first, so a promoted owner is never refused on a stale one. A key that
does not resolve, or cannot be checked because the revocation store is unreachable, is left
to `app.http.handler_context`, which refuses it with its precise reason and applies the same
`authorize` rule to every caller, definitively.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.contract.roles import RoleTable, authorize
from app.errors import AuthenticationError, ForbiddenError
from app.http import connexion_compat
from app.http.security import KeyOwners, api_key_of
from app.infra.rate_limiter import STORAGE_ERRORS


class RoleMiddleware:
    """403 `forbidden` when the caller's role is not in the operation's `x-roles`."""

    def __init__(self, app: ASGIApp, *, roles: RoleTable, owners: KeyOwners) -> None:
        self.app = app
        self.roles = roles
        self.owners = owners

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            op = connexion_compat.operation_id(scope)
            if op is not None and op in self.roles:
                info = connexion_compat.token_info(scope)
                if info is None:
                    raise AuthenticationError(
                        "not_authenticated", "Credentials are required.", invalid_token=False
                    )
                if isinstance(info.get("role"), str):
                    authorize(self.roles, op, info["role"])
                else:
                    secret = api_key_of(info)
                    if secret is not None:
                        await self._authorize_key(op, secret)
        await self.app(scope, receive, send)

    async def _authorize_key(self, op: str, secret: str) -> None:
        try:
            owner = await self.owners.owner(secret)
            if owner is None:
                return
            try:
                authorize(self.roles, op, owner.role)
            except ForbiddenError:
                owner = await self.owners.owner(secret, fresh=True)
                if owner is not None:
                    authorize(self.roles, op, owner.role)
        except STORAGE_ERRORS:
            return  # revocation unknown: the definitive check in Flask decides
