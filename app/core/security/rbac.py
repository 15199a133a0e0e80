"""Role-based access declared in the spec: each secured operation lists `x-roles`.

The table is read once at startup (a secured operation without `x-roles` is a startup
error), and the middleware enforces it right after authentication, before request
validation, so a forbidden caller learns nothing about the body schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.security.errors import AuthError, ForbiddenError
from app.core.spec import operations

ROLES = frozenset({"admin", "user", "readonly"})


def roles_by_operation(spec: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """operationId -> allowed roles, for every operation that requires credentials."""
    table: dict[str, frozenset[str]] = {}
    default_security = spec.get("security", [])
    for method, path, op in operations(dict(spec)):
        security = op.get("security", default_security)
        if not security or security == [{}]:
            if "x-roles" in op:
                msg = f"{method.upper()} {path}: x-roles on a public operation"
                raise ValueError(msg)
            continue
        roles = op.get("x-roles")
        if not roles or not set(roles) <= ROLES:
            msg = f"{method.upper()} {path}: secured operations need x-roles from {sorted(ROLES)}"
            raise ValueError(msg)
        table[op["operationId"]] = frozenset(roles)
    return table


class RoleMiddleware:
    """403 `forbidden` when the caller's role is not in the operation's `x-roles`."""

    def __init__(self, app: ASGIApp, *, roles: Mapping[str, frozenset[str]]) -> None:
        self.app = app
        self.roles = roles

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            extensions = scope.get("extensions", {})
            operation_id = extensions.get("connexion_routing", {}).get("operation_id")
            allowed = self.roles.get(operation_id) if operation_id else None
            if allowed is not None:
                token_info = extensions.get("connexion_context", {}).get("token_info")
                if token_info is None:
                    raise AuthError(
                        "not_authenticated", "Credentials are required.", invalid_token=False
                    )
                if token_info["role"] not in allowed:
                    raise ForbiddenError(
                        f"This operation requires one of the roles: {', '.join(sorted(allowed))}."
                    )
        await self.app(scope, receive, send)
