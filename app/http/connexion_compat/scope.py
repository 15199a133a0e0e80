"""What Connexion recorded about the request (checklist item 5): the routed operationId,
in the scope (event loop) and in the Flask thread's context."""

from __future__ import annotations

from typing import Any

import flask
from connexion.context import operation as connexion_operation
from starlette.types import Scope


def operation_id(scope: Scope) -> str | None:
    """The operationId Connexion's router matched, if any."""
    routing = scope.get("extensions", {}).get("connexion_routing", {})
    value = routing.get("operation_id")
    return value if isinstance(value, str) else None


def current_scope() -> dict[str, Any] | None:
    """The ASGI scope of the request this Flask thread serves (None outside an operation)."""
    value = flask.request.environ.get("asgi.scope")  # a2wsgi's (checklist item 3)
    return value if isinstance(value, dict) else None


def routed_by_connexion() -> bool:
    """Whether the request this Flask thread serves was routed to an operation by Connexion
    (so validated and authenticated); False for plain Flask routes and stray matches."""
    return current_operation_id() is not None


def current_operation_id() -> str | None:
    try:
        value = connexion_operation.operation_id
    except (LookupError, RuntimeError):
        return None
    return value if isinstance(value, str) else None
