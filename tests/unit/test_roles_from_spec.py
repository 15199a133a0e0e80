"""Roles come from the spec's `x-roles` only: the role middleware enforces them before a
handler runs, so these services check ownership and rules, never the caller's role again.
(The role still picks a budget tier: `budget.max_tokens(principal.role.value, ...)` is a
quota lookup, not an access check.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
PACKAGES = ("users", "auth", "audit", "completions")


def role_checks(source: str) -> list[int]:
    """Lines comparing the caller's role (`principal.role == Role.ADMIN`, `... in (...)`)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(
                isinstance(o, ast.Attribute)
                and o.attr == "role"
                and isinstance(o.value, ast.Name)
                and o.value.id == "principal"
                for o in operands
            ):
                lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_role_check() -> None:
    assert role_checks("if principal.role == Role.ADMIN:\n    pass\n") == [1]
    assert role_checks("ok = principal.role in (Role.ADMIN, Role.READONLY)\n") == [1]
    assert role_checks("tier = budget.max_tokens(principal.role.value, 5)\n") == []


@pytest.mark.parametrize("package", PACKAGES)
def test_services_do_not_recheck_roles(package: str) -> None:
    found = {
        str(path.relative_to(APP)): lines
        for path in (APP / package).rglob("*.py")
        if (lines := role_checks(path.read_text(encoding="utf-8")))
    }
    assert found == {}
