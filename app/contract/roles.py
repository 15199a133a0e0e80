"""Role-based access declared in the spec: each secured operation lists `x-roles`.

The table is built once at startup (a secured operation without valid `x-roles` is a
startup error); `authorize` is the one policy check, called wherever the caller's role is
known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.accounts.models import Role
from app.errors import ForbiddenError

RoleTable = Mapping[str, frozenset[Role]]


def roles_by_operation(
    operations: Iterable[tuple[str, str, Mapping[str, Any]]], default_security: Any
) -> dict[str, frozenset[Role]]:
    """operationId -> allowed roles, for every operation that requires credentials."""
    table: dict[str, frozenset[Role]] = {}
    valid = {r.value for r in Role}
    for method, path, op in operations:
        security = op.get("security", default_security)
        if not security or security == [{}]:
            if "x-roles" in op:
                msg = f"{method.upper()} {path}: x-roles on a public operation"
                raise ValueError(msg)
            continue
        roles = op.get("x-roles")
        if not roles or not set(roles) <= valid:
            msg = f"{method.upper()} {path}: secured operations need x-roles from {sorted(valid)}"
            raise ValueError(msg)
        table[op["operationId"]] = frozenset(Role(r) for r in roles)
    return table


def authorize(table: RoleTable, operation_id: str | None, role: str) -> None:
    """Raise 403 `forbidden` when `role` may not call `operation_id` (public ops pass)."""
    allowed = table.get(operation_id) if operation_id else None
    if allowed is not None and role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise ForbiddenError(f"This operation requires one of the roles: {names}.")
