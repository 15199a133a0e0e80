"""No input reaches a 500 (issue 8, item 3): one regression per class, with the exact status
and code. The walk over every operation is tests/api/test_hostile_inputs.py."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.exceptions import HTTPException
from starlette.testclient import TestClient

from app.accounts.models import User
from app.contract.spec import load_spec, operations
from app.errors import InvalidInputError
from app.http.connexion_compat import validator_map
from app.main import create_app
from tests.asgi import RawRequest, call_many, raw_call
from tests.auth_helpers import Account, account, resources
from tests.probe.mount import with_probe
from tests.problems import assert_problem

HUGE = "9" * 5000
JSON = {"Content-Type": "application/json"}


def field_errors(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["location"], e["field"]) for e in body.get("errors", [])}


# --- NUL and control characters ------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/login", {"email": "a\u0000b@x.io", "password": "x"}, "email"),
        (
            "/api/v1/auth/register",
            {"email": "n@example.com", "password": "long enough pw", "full_name": "a\u0000b"},
            "full_name",
        ),
        (
            "/api/v1/auth/register",
            {"email": "n\u0000@example.com", "password": "long enough pw", "full_name": "N"},
            "email",
        ),
    ],
)
def test_nul_in_a_stored_body_field_is_422(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.post(path, json=body), 422, "validation_error")
    assert ("body", field) in field_errors(problem)


def test_nul_in_an_api_key_name_is_422(client: TestClient, member: Account) -> None:
    response = client.post(
        "/api/v1/auth/api-keys", json={"name": "k\u0000"}, headers=member.headers
    )
    assert ("body", "name") in field_errors(assert_problem(response, 422, "validation_error"))


def test_nul_in_secrets_never_reaches_a_query(client: TestClient, member: Account) -> None:
    # Passwords and refresh tokens are hashed before any lookup: a NUL is just a wrong value.
    login = client.post(
        "/api/v1/auth/login", json={"email": "member@example.com", "password": "x\u0000"}
    )
    assert_problem(login, 401, "invalid_credentials")
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": "a\u0000b"})
    assert_problem(refresh, 401, "refresh_token_invalid")


@pytest.mark.parametrize(
    "key", [b"ak_\x00\x00\x00\x00\x00\x00\x00\x00_x", b"ak_abcdefgh_\x00", b"ak_abc\x01efgh_x"]
)
def test_control_characters_in_an_api_key_are_401(app: connexion.FlaskApp, key: bytes) -> None:
    # NUL in the key's prefix reached the prefix lookup: psycopg2 raised ValueError (500).
    status, _, body = raw_call(app, "GET", "/api/v1/users/me", [(b"x-api-key", key)])
    assert (status, body["code"]) == (401, "api_key_invalid")


@pytest.mark.parametrize(
    "value",
    [b"Bearer a\x00b", b"Bearer \x00", b"Bearer \xff\xfe", "Bearer \u00a0x".encode("latin-1")],
)
def test_odd_bytes_in_a_bearer_token_are_401(app: connexion.FlaskApp, value: bytes) -> None:
    status, _, body = raw_call(app, "GET", "/api/v1/users/me", [(b"authorization", value)])
    assert (status, body["code"]) == (401, "token_malformed")


def test_odd_whitespace_after_the_scheme_is_not_a_bearer_credential(
    app: connexion.FlaskApp,
) -> None:
    header = (b"authorization", "Bearer\u00a0token".encode("latin-1"))
    status, _, body = raw_call(app, "GET", "/api/v1/users/me", [header])
    assert (status, body["code"]) == (401, "not_authenticated")


def test_nul_in_x_request_id_is_replaced(app: connexion.FlaskApp) -> None:
    status, headers, _ = raw_call(
        app, "GET", "/api/v1/health/live", [(b"x-request-id", b"abc\x00def")]
    )
    assert status == 200
    assert headers[b"x-request-id"] != b"abc\x00def"
    assert len(headers[b"x-request-id"]) == 32


@pytest.mark.parametrize("query", ["sort=id%00", "role=admin%00", "page=1%00", "is_active=true%00"])
def test_nul_in_a_query_parameter_is_400(client: TestClient, admin: Account, query: str) -> None:
    response = client.get(f"/api/v1/users?{query}", headers=admin.headers)
    problem = assert_problem(response, 400, "invalid_parameter")
    assert problem["errors"][0]["location"] == "query"


def test_nul_in_a_path_parameter_is_404(client: TestClient, admin: Account) -> None:
    assert_problem(client.get("/api/v1/users/1%00", headers=admin.headers), 404, "not_found")


def test_the_database_refuses_nul_on_every_backend(app: connexion.FlaskApp) -> None:
    # The last line of defence: PostgreSQL raised a bare ValueError (500), SQLite stored it.
    with resources(app).db.unit_of_work() as uow, pytest.raises(InvalidInputError) as caught:
        uow.session.exec(select(User).where(User.email == "a\u0000b")).first()
    assert caught.value.code == "validation_error"
    with (
        resources(app).db.unit_of_work() as uow,
        pytest.raises(InvalidInputError),
        uow.transaction() as session,
    ):
        session.add(User(email="n@example.com", full_name="a\u0000", password_hash="x"))


def test_nul_that_reaches_a_query_is_422_not_500(make_settings: Any) -> None:
    # A free-text parameter without a pattern (the probe API's): the database net answers.
    client = with_probe(create_app(make_settings())).test_client()
    assert client.get("/_probe/lookup?email=a@b.co").json() == {"found": False}
    response = client.get("/_probe/lookup?email=a%00b")
    problem = assert_problem(response, 422, "validation_error")
    assert "NUL" in problem["detail"]


# --- integers beyond int()'s 4,300-digit limit ----------------------------------------------
def test_huge_integer_in_a_body_is_400(client: TestClient, admin: Account) -> None:
    raw = b'{"is_active": ' + HUGE.encode() + b"}"
    response = client.patch(
        f"/api/v1/users/{admin.user.id}", content=raw, headers={**admin.headers, **JSON}
    )
    assert_problem(response, 400, "malformed_json")


@pytest.mark.parametrize("value", ["1e999", "-1e999", "1" + "0" * 400 + ".5"])
def test_huge_float_in_a_body_is_400(client: TestClient, admin: Account, value: str) -> None:
    # Beyond a double's range: I-JSON refuses it like NaN (issue 18, item 3).
    raw = f'{{"is_active": {value}}}'.encode()
    response = client.patch(
        f"/api/v1/users/{admin.user.id}", content=raw, headers={**admin.headers, **JSON}
    )
    assert_problem(response, 400, "malformed_json")


@pytest.mark.parametrize("name", ["page", "size"])
def test_huge_integer_in_a_query_parameter_is_400(
    client: TestClient, admin: Account, name: str
) -> None:
    response = client.get(f"/api/v1/users?{name}={HUGE}", headers=admin.headers)
    problem = assert_problem(response, 400, "invalid_parameter")
    assert field_errors(problem) == {("query", name)}
    assert "is not of type 'integer'" in problem["errors"][0]["message"]
    assert len(response.content) < 2048


@pytest.mark.parametrize(
    ("method", "path", "param"),
    [
        ("GET", f"/api/v1/users/{HUGE}", "user_id"),
        ("PATCH", f"/api/v1/users/-{HUGE}", "user_id"),
        ("DELETE", f"/api/v1/users/{HUGE}", "user_id"),
        ("DELETE", f"/api/v1/auth/api-keys/{HUGE}", "key_id"),
    ],
)
def test_huge_integer_in_a_path_parameter_is_400(
    client: TestClient, admin: Account, method: str, path: str, param: str
) -> None:
    # Connexion's `int` path convertor called int() during routing: ValueError, 500.
    response = client.request(method, path, headers=admin.headers, json={"role": "user"})
    problem = assert_problem(response, 400, "invalid_parameter")
    assert field_errors(problem) == {("path", param)}


def test_a_huge_integer_on_a_wrong_method_is_still_405(client: TestClient) -> None:
    # Routing converts the path before it finds the method wrong.
    assert_problem(client.put(f"/api/v1/users/{HUGE}"), 405, "method_not_allowed")


# --- doubled slashes, and Flask never running an operation Connexion did not route ---------
@pytest.mark.parametrize(
    "path",
    [
        "//api/v1/health",
        "///api/v1/health",
        "/%2F%2Fapi/v1/health",
        "/api/v1//health",
        "/api/v1//users",
        "/api/v1/users//1",
        "//docs",
        "//openapi.json",
    ],
)
def test_doubled_slashes_are_404(
    app: connexion.FlaskApp, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    # `//api/v1/health` reached Flask, whose router matched it although Connexion's had not:
    # the operation ran without Connexion's context (RuntimeError, 500). `/api/v1//users`
    # was a 308 problem without a Location (Flask's slash merging).
    with caplog.at_level(logging.ERROR):
        (response,) = call_many(app, [RawRequest("GET", path)])
    assert response.status == 404
    assert response.headers[b"content-type"] == b"application/problem+json"
    assert response.json()["code"] == "not_found"
    assert not [r for r in caplog.records if r.name.startswith("app.")]


def test_flask_alone_does_not_run_operations(app: connexion.FlaskApp) -> None:
    # The Flask app behind Connexion, called directly: routes exist, but no operation runs.
    flask_client = app.app.test_client()
    with pytest.raises(HTTPException) as caught:
        flask_client.get("/api/v1/health/live")
    assert caught.value.status_code == 404
    # Our own plain Flask routes still work.
    assert flask_client.get("/openapi.json").status_code == 200


# --- HEAD on every GET operation, in the default (development) mode -----------------------
GETS = [(path, op) for method, path, op in operations(load_spec()) if method == "get"]


@pytest.fixture(scope="module")
def dev_app(make_settings: Any) -> connexion.FlaskApp:
    return create_app(make_settings(env="development"))


def _compare_head_with_get(client: TestClient, path: str, headers: dict[str, str]) -> None:
    got = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert head.status_code == got.status_code, head.text
    assert head.content == b""
    # Health reports latencies (lengths vary); each request counts against the rate limit.
    volatile = {"x-request-id", "content-length", "x-ratelimit-remaining", "x-ratelimit-reset"}
    same = {k: v for k, v in got.headers.items() if k not in volatile}
    assert {k: v for k, v in head.headers.items() if k not in volatile} == same
    assert "content-length" in head.headers


@pytest.mark.parametrize(("path", "op"), GETS, ids=[op["operationId"] for _, op in GETS])
def test_head_matches_get(dev_app: connexion.FlaskApp, path: str, op: dict[str, Any]) -> None:
    # Response validation (on outside production) validated HEAD's empty body: 500.
    assert dev_app.middleware.options.validate_responses is True
    client = dev_app.test_client()
    admin = account(dev_app, client, "head@example.com", "admin")
    url = "/api/v1" + path.replace("{user_id}", str(admin.user.id))
    _compare_head_with_get(client, url, admin.headers)
    if op.get("security", load_spec()["security"]):
        _compare_head_with_get(client, url, {})  # the 401, bodiless


def test_head_on_a_post_only_route_is_405_without_a_body(client: TestClient) -> None:
    response = client.head("/api/v1/auth/login")
    assert response.status_code == 405
    assert response.content == b""
    assert response.headers["content-type"] == "application/problem+json"


# --- date-times the server cannot represent ------------------------------------------------
@pytest.mark.parametrize(
    "expires_at",
    ["9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+01:00"],
)
def test_date_time_beyond_year_9999_in_utc_is_422(
    client: TestClient, member: Account, expires_at: str
) -> None:
    # Normalising 9999-12-31T23:59:59-14:00 to UTC overflowed (OverflowError, 500).
    response = client.post(
        "/api/v1/auth/api-keys",
        json={"name": "k", "expires_at": expires_at},
        headers=member.headers,
    )
    problem = assert_problem(response, 422, "validation_error")
    assert ("body", "expires_at") in field_errors(problem)


def test_the_far_future_that_fits_is_fine(client: TestClient, member: Account) -> None:
    response = client.post(
        "/api/v1/auth/api-keys",
        json={"name": "k", "expires_at": "9999-12-31T23:59:59+14:00"},
        headers=member.headers,
    )
    assert response.status_code == 201, response.text


def test_validator_map_keeps_connexions_other_response_validators() -> None:
    assert set(validator_map()["response"]) >= {"*/*json", "text/plain"}


# --- the contract keeps NUL out of everything that is stored -------------------------------
def _strings(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    schema = _resolve(schema)
    if schema.get("type") == "string":
        yield where, schema
    for part in schema.get("allOf", []):
        yield from _strings(part, where)
    for name, sub in schema.get("properties", {}).items():
        yield from _strings(sub, f"{where}.{name}")
    if "items" in schema:
        yield from _strings(schema["items"], f"{where}[]")


def _resolve(node: Any) -> Any:
    spec = load_spec()
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _request_strings() -> Iterator[tuple[str, dict[str, Any]]]:
    spec = load_spec()
    for method, path, op in operations(spec):
        item = spec["paths"][path]
        for ref in [*item.get("parameters", []), *op.get("parameters", [])]:
            param = _resolve(ref)
            yield from _strings(param["schema"], f"{method} {path} {param['in']}:{param['name']}")
        for media in op.get("requestBody", {}).get("content", {}).values():
            yield from _strings(media["schema"], f"{method} {path} body")


def test_every_request_string_that_is_stored_excludes_nul() -> None:
    # PostgreSQL text cannot hold U+0000. A string the server stores or looks up must be
    # refused by the contract itself (so Schemathesis, SDKs and the server agree), unless it
    # is an enum, a date-time, or a secret (`format: password`: hashed, never stored as is).
    unsafe = []
    for where, schema in _request_strings():
        if "enum" in schema or schema.get("format") in ("password", "date-time"):
            continue
        pattern = schema.get("pattern")
        if pattern is None or any(re.search(pattern, s) for s in ("\x00", "a\x00b", "ab\x00")):
            unsafe.append(where)
    assert not unsafe, f"give these a pattern that excludes control characters: {unsafe}"
