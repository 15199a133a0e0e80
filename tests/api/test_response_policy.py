"""Responses leak nothing (issue 8, item 7): security headers on every response from every
layer, a working CSP for the docs, bodiless 204s, and token responses that no cache keeps."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from app.auth import handlers as auth
from app.contract.spec import load_spec, operations, role_table
from app.http.api_versions import ApiVersions
from app.http.edge import EdgeMiddleware
from app.http.response_policy import API_CSP, ResponsePolicyMiddleware, docs_csp
from app.main import create_app
from tests.asgi import raw_call
from tests.auth_helpers import PASSWORD, Account, account
from tests.operation_recipes import RECIPES, SECURED
from tests.probe.mount import with_probe

BASELINE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def assert_baseline(headers: Any, csp: str = API_CSP) -> None:
    for name, value in BASELINE.items():
        assert headers[name] == value, name
    assert headers["content-security-policy"] == csp


@pytest.fixture(scope="module")
def probe_client(make_settings: Any) -> TestClient:
    app = with_probe(create_app(make_settings(max_body_bytes=4096)))
    return app.test_client(raise_server_exceptions=False)


def test_json_csp_allows_nothing() -> None:
    assert "default-src 'none'" in API_CSP
    assert "frame-ancestors 'none'" in API_CSP


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/v1/health/live", {}, 200),  # a handler
        ("GET", "/api/v1/users/me", {}, 401),  # security middleware
        ("GET", "/api/v1/nope", {}, 404),  # routing
        ("DELETE", "/api/v1/health", {}, 405),  # routing
        ("POST", "/_probe/echo", {"content": b"x" * 5000}, 413),  # body limit
        (
            "POST",
            "/_probe/echo",
            {"content": b"{}", "headers": {"content-type": "text/plain"}},
            415,
        ),
        ("POST", "/_probe/echo", {"json": {"name": 5}}, 422),  # request validation
        (
            "POST",
            "/_probe/echo",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
        ),
        ("GET", "/_probe/crash", {}, 500),  # unhandled exception
        ("GET", "/_probe/contract-breach", {}, 500),  # response validation
        ("GET", "/openapi.json", {}, 200),  # plain Flask route
        ("GET", "/docs", {}, 302),  # Flask redirect
        ("GET", "/api/v1/docs/swagger-ui-bundle.js", {}, 200),  # Swagger UI's static files
        ("GET", "/api/v1/openapi.json", {}, 200),  # Connexion's spec route
    ],
)
def test_every_layer_sends_the_baseline_headers(
    probe_client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = probe_client.request(method, path, follow_redirects=False, **kwargs)
    assert response.status_code == status, response.text
    assert_baseline(response.headers)


def test_the_last_resort_500_gets_them_too() -> None:
    # An exception outside Connexion (e.g. in a middleware) is answered by the request
    # context middleware, which sits inside the response policy.
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    app = EdgeMiddleware(broken, versions=ApiVersions(latest="1.0.0"), docs_prefix="/api/v1/docs")
    status, headers, body = raw_call(app, "GET", "/x", [])
    assert (status, body["code"]) == (500, "internal_error")
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"content-security-policy"] == API_CSP.encode()


def test_headers_are_not_duplicated(client: TestClient) -> None:
    response = client.get("/api/v1/health/live")
    names = [k.lower() for k, _ in response.headers.raw]
    assert len(names) == len(set(names)), names


def test_docs_page_csp_allows_its_own_inline_script_by_hash(client: TestClient) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(inline) == 1  # Swagger UI's bootstrap
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == f"'self' 'sha256-{digest}'"
    assert directives["default-src"] == "'none'"
    assert directives["connect-src"] == "'self'"  # the spec and "Try it out"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    for name, value in BASELINE.items():
        assert response.headers[name] == value


def test_docs_csp_hashes_every_inline_script() -> None:
    html = b"<html><script src='x.js'></script><script>a()</script><SCRIPT>b()</SCRIPT></html>"
    csp = docs_csp(html).decode()
    for script in (b"a()", b"b()"):
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert csp.count("sha256-") == 2


def test_html_outside_the_docs_gets_the_strict_policy(client: TestClient) -> None:
    response = client.get("/docs", follow_redirects=False)  # werkzeug's HTML redirect page
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == API_CSP


# --- 204: no body, no Content-Type --------------------------------------------------------
def assert_no_content(response: Any) -> None:
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers
    assert_baseline(response.headers)


def test_every_204_is_bare(client: TestClient, admin: Account, member: Account) -> None:
    # Connexion gave 204s the operation's only declared media type (application/problem+json).
    created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=member.headers)
    key_id = created.json()["data"]["id"]
    assert_no_content(client.delete(f"/api/v1/auth/api-keys/{key_id}", headers=member.headers))
    assert_no_content(client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers))
    assert_no_content(client.post("/api/v1/auth/logout", headers=admin.headers))


# --- token responses are never cached --------------------------------------------------------
def assert_no_store(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["cache-control"] == "no-store"


def test_token_and_key_responses_are_no_store(client: TestClient, member: Account) -> None:
    login = client.post(
        "/api/v1/auth/login", json={"email": "member@example.com", "password": PASSWORD}
    )
    assert_no_store(login, 200)
    refresh = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": login.json()["data"]["refresh_token"]}
    )
    assert_no_store(refresh, 200)
    created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=member.headers)
    assert_no_store(created, 201)


def test_the_spec_documents_no_store_on_every_response_that_hands_out_a_secret() -> None:
    spec = load_spec()
    documented = {
        op["operationId"]
        for _, _, op in operations(spec)
        for response in op["responses"].values()
        if "CacheControlNoStore" in str(response.get("headers", {}).get("Cache-Control", ""))
    }
    assert documented == {
        "login",
        "refresh",
        "createApiKey",
        "updateMe",  # a password change hands out the caller's new session
    }
    header = spec["components"]["headers"]["CacheControlNoStore"]
    assert header["required"] is True
    assert header["schema"]["enum"] == ["no-store"]


def test_response_validation_enforces_the_documented_header(
    client: TestClient, member: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header is `required` in the spec, so dev/test response validation refuses a token
    # response without it: the contract and the code cannot drift apart.
    monkeypatch.setattr(auth, "NO_STORE", {})
    login = client.post(
        "/api/v1/auth/login", json={"email": "member@example.com", "password": PASSWORD}
    )
    assert login.status_code == 500


# --- authenticated responses are never cached (issue 18, item 10) ----------------------------
PRIVATE = {"cache-control": "no-store", "vary": "Authorization, X-API-Key"}


def assert_private(response: Any) -> None:
    for name, value in PRIVATE.items():
        assert response.headers.get(name) == value, (name, response.status_code, response.text)


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_spec_declares_the_caching_headers_on_every_response() -> None:
    spec = load_spec()
    roles = role_table(spec)
    for _, _, op in operations(spec):
        for status, ref in op["responses"].items():
            headers = {
                k: _resolve(spec, v) for k, v in _resolve(spec, ref).get("headers", {}).items()
            }
            where = (op["operationId"], status)
            assert {"Cache-Control", "Vary"} <= set(headers), where
            # Required on a secured operation's own responses (response validation then
            # refuses one without them); optional where a request may carry no credential.
            own = op["operationId"] in roles and "$ref" not in ref
            assert headers["Vary"].get("required", False) is own, where
            if op["operationId"] not in ("login", "refresh", "createApiKey"):  # CacheControlNoStore
                assert headers["Cache-Control"].get("required", False) is own, where


@pytest.mark.parametrize("credential", ["bearer", "api_key"])
@pytest.mark.parametrize(
    ("method", "path", "op"), SECURED, ids=[op["operationId"] for _, _, op in SECURED]
)
def test_every_authenticated_response_is_no_store(
    app: Any, client: TestClient, credential: str, method: str, path: str, op: dict[str, Any]
) -> None:
    who = account(app, client, "admin@example.com", "admin")
    headers = who.headers
    if credential == "api_key":
        created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=who.headers)
        headers = {"X-API-Key": created.json()["data"]["key"]}
    url, body = RECIPES[op["operationId"]](app, client, who)
    response = client.request(method.upper(), f"/api/v1{url}", json=body, headers=headers)
    assert response.status_code < 500, response.text  # a success, or session_required
    assert_private(response)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/v1/users", {}, 403),  # early role check
        ("GET", "/api/v1/nope", {}, 404),  # routing
        ("DELETE", "/api/v1/health", {}, 405),  # routing
        ("POST", "/_probe/echo", {"content": b"x" * 5000}, 413),  # body limit
        ("POST", "/_probe/echo", {"content": b"{}", "headers": {"content-type": "text/x"}}, 415),
        ("POST", "/_probe/echo", {"json": {"name": 5}}, 422),  # request validation
        (
            "POST",
            "/_probe/echo",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
        ),
        ("GET", "/_probe/crash", {}, 500),  # unhandled exception
        ("GET", "/api/v1/health/live", {}, 200),  # a public operation, asked with credentials
        ("GET", "/openapi.json", {}, 200),  # plain Flask route
    ],
)
def test_every_layer_marks_credentialed_responses_private(
    probe_client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
) -> None:
    app = probe_client.app
    reader = account(app, probe_client, "cache-reader@example.com", "readonly")  # type: ignore[arg-type]
    extra = kwargs.pop("headers", {})
    for credential in (reader.headers, {"Authorization": "Bearer not.a.token"}, {"X-API-Key": "x"}):
        response = probe_client.request(method, path, headers={**credential, **extra}, **kwargs)
        if credential is reader.headers:
            assert response.status_code == status, response.text
        assert_private(response)


def test_responses_to_anonymous_requests_keep_their_own_caching(client: TestClient) -> None:
    response = client.get("/api/v1/health/live")
    assert "cache-control" not in response.headers
    assert "vary" not in response.headers


def test_vary_keeps_what_the_response_already_varies_on() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"vary", b"Accept-Encoding, authorization"), (b"cache-control", b"max-age=60")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    policy = ResponsePolicyMiddleware(app, docs_prefix="/api/v1/docs")
    _, headers, _ = raw_call(policy, "GET", "/x", [(b"x-api-key", b"k")])
    assert headers[b"vary"] == b"Authorization, X-API-Key, Accept-Encoding"
    assert headers[b"cache-control"] == b"no-store"
