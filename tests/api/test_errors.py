"""Every error path renders RFC 9457 problem+json with a stable code (issue: foundation, 6)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.contract.spec import base_path, load_spec, operations
from app.main import create_app
from tests import jwt_forge as forge
from tests.asgi import raw_call
from tests.auth_helpers import Account
from tests.probe.mount import with_probe
from tests.problems import assert_problem

SPEC = load_spec()
BASE = base_path(SPEC)


@pytest.fixture(scope="module")
def probe_app(make_settings: Any):
    return with_probe(create_app(make_settings(max_body_bytes=4096)))


@pytest.fixture
def probe(probe_app) -> TestClient:
    return probe_app.test_client(raise_server_exceptions=False)


def test_valid_body_passes(probe: TestClient) -> None:
    response = probe.post("/_probe/echo", json={"name": "a", "count": 1})
    assert response.status_code == 200
    assert response.json() == {"body": {"name": "a", "count": 1}, "repeat": 1}


def test_unknown_route_is_404(probe: TestClient) -> None:
    body = assert_problem(probe.get("/api/v1/nope"), 404, "not_found")
    assert body["detail"] == "No route matches /api/v1/nope."
    assert_problem(probe.get("/totally/elsewhere"), 404, "not_found")


# Every spec path with a trailing slash, plus the API root: before, Starlette's routers
# answered a 307 to an absolute URL built from the request's Host header.
SLASHED = [
    (method.upper(), BASE + re.sub(r"\{[^}]+\}", "1", path) + "/")
    for method, path, _ in operations(SPEC)
] + [("GET", BASE), ("GET", BASE + "/"), ("POST", BASE), ("GET", BASE + "/docs/x/")]


@pytest.mark.parametrize(("method", "path"), SLASHED, ids=[f"{m} {p}" for m, p in SLASHED])
def test_a_trailing_slash_is_an_unknown_path_not_a_redirect(
    probe: TestClient, method: str, path: str
) -> None:
    headers = {"Host": "attacker.example", "Authorization": "Bearer x"}
    response = probe.request(method, path, headers=headers, follow_redirects=False)
    body = assert_problem(response, 404, "not_found")
    assert "location" not in response.headers
    assert body["detail"] == f"No route matches {path}."


def test_wrong_method_is_405_with_allow(probe: TestClient) -> None:
    response = probe.delete("/api/v1/health")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    "raw",
    [b"{", b"{'name': 'a'}", b"[1,]", b"nul", b'{"name": "a", "count": 1}}'],
)
def test_malformed_json_is_400(probe: TestClient, raw: bytes) -> None:
    response = probe.post("/_probe/echo", content=raw, headers={"Content-Type": "application/json"})
    body = assert_problem(response, 400, "malformed_json")
    assert body["detail"].startswith("The body is not valid JSON")


def test_body_that_is_not_utf8_is_400(probe: TestClient) -> None:
    response = probe.post(
        "/_probe/echo", content=b'{"name": "\xff"}', headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "malformed_json")


def test_unknown_charset_is_415(probe: TestClient) -> None:
    response = probe.post(
        "/_probe/echo", content=b"{}", headers={"Content-Type": "application/json;charset=klingon"}
    )
    assert_problem(response, 415, "unsupported_media_type")


def test_deeply_nested_json_is_rejected_not_crashing(probe: TestClient) -> None:
    raw = b"[" * 2000 + b"]" * 2000  # under the 4096-byte limit
    response = probe.post("/_probe/echo", content=raw, headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "malformed_json")


def test_missing_body_is_400(probe: TestClient) -> None:
    response = probe.post("/_probe/echo", headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "missing_body")
    empty = probe.post("/_probe/echo", content=b"", headers={"Content-Type": "application/json"})
    assert_problem(empty, 400, "missing_body")


def test_chunked_body_under_the_limit_is_accepted(probe: TestClient) -> None:
    def chunks():
        yield b'{"name": "a", '
        yield b'"count": 2}'

    response = probe.post(
        "/_probe/echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["body"] == {"name": "a", "count": 2}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"]
)
def test_wrong_content_type_is_415(probe: TestClient, content_type: str) -> None:
    response = probe.post(
        "/_probe/echo", content=b'{"name": "a", "count": 1}', headers={"Content-Type": content_type}
    )
    body = assert_problem(response, 415, "unsupported_media_type")
    assert "application/json" in body["detail"]


def test_schema_violations_are_422_with_every_field_listed(probe: TestClient) -> None:
    response = probe.post(
        "/_probe/echo", json={"count": -1, "tags": ["a", "b", "c"], "role": "admin"}
    )
    body = assert_problem(response, 422, "validation_error")
    fields = {(e["location"], e["field"]) for e in body["errors"]}
    assert ("body", "name") in fields  # missing required
    assert ("body", "count") in fields  # minimum
    assert ("body", "tags") in fields  # maxItems
    assert ("body", "role") in fields  # additionalProperties names the field
    assert {
        "location": "body",
        "field": "role",
        "message": "Unknown field; not allowed here.",
    } in body["errors"]


def test_wrong_types_are_422(probe: TestClient) -> None:
    body = assert_problem(
        probe.post("/_probe/echo", json={"name": 5, "count": "x"}), 422, "validation_error"
    )
    assert {e["field"] for e in body["errors"]} == {"name", "count"}


def test_non_object_body_is_422(probe: TestClient) -> None:
    assert_problem(probe.post("/_probe/echo", json=[1, 2]), 422, "validation_error")


@pytest.mark.parametrize("query", ["repeat=zero", "repeat=9", "repeat=1&debug=1"])
def test_bad_query_parameters_are_400(probe: TestClient, query: str) -> None:
    response = probe.post(f"/_probe/echo?{query}", json={"name": "a", "count": 1})
    body = assert_problem(response, 400, "invalid_parameter")
    assert body["errors"][0]["location"] == "query"


def test_oversized_body_is_413(probe: TestClient) -> None:
    big = {"name": "a", "count": 1, "pad": "x" * 5000}
    body = assert_problem(probe.post("/_probe/echo", json=big), 413, "payload_too_large")
    assert "4096" in body["detail"]


def test_oversized_chunked_body_is_413(probe: TestClient) -> None:
    def chunks():
        for _ in range(10):
            yield b"x" * 1000

    response = probe.post(
        "/_probe/echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413, "payload_too_large")


def test_oversized_body_on_unknown_route_is_still_413(probe: TestClient) -> None:
    assert_problem(probe.post("/api/v1/nope", content=b"x" * 5000), 413, "payload_too_large")


@pytest.mark.parametrize("value", [b"abc", b"-1", b"1, 2"])
def test_malformed_content_length_is_400(probe_app, value: bytes) -> None:
    # httpx always computes Content-Length itself, so speak raw ASGI.
    headers = [(b"content-type", b"application/json"), (b"content-length", value)]
    status, _, body = raw_call(probe_app, "POST", "/_probe/echo", headers, b"{}")
    assert status == 400
    assert body["code"] == "bad_request"


def test_domain_error_has_its_own_code(probe: TestClient) -> None:
    body = assert_problem(probe.get("/_probe/conflict"), 409, "email_taken")
    assert body["detail"] == "That name is taken."


def test_unhandled_exception_is_500_without_details(
    probe: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = probe.get("/_probe/crash", headers={"X-Request-ID": "crash-42"})
    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "crash-42"
    assert "secret-internal-detail" not in response.text
    assert "Traceback" not in response.text
    assert "SELECT" not in response.text
    # ...but the log has the traceback and the request id.
    records = [r for r in caplog.records if r.name == "app.errors"]
    assert records, "the 500 was not logged"
    event = records[-1].msg  # structlog's event dict, before rendering
    assert isinstance(event, dict)
    assert event["request_id"] == "crash-42"
    assert "secret-internal-detail" in repr(event["exc_info"])


def test_unreachable_database_is_503_not_500(make_settings: Any, settings) -> None:
    down = create_app(make_settings(database_url="postgresql+psycopg2://postgres@127.0.0.1:1/x"))
    client = down.test_client(raise_server_exceptions=False)
    register = client.post(
        "/api/v1/auth/register",
        json={"email": "a@example.com", "password": "long enough pw", "full_name": "A"},
    )
    body = assert_problem(register, 503, "service_unavailable")
    assert register.headers["retry-after"] == "5"
    assert "127.0.0.1:1" not in register.text
    assert "OperationalError" not in body["detail"]
    # Authentication needs the database too: still a retryable 503, not a 401 or a 500.
    token = forge.signed(settings, sub="1")
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(me, 503, "service_unavailable")


def test_unreachable_redis_is_503_not_500(make_settings: Any, settings) -> None:
    down = create_app(make_settings(redis_url="redis://127.0.0.1:1/0"))
    client = down.test_client(raise_server_exceptions=False)
    token = forge.signed(settings, sub="1")  # revocation check reads Redis
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(me, 503, "service_unavailable")


def test_response_validation_failure_is_a_generic_500(make_settings: Any) -> None:
    # A handler that breaks its own contract (dev/test validate responses): no details leak.
    app = with_probe(create_app(make_settings()))
    client = app.test_client(raise_server_exceptions=False)
    response = client.get("/_probe/contract-breach")
    body = assert_problem(response, 500, "internal_error")
    assert body["detail"] == "An unexpected error occurred. Quote the request id when reporting it."
    assert "conform" not in response.text


@pytest.mark.parametrize("depth", [65, 300, 900])
def test_json_nested_past_the_limit_is_400_before_validation(
    client: TestClient, member: Account, depth: int
) -> None:
    # Parses fine, but schema validation would recurse through every level: refused first,
    # whatever the stack the request runs on (a RecursionError there would be a 500).
    body = {"requests": [{"prompt": "x", "extra": json.loads("[" * depth + "]" * depth)}]}
    response = client.post("/api/v1/ai/batch", json=body, headers=member.headers)
    assert_problem(response, 400, "malformed_json")
    assert "nested deeper than 64 levels" in response.json()["detail"]


def test_json_nested_to_the_limit_is_validated_as_usual(client: TestClient) -> None:
    body = {"name": json.loads("[" * 63 + "]" * 63)}  # 64 levels with the body itself
    response = client.post("/api/v1/auth/register", json=body)
    assert_problem(response, 422, "validation_error")
