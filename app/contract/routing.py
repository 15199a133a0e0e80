"""Routing convention: from a spec operation to its handler in one hop.

Every operation's `operationId` is a short, client-facing lowerCamelCase name, verb first
(`getMe`, `listApiKeys`, `login`): SDK generators name their functions after it. The
handler follows from the spec by one rule:

    module   = app.<the operation's first tag>.handlers
    function = the operationId in snake_case

so `GET /auth/api-keys` (`tags: [auth]`, `operationId: listApiKeys`) is handled by
`app.auth.handlers.list_api_keys`, beside its service (`app/auth/service.py`). `TagResolver`
applies the rule for Connexion (public API: `connexion.resolver.Resolver`); the spec's
operationId stays the operation's id inside Connexion (routing scope, the RBAC table, the
access log). tests/contract/test_spec.py enforces the convention in both directions.

Handlers are imported by name at startup, never at import time.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any

from connexion.exceptions import ResolverError
from connexion.resolver import Resolver

from app.contract.spec import operations

HANDLER_PACKAGE = "app"
HANDLER_MODULE = "handlers"
# lowerCamelCase without consecutive capitals (`getApiKey`, not `getAPIKey`), so the
# snake_case function name is unambiguous and converts back to the same operationId.
OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*$")


def snake_case(operation_id: str) -> str:
    """`listApiKeys` -> `list_api_keys`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def camel_case(function_name: str) -> str:
    """`list_api_keys` -> `listApiKeys` (the inverse of `snake_case` on valid names)."""
    head, *rest = function_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def handler_name(operation: Mapping[str, Any]) -> str:
    """The dotted name of the function handling `operation` (raises ValueError if the
    operation breaks the convention)."""
    operation_id = operation.get("operationId")
    if not isinstance(operation_id, str) or not OPERATION_ID.match(operation_id):
        msg = f"operationId {operation_id!r} is not lowerCamelCase (e.g. listApiKeys)"
        raise ValueError(msg)
    tags = operation.get("tags") or []
    if not tags or not re.fullmatch(r"[a-z][a-z0-9_]*", str(tags[0])):
        msg = f"{operation_id}: the first tag must name a package in app/"
        raise ValueError(msg)
    return f"{HANDLER_PACKAGE}.{tags[0]}.{HANDLER_MODULE}.{snake_case(operation_id)}"


def handler_table(spec: dict[str, Any]) -> dict[str, str]:
    """operationId -> dotted handler name for every operation; operationIds are unique."""
    table: dict[str, str] = {}
    for method, path, operation in operations(spec):
        name = handler_name(operation)
        operation_id = operation["operationId"]
        if operation_id in table:
            msg = f"operationId {operation_id} is used twice ({method.upper()} {path})"
            raise ValueError(msg)
        table[operation_id] = name
    return table


class TagResolver(Resolver):  # type: ignore[misc]  # Connexion ships no type hints
    """Resolve each operation to `app.<first tag>.handlers.<operationId in snake_case>`."""

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        self._handlers = handler_table(spec)

    def resolve_function_from_operation_id(self, operation_id: str) -> Callable[..., Any]:
        target = self._handlers.get(operation_id)
        if target is None:
            msg = f"operationId {operation_id!r} is not in the spec this resolver was built from"
            raise ResolverError(msg)
        function: Callable[..., Any] = super().resolve_function_from_operation_id(target)
        return function


def coroutine_handlers(
    spec: dict[str, Any], resolver: TagResolver
) -> dict[str, Callable[..., Any]]:
    """operationId -> handler for the operations whose handler is `async def`: those are
    served on the event loop (`app.http.event_streams`), not by Flask."""
    handlers: dict[str, Callable[..., Any]] = {}
    for operation_id in handler_table(spec):
        function = resolver.resolve_function_from_operation_id(operation_id)
        if inspect.iscoroutinefunction(function):
            handlers[operation_id] = function
    return handlers
