"""OWASP API8:2023 Security Misconfiguration.

Production-shaped defaults: security headers on every kind of response, no debug mode,
no CORS unless configured (a browser on another origin gets no `Access-Control-*`),
no stack trace or exception text in a 500 with `ENV=production`, no default signing key
in production, no TRACE, and authenticated responses that no cache may store or share
between callers (`Cache-Control: no-store`, `Vary: Authorization`).
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from app.main import create_app
from tests.auth_helpers import Account, resources
from tests.probe.mount import with_probe
from tests.problems import assert_problem
from tests.security.spec_walk import BASE, FACTORIES, OPERATIONS, ROLES, api_key, fill, op_id

BASELINE = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _hardened(response: Any) -> None:
    for name, value in BASELINE.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    assert "default-src 'none'" in response.headers["content-security-policy"]


@pytest.fixture(scope="module")
def production(make_settings: Any) -> Any:
    app = with_probe(
        create_app(make_settings(env="production", jwt_secret="p" * 48, log_level="ERROR"))
    )
    yield app
    resources(app).close()


def test_a_500_in_production_tells_nothing(production: Any) -> None:
    client = production.test_client(raise_server_exceptions=False)
    response = client.get("/_probe/crash")
    body = assert_problem(response, 500, "internal_error")
    for leak in ("Traceback", "RuntimeError", "secret-internal-detail", "SELECT", ".py"):
        assert leak not in response.text
    assert set(body) <= {"type", "title", "status", "detail", "code", "request_id"}
    _hardened(response)


def test_debug_is_off(production: Any, app: Any) -> None:
    for flask_app in (production.app, app.app):
        assert flask_app.debug is False
        assert flask_app.testing is False


def test_production_refuses_the_default_signing_key(make_settings: Any) -> None:
    with pytest.raises(ValueError, match="JWT_SECRET"):
        make_settings(env="production")


def test_every_kind_of_response_is_hardened(client: TestClient, member: Account) -> None:
    for response in (
        client.get(f"{BASE}/health/live"),
        client.get(f"{BASE}/users/me", headers=member.headers),
        client.get(f"{BASE}/users/me"),  # 401
        client.get(f"{BASE}/users", headers=member.headers),  # 403
        client.get(f"{BASE}/nowhere"),  # 404
        client.put(f"{BASE}/users/me", headers=member.headers),  # 405
        client.post(
            f"{BASE}/items",
            content=b"{",
            headers={**member.headers, "Content-Type": "application/json"},
        ),
    ):
        _hardened(response)


def test_no_cors_unless_configured(client: TestClient, member: Account) -> None:
    origin = {"Origin": "https://evil.example"}
    preflight = client.options(
        f"{BASE}/users/me",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    simple = client.get(f"{BASE}/users/me", headers={**origin, **member.headers})
    for response in (preflight, simple):
        assert not [h for h in response.headers if h.lower().startswith("access-control-")]
    assert preflight.status_code in (404, 405)


def test_trace_is_not_served(client: TestClient) -> None:
    response = client.request("TRACE", f"{BASE}/health/live", headers={"X-Secret": "echo me"})
    assert response.status_code == 405
    assert "echo me" not in response.text


def test_authenticated_responses_are_never_stored(client: TestClient, admin: Account) -> None:
    """Every GET of the spec, with a bearer token and with an API key (issue 18, item 10)."""
    key = {"X-API-Key": api_key(client, admin.headers)}
    ids = {name: FACTORIES[name](client, admin.headers) for name in FACTORIES}
    wrong = {}
    for method, path, op in OPERATIONS:
        if method != "get" or op_id(op) not in ROLES:
            continue
        for credential, headers in (("bearer", admin.headers), ("api_key", key)):
            response = client.get(fill(path, ids), headers=headers)
            assert response.status_code == 200, response.text
            cache = response.headers.get("cache-control", "")
            vary = response.headers.get("vary", "").lower()
            if "no-store" not in cache or (credential == "bearer" and "authorization" not in vary):
                wrong[f"{op_id(op)} {credential}"] = (cache, vary)
    assert not wrong, sorted(wrong)
