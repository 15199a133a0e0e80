"""Every error code the app can raise has a problem type in the spec's catalogue
(openapi/problems.yaml), the one place its HTTP status is declared."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from app.contract.problem_types import DEFAULT_TYPE_BASE, ProblemType, catalogue, type_uri
from app.contract.spec import load_spec
from app.errors import AuthenticationError, DomainError
from app.http import problems
from app.http.problems import CODE_BY_STATUS, configure_types, problem_body, status_for

APP = Path(__file__).resolve().parents[2] / "app"
# Constructors whose first positional argument is the code.
CODE_FIRST = {"AuthenticationError", "_error"}
CATALOGUE = catalogue(load_spec())


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


def test_every_framework_status_maps_to_a_known_code() -> None:
    for status, code in CODE_BY_STATUS.items():
        assert CATALOGUE[code].status == status


def test_an_unknown_code_is_a_500_not_a_guess() -> None:
    assert status_for("no_such_code") == 500


def test_domain_errors_carry_no_status() -> None:
    # Statuses live only in the spec's catalogue.
    for cls in (DomainError, AuthenticationError):
        assert not hasattr(cls, "status")


# --- the problem-type catalogue (the spec's `x-problem-types`) is the only status table -----


def test_the_status_of_every_code_is_the_catalogues() -> None:
    assert {code: status_for(code) for code in CATALOGUE} == {
        code: p.status for code, p in CATALOGUE.items()
    }
    assert not hasattr(problems, "STATUS_BY_CODE")


def test_the_status_follows_the_configured_catalogue() -> None:
    """No second table hides behind the catalogue: change an entry, the status follows."""
    teapot = ProblemType("last_admin", 418, "Teapot", "A teapot, for this test.", "None.")
    configure_types(DEFAULT_TYPE_BASE, {**CATALOGUE, "last_admin": teapot})
    try:
        assert status_for("last_admin") == 418
        assert (
            problem_body(status=418, code="last_admin", detail=None, request_id="r")["title"]
            == "Teapot"
        )
    finally:
        configure_types(DEFAULT_TYPE_BASE, CATALOGUE)


def test_every_raised_code_has_a_problem_type() -> None:
    missing = {c: w for c, w in raised_codes().items() if c not in CATALOGUE}
    assert missing == {}


def test_every_problem_type_has_specific_help() -> None:
    # Real text per code: no two codes share a meaning or a fix, and none is a stub.
    meanings = [p.meaning for p in CATALOGUE.values()]
    fixes = [p.fix for p in CATALOGUE.values()]
    assert len(set(meanings)) == len(meanings)
    assert len(set(fixes)) == len(fixes)
    for problem in CATALOGUE.values():
        assert len(problem.meaning) >= 40 and len(problem.fix) >= 15, problem.code
        assert problem.title[0].isupper() and len(problem.title) <= 40, problem.code


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (None, "no x-problem-types"),
        ({"Bad-Code": {"status": 400, "title": "t", "meaning": "m", "fix": "f"}}, "snake_case"),
        ({"ok": {"status": 400, "title": "t", "meaning": "m"}}, "exactly"),
        ({"ok": {"status": 302, "title": "t", "meaning": "m", "fix": "f"}}, "error status"),
        ({"ok": {"status": "400", "title": "t", "meaning": "m", "fix": "f"}}, "error status"),
        ({"ok": {"status": 400, "title": " ", "meaning": "m", "fix": "f"}}, "must be text"),
    ],
)
def test_a_malformed_catalogue_is_refused(entries: Any, message: str) -> None:
    spec = {} if entries is None else {"x-problem-types": entries}
    with pytest.raises(ValueError, match=message):
        catalogue(spec)


def test_type_uris_follow_the_base() -> None:
    assert type_uri(DEFAULT_TYPE_BASE, "token_expired") == "/docs/problems/token_expired"
    base = "https://docs.example.com/api/problems/{code}.md"
    assert type_uri(base, "not_found") == "https://docs.example.com/api/problems/not_found.md"


def test_a_problem_body_carries_its_type_and_title() -> None:
    body = problem_body(status=409, code="last_admin", detail=None, request_id="r")
    assert body["type"] == "/docs/problems/last_admin"
    assert body["title"] == "Last admin"
    # A code the catalogue lacks (a bug) still renders, titled by its status.
    odd = problem_body(status=500, code="no_such_code", detail=None, request_id="r")
    assert odd["title"] == "Internal Server Error"
