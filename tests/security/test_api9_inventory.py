"""OWASP API9:2023 Improper Inventory Management.

The spec is the inventory. Every route the app serves is a spec operation or one of the
few documented documentation routes (the spec itself, Swagger UI, the problem pages); every
spec operation is served; paths outside it, trailing-slash variants and old or unknown
API versions are refused with a problem, never a redirect.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.problems import assert_problem
from tests.security.spec_walk import BASE, OPERATIONS, ROLES, SPEC, op_id

# Served outside the spec's operations, and documented in the README (Docs).
DOCUMENTATION = {
    "/",
    "/docs",
    "/docs/problems",
    "/docs/problems/{code}",
    "/openapi.json",
    "/openapi.yaml",
    f"{BASE}/openapi.json",
    f"{BASE}/openapi.yaml",
}
READ_ONLY = {"GET", "HEAD", "OPTIONS"}


def _template(rule: str) -> str:
    """Flask's `/items/<int:item_id>` as the spec writes it: `/items/{item_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_served_route_is_in_the_spec_or_documented(app: Any, client: TestClient) -> None:
    client.get(f"{BASE}/health/live")  # Connexion registers the operations on first use
    spec_methods: dict[str, set[str]] = {}
    for method, path, _ in OPERATIONS:
        spec_methods.setdefault(BASE + path, set()).add(method.upper())
    extra = {}
    for rule in app.app.url_map.iter_rules():
        path = _template(rule.rule)
        if rule.endpoint == "static":
            extra[path] = "Flask's static files"
        elif path in spec_methods:
            unknown = set(rule.methods or ()) - spec_methods[path] - {"HEAD", "OPTIONS"}
            if unknown:
                extra[f"{path} {sorted(unknown)}"] = "methods the spec does not declare"
        elif path not in DOCUMENTATION or not set(rule.methods or ()) <= READ_ONLY:
            extra[path] = sorted(rule.methods or ())
    assert not extra, extra
    served = {_template(r.rule) for r in app.app.url_map.iter_rules()}
    assert set(spec_methods) <= served


@pytest.mark.parametrize(
    ("method", "path", "op"), OPERATIONS, ids=[op_id(o) for *_, o in OPERATIONS]
)
def test_every_spec_operation_is_served(
    client: TestClient, method: str, path: str, op: dict[str, Any]
) -> None:
    url = BASE + re.sub(r"\{[^}]+\}", "1", path)
    response = client.request(method.upper(), url, json={})
    if op_id(op) in ROLES:
        assert_problem(response, 401, "not_authenticated")
    else:
        assert response.status_code not in (404, 405), response.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin",
        "/.env",
        "/server-status",
        f"{BASE}/debug",
        f"{BASE}/internal/users",
        f"{BASE}/users/export",
        "/api/v0/items",
        "/api/v2/items",
        "/api/items",
    ],
)
def test_paths_outside_the_spec_are_404(client: TestClient, path: str) -> None:
    assert_problem(client.get(path, follow_redirects=False), 404, "not_found")


def test_trailing_slashes_are_404_not_redirects(client: TestClient) -> None:
    """A redirect built from the Host header points clients elsewhere (issue 18, item 8)."""
    wrong = {}
    for method, path, _ in OPERATIONS:
        url = BASE + re.sub(r"\{[^}]+\}", "1", path) + "/"
        response = client.request(
            method.upper(), url, headers={"Host": "evil.example"}, follow_redirects=False
        )
        if response.status_code != 404 or "location" in response.headers:
            wrong[f"{method.upper()} {url}"] = response.status_code
    assert not wrong, wrong


def test_unknown_api_versions_are_refused(client: TestClient) -> None:
    response = client.get(f"{BASE}/health/live", headers={"API-Version": "0.0.1"})
    assert_problem(response, 400, "unsupported_api_version")
    assert SPEC["info"]["version"] in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/docs/",
        "/docs/problems/",
        "/docs/problems/not_found/",
        "/openapi.json/",
        "/openapi.yaml/",
        f"{BASE}/openapi.json/",
        f"{BASE}/openapi.yaml/",
        "/metrics/",
        # Swagger UI's files are served from a directory, which ignored a trailing slash.
        f"{BASE}/docs/index.html/",
        f"{BASE}/docs/swagger-ui.css/",
        f"{BASE}/docs/swagger-ui-bundle.js/",
        f"{BASE}/docs/oauth2-redirect.html/",
    ],
)
def test_documentation_routes_with_a_trailing_slash_are_404(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    assert_problem(response, 404, "not_found")
    assert "location" not in response.headers


def test_swagger_ui_is_still_served(client: TestClient) -> None:
    for path in (f"{BASE}/docs/", f"{BASE}/docs/index.html", f"{BASE}/docs/swagger-ui.css"):
        assert client.get(path).status_code == 200, path
