"""Every error code the app can raise has exactly one HTTP status, in one table."""

from __future__ import annotations

import ast
from pathlib import Path

from app.errors import AuthenticationError, DomainError
from app.http.problems import CODE_BY_STATUS, STATUS_BY_CODE, status_for

APP = Path(__file__).resolve().parents[2] / "app"
# Constructors whose first positional argument is the code.
CODE_FIRST = {"AuthenticationError", "_error"}


def raised_codes() -> dict[str, str]:
    """code -> where it appears, for every literal code in app/."""
    found: dict[str, str] = {}
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(APP)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.keyword) and node.arg == "code":
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found[node.value.value] = where
                elif isinstance(node.value, ast.IfExp):
                    for branch in (node.value.body, node.value.orelse):
                        if isinstance(branch, ast.Constant):
                            found[str(branch.value)] = where
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "code" for t in node.targets
            ):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found[node.value.value] = where
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in CODE_FIRST and node.args and isinstance(node.args[0], ast.Constant):
                    found[str(node.args[0].value)] = where
    return found


def test_the_scan_finds_codes() -> None:
    codes = raised_codes()
    # The control: codes from each kind of site are found.
    assert {"email_taken", "token_expired", "not_found", "too_many_login_attempts"} <= set(codes)


def test_every_raised_code_has_a_status() -> None:
    missing = {c: w for c, w in raised_codes().items() if c not in STATUS_BY_CODE}
    assert missing == {}


def test_every_framework_status_maps_to_a_known_code() -> None:
    for status, code in CODE_BY_STATUS.items():
        assert STATUS_BY_CODE[code] == status


def test_an_unknown_code_is_a_500_not_a_guess() -> None:
    assert status_for("no_such_code") == 500


def test_domain_errors_carry_no_status() -> None:
    # Statuses live only in the HTTP layer's table.
    for cls in (DomainError, AuthenticationError):
        assert not hasattr(cls, "status")
