"""The one helper for asserting RFC 9457 problem responses."""

from __future__ import annotations

from typing import Any

from app.contract.problem_types import catalogue
from app.contract.spec import load_spec
from generated.models import Problem

TITLES = {code: p.title for code, p in catalogue(load_spec()).items()}


def assert_problem_type(body: dict[str, Any]) -> None:
    """The problem's `type` is its code's page (the default PROBLEM_TYPE_BASE_URL), and
    its `title` the code's title from the spec's catalogue."""
    code = body["code"]
    assert body["type"] == f"/docs/problems/{code}", body
    assert body["title"] == TITLES[code], body


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """A problem+json response with this status and code, valid against the spec's schema."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.text
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert body["status"] == status
    assert body["code"] == code, body
    assert_problem_type(body)
    assert body["request_id"] == response.headers["x-request-id"]
    assert response.headers["api-version"] == "1.0.0"
    return body


def problem_code(response: Any) -> str:
    """The `code` of a problem response (for tests that compare codes only)."""
    assert response.headers["content-type"] == "application/problem+json", response.text
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert_problem_type(body)
    value: str = body["code"]
    return value
