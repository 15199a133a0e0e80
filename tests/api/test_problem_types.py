"""Problem `type` URIs resolve: the app serves a page per code at /docs/problems/<code>."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from app.contract.problem_types import DEFAULT_TYPE_BASE, catalogue
from app.contract.spec import load_spec
from app.http.problems import configure_types
from app.http.response_policy import API_CSP
from app.main import create_app
from tests.problems import assert_problem

CATALOGUE = catalogue(load_spec())


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_code_has_a_page(client: TestClient, code: str) -> None:
    problem = CATALOGUE[code]
    response = client.get(f"/docs/problems/{code}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    # The API's strict policy applies: the page needs no script, style or resource.
    assert response.headers["content-security-policy"] == API_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text and "<style" not in response.text
    text = response.text
    assert f"<h1>{html.escape(problem.title)}</h1>" in text
    assert f"HTTP {problem.status} " in text
    # The help is there, escaped, with `code` spans as <code>.
    plain = re.sub(r"</?code>", "`", html.unescape(text))
    assert problem.meaning in plain and problem.fix in plain
    assert f"&quot;type&quot;: &quot;/docs/problems/{code}&quot;" in text


def test_a_problems_type_resolves_to_its_page(client: TestClient) -> None:
    """Follow a real problem's `type` (a relative reference) against the request URL."""
    for response, status, code in (
        (client.get("/api/v1/users/me"), 401, "not_authenticated"),
        (client.get("/api/v1/no-such-route"), 404, "not_found"),
        (client.delete("/api/v1/health"), 405, "method_not_allowed"),
    ):
        body = assert_problem(response, status, code)
        page = client.get(body["type"])
        assert page.status_code == 200
        assert f"<code>{code}</code>, HTTP {status}" in page.text


def test_the_index_lists_every_code(client: TestClient) -> None:
    response = client.get("/docs/problems")
    assert response.status_code == 200
    links = re.findall(r'<a href="/docs/problems/([a-z_]+)">', response.text)
    assert links == list(CATALOGUE)
    assert response.headers["cache-control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    "path",
    [
        "/docs/problems/no_such_code",
        "/docs/problems/NOT_FOUND",
        "/docs/problems/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/docs/problems/not_found/extra",
        "/docs/problems/",
    ],
)
def test_an_unknown_code_is_a_404_problem(client: TestClient, path: str) -> None:
    # problem+json (never HTML), so a reflected path is inert.
    assert_problem(client.get(path), 404, "not_found")


def test_head_and_other_methods(client: TestClient) -> None:
    head = client.head("/docs/problems/token_expired")
    assert head.status_code == 200 and head.content == b""
    assert_problem(client.post("/docs/problems/token_expired"), 405, "method_not_allowed")


def test_swagger_ui_files_are_unaffected(client: TestClient) -> None:
    # The pages live outside Swagger UI's /api/v1/docs/ files.
    assert client.get("/api/v1/docs/swagger-ui.css").status_code == 200
    assert_problem(client.get("/api/v1/docs/problems/not_found"), 404, "not_found")


@pytest.fixture
def restore_types() -> Iterator[None]:
    """Problem types are process state: put the test app's default back afterwards."""
    yield
    configure_types(DEFAULT_TYPE_BASE, CATALOGUE)


@pytest.mark.usefixtures("restore_types")
def test_an_absolute_base_url_names_the_hosted_pages(make_settings: Any) -> None:
    assert (
        make_settings(problem_type_base_url="/x/{code}/").api.problem_type_base_url == "/x/{code}/"
    )
    base = "https://docs.example.com/api/problems/{code}.md"
    client = create_app(make_settings(problem_type_base_url=base)).test_client()
    body = client.get("/api/v1/users/me").json()
    assert body["type"] == "https://docs.example.com/api/problems/not_authenticated.md"
    page = client.get("/docs/problems/not_authenticated")  # still served, with that URI
    assert "https://docs.example.com/api/problems/not_authenticated.md" in page.text


@pytest.mark.parametrize(
    "base",
    ["docs/problems/", "ftp://example.com/p/", "https://x y/", "/a/{code}/{code}", "/a/{id}", ""],
)
def test_a_base_url_that_is_not_absolute_is_refused(make_settings: Any, base: str) -> None:
    with pytest.raises(ValidationError, match="PROBLEM_TYPE_BASE_URL"):
        make_settings(problem_type_base_url=base)
