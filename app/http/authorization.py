"""Early role check: right after authentication, before request validation, so a caller
whose token's role may not call an operation learns nothing about its body schema.

Bearer tokens carry the role (and a token whose role changed no longer passes the session
check), so this is decided without I/O. API-key callers' roles are known only once the key
is read; `app.http.context` applies the same `authorize` rule to every caller, definitively.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth.rbac import RoleTable, authorize
from app.errors import AuthenticationError
from app.http import connexion_compat


class RoleMiddleware:
    """403 `forbidden` when the token's role is not in the operation's `x-roles`."""

    def __init__(self, app: ASGIApp, *, roles: RoleTable) -> None:
        self.app = app
        self.roles = roles

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
        await self.app(scope, receive, send)
