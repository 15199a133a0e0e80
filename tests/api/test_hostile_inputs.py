"""No input reaches a 5xx (issue 8, item 3): the hostile-input walk.

Every operation in the spec; each of its parameters and each field of its request body
(walked from the schema, $refs resolved) set to hostile values: NUL and other C0/C1
controls, lone surrogate escapes, huge integers and floats, very long strings, odd
Unicode whitespace, wrong types, deep nesting; whole bodies that are not what they claim;
hostile credentials and headers; hostile paths. Anonymous and as an admin. Every answer
must be below 500, every error problem+json with a `code`, every response must carry the
baseline security headers.

Requests go straight to the ASGI app on one event loop (`tests.asgi.call_many`): several
thousand requests in a few seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import connexion
import pytest

from app.contract.spec import base_path, load_spec, operations
from app.main import create_app
from tests import jwt_forge as forge
from tests.asgi import RawRequest, RawResponse, call_many
from tests.auth_helpers import Account, account, resources

SPEC = load_spec()
BASE = base_path(SPEC)
OPERATIONS = operations(SPEC)
JSON = (b"content-type", b"application/json")
CODE = re.compile(r"[a-z][a-z0-9_]*")
HUGE = "9" * 5000  # beyond int()'s 4,300-digit conversion limit


def nested_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def nested_object(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]
ODD_SPACE = ["\u0085", "\u00a0", "\u1680", "\u2028", "\u2029", "\u3000", "\ufeff", "\u200b"]
# Values for string positions (JSON strings, query values, path segments).
STRINGS: list[str] = [
    "",
    " ",
    *CONTROLS,
    *(f"a{c}b" for c in CONTROLS),
    *ODD_SPACE,
    *(f"a{s}b" for s in ODD_SPACE),
    "\U0001f600",
    "x" * 100_000,
    HUGE,
    "'; DROP TABLE users; --",
    "../../etc/passwd",
    "%00%2F",
    "{{7*7}}${7*7}",
]
# Values of any JSON type for body fields (wrong types, edges, nesting).
VALUES: list[Any] = [
    0,
    -1,
    2**63,
    -(2**63) - 1,
    2**64,
    1.5,
    1e308,
    -1e308,
    True,
    False,
    None,
    [],
    {},
    ["a"],
    {"a": "b"},
    nested_list(50),
    nested_object(50),
    ["x" * 10_000] * 50,
]
# JSON texts Python cannot produce with json.dumps, spliced in as a field's value.
FRAGMENTS: list[str] = [
    '"\\ud800"',
    '"a\\udfffb"',
    '"\\u0000"',
    HUGE,
    "-" + HUGE,
    "1" + "0" * 5000 + ".5",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "[" * 900 + "]" * 900,
    "[" * 5000 + "]" * 5000,
    '{"a":' * 900 + "1" + "}" * 900,
    '{"a":' * 5000 + "1" + "}" * 5000,
]
# Query and path values: anything a URL can carry.
PARAM_VALUES: list[str] = [
    "",
    "\x00",
    "1\x00",
    HUGE,
    "-" + HUGE,
    "1e999",
    "-1",
    "0",
    "+1",
    "1.5",
    "NaN",
    "null",
    "true",
    "１",  # noqa: RUF001 - fullwidth digit, on purpose
    "\u0661",
    " 1",
    "1 ",
    *ODD_SPACE,
    "x" * 8000,
    "1/2",
    "..",
]
# Whole request bodies.
BODIES: list[bytes] = [
    b"null",
    b"[]",
    b'"x"',
    b"1",
    b"{",
    b"\xff\xfe",
    "\ufeff{}".encode(),
    b'{"a": 1, "a": 2}',
    b"[" * 100_000,
    json.dumps({"pad": "x" * 1_000_000}).encode()[:1_040_000],
]
CONTENT_TYPES: list[bytes] = [
    b"application/json; charset=utf-16",
    b"application/json; charset=klingon",
    b"application/json; charset=\xff",
    b"application/json;;;",
    b"application/problem+json",
    b"text/plain",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data; boundary=x",
    b"\x00",
    b"",
]
HEADER_VALUES: list[bytes] = [b"", b"\x00", b"\x00" * 100, "\u00a0".encode("latin-1"), b"\xff"]


def _credentials(settings: Any, admin: Account) -> list[list[tuple[bytes, bytes]]]:
    """Hostile credentials: each list replaces the request's credential headers. Tokens
    signed with the real key carry the admin's identity, so odd claims get all the way to
    the revocation check, the account lookup and the session-stamp comparison."""
    sub, sst = str(admin.user.id), admin.user.session_stamp
    tokens = [make(settings, sub) for _, make, _ in forge.TAMPERED]
    odd = ("\x00", "\u0661", "\u00e9", "x" * 5000, "", 7, 1.5, True, ["a"], {"a": 1})
    signed_with_odd_claims = [
        forge.with_header(settings, {}, **{"sub": sub, "sst": sst, claim: value})
        for claim in ("jti", "fam", "sst", "role", "sub", "iss", "aud")
        for value in odd
    ] + [
        forge.with_header(settings, {}, **{"sub": sub, "sst": sst, claim: value})
        for claim in ("exp", "iat", "nbf")
        for value in ("1", 1e300, 2**70, -(2**70), float("inf"), float("nan"), None, ["a"])
    ]
    auth = [
        b"Bearer",
        b"Bearer ",
        b"Bearer \x00",
        b"Bearer a.b.c",
        b"Bearer " + b"a" * 10_000,
        b"Bearer \xff\xfe\xfd",
        "Bearer\u00a0x".encode("latin-1"),
        "Bearer \u00a0x".encode("latin-1"),
        b"Bearer x y",
        b"bearer  x",
        b"Basic Zm9vOmJhcg==",
        b"\x00",
        *(f"Bearer {t}".encode() for t in tokens + signed_with_odd_claims),
    ]
    keys = [b"", b"\x00", b"ak_" + b"\x00" * 8 + b"_x", b"ak_abcdefgh_\xff", b"a" * 10_000]
    return [
        *([(b"authorization", a)] for a in auth),
        *([(b"x-api-key", k)] for k in keys),
        [(b"authorization", b"Bearer x"), (b"x-api-key", b"ak_abcdefgh_x")],
        [(b"authorization", b"Bearer a"), (b"authorization", b"Bearer b")],
    ]


# --- the spec walk --------------------------------------------------------------------
def resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def fields(schema: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every property path of a request schema (nested objects and array items too)."""
    schema = resolve(schema)
    for part in schema.get("allOf", []):
        yield from fields(part, prefix)
    for name, sub in schema.get("properties", {}).items():
        yield (*prefix, name)
        yield from fields(sub, (*prefix, name))
    if "items" in schema:
        yield from fields(schema["items"], (*prefix, "0"))


def example(schema: Any) -> Any:
    """A schema-valid value: required properties only, from the spec's examples."""
    schema = resolve(schema)
    if "example" in schema and schema.get("type") != "object":
        return schema["example"]
    if schema.get("type") == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: example(props[name]) for name in schema.get("required", [])}
    return {"integer": 1, "boolean": True, "array": []}.get(schema.get("type", ""), "x")


def set_path(body: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of `body` with `value` at `path` (creating objects on the way)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head.isdigit():
        return [set_path(None, rest, value)]
    out = dict(body) if isinstance(body, dict) else {}
    out[head] = set_path(out.get(head), rest, value)
    return out


MARK = "\u2603hostile\u2603"


def body_texts(schema: Any) -> Iterator[bytes]:
    """The operation's example body with each field set to each hostile value."""
    base = example(schema)
    for path in fields(schema):
        for value in [*STRINGS, *VALUES]:
            yield json.dumps(set_path(base, path, value)).encode()
        template = json.dumps(set_path(base, path, MARK))
        for fragment in FRAGMENTS:
            yield template.replace(json.dumps(MARK), fragment).encode()


def _params(op: dict[str, Any], item: dict[str, Any]) -> list[dict[str, Any]]:
    return [resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]


def _path_for(path: str, params: list[dict[str, Any]], override: dict[str, str]) -> str:
    for p in params:
        if p["in"] == "path":
            value = override.get(p["name"], "999999999")  # valid, and no such object
            path = path.replace("{" + p["name"] + "}", quote(value, safe=""))
        # a valid value for every other parameter is its absence (all are optional)
    return BASE + path


def requests_for(
    method: str, path: str, op: dict[str, Any], credentials: list[tuple[bytes, bytes]]
) -> Iterator[RawRequest]:
    item = SPEC["paths"][path]
    params = _params(op, item)
    verb = method.upper()
    body_schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    valid_body = json.dumps(example(body_schema)).encode() if body_schema else b""
    headers = [*credentials, JSON] if body_schema else list(credentials)

    default_path = _path_for(path, params, {})

    def req(
        *,
        raw_path: str | None = None,
        query: bytes = b"",
        extra: list[Any] | None = None,
        body: bytes | None = None,
    ) -> RawRequest:
        body = valid_body if body is None else body
        return RawRequest(verb, raw_path or default_path, [*headers, *(extra or [])], body, query)

    for p in params:
        for value in PARAM_VALUES:
            if p["in"] == "path":
                yield req(raw_path=_path_for(path, params, {p["name"]: value}))
            elif p["in"] == "query":
                yield req(query=urlencode({p["name"]: value}).encode())
                yield req(query=urlencode([(p["name"], "1"), (p["name"], value)]).encode())
    for name in ("\x00", "x" * 5000, "page[]"):
        yield req(query=urlencode({name: "1"}).encode())
    for value in HEADER_VALUES:
        for header in (b"x-request-id", b"accept", b"content-length", b"transfer-encoding"):
            yield req(extra=[(header, value)])
    if body_schema:
        for text in body_texts(body_schema):
            yield req(body=text)
        for text in BODIES:
            yield req(body=text)
        for content_type in CONTENT_TYPES:
            typed = [*credentials, (b"content-type", content_type)]
            yield RawRequest(verb, default_path, typed, valid_body)


# --- assertions ---------------------------------------------------------------------
def check(responses: list[RawResponse]) -> None:
    failures = []
    for r in responses:
        problem = _problem_defect(r)
        if problem:
            req = r.request
            failures.append(
                f"{req.method} {req.raw_path[:80]}?{req.query[:80]!r} "
                f"headers={[(k, v[:60]) for k, v in req.headers]} body={req.body[:120]!r}: "
                f"{r.status} {problem}: {r.body[:200]!r}"
            )
    assert not failures, f"{len(failures)} of {len(responses)} failed:\n" + "\n".join(failures[:20])


def _problem_defect(r: RawResponse) -> str | None:
    headers = r.headers
    if r.status >= 500:
        return "5xx"
    if headers.get(b"x-content-type-options") != b"nosniff":
        return "no security headers"
    if r.status < 400:
        return None
    if headers.get(b"content-type") != b"application/problem+json":
        return "not problem+json"
    if r.request.method == "HEAD":
        return "HEAD with a body" if r.body else None
    body = r.json()
    if body.get("status") != r.status or not CODE.fullmatch(str(body.get("code"))):
        return "problem without status/code"
    if len(r.body) > 16_384:
        return f"problem of {len(r.body)} bytes"
    return None


# --- tests ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_app(make_settings: Any) -> connexion.FlaskApp:
    """One app for the module (its own throttle and revocations, reset per test)."""
    return create_app(make_settings())


@pytest.fixture(autouse=True)
def _reset(hostile_app: connexion.FlaskApp) -> Iterator[None]:
    """The suite's cleanup resets the session app; this module's app has its own state."""
    yield
    svc = resources(hostile_app)
    svc.auth.throttle.reset()
    clear = getattr(svc.auth.revocations, "clear", None)
    if clear is not None:
        clear()


@pytest.fixture
def admin_headers(hostile_app: connexion.FlaskApp) -> list[tuple[bytes, bytes]]:
    admin = account(hostile_app, hostile_app.test_client(), "walker@example.com", "admin")
    return [(b"authorization", f"Bearer {admin.access}".encode())]


OP_IDS = [op["operationId"].rsplit(".", 1)[-1] for _, _, op in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=OP_IDS)
def test_operation_as_admin(
    hostile_app: connexion.FlaskApp, admin_headers: Any, method: str, path: str, op: Any
) -> None:
    check(call_many(hostile_app, list(requests_for(method, path, op, admin_headers))))


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=OP_IDS)
def test_operation_anonymous(
    hostile_app: connexion.FlaskApp, method: str, path: str, op: Any
) -> None:
    check(call_many(hostile_app, list(requests_for(method, path, op, []))))


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=OP_IDS)
def test_operation_with_hostile_credentials(
    hostile_app: connexion.FlaskApp, settings: Any, method: str, path: str, op: Any
) -> None:
    admin = account(hostile_app, hostile_app.test_client(), "walker@example.com", "admin")
    params = _params(op, SPEC["paths"][path])
    requests = [
        RawRequest(method.upper(), _path_for(path, params, {}), [*creds, JSON], b"{}")
        for creds in _credentials(settings, admin)
    ]
    check(call_many(hostile_app, requests))


HOSTILE_PATHS = [
    "//api/v1/health",
    "/api/v1//health",
    "/api/v1/health//",
    "//",
    "///api///v1///users",
    "/api/v1/users//1",
    "/api/v1/users/%2F1",
    "/api/v1/users%2F1",
    "/api/v1/users/1%2F..%2F2",
    "/api/v1/./health",
    "/api/v1/../v1/health",
    "/api/v1/users/..",
    "/api/v1/health/.",
    "/api/v1/%2e%2e/v1/health",
    "/api/v1/users/%00",
    "/api/v1/users/1%00",
    "/api/v1/users/" + HUGE,
    "/api/v1/users/-" + HUGE,
    "/api/v1/users/\u0661",
    "/api/v1/users/%EF%BC%91",
    "/api/v1/health%00",
    "/api/v1/health%C0%AF",
    "/api/v1/health%ED%A0%80",
    "/api/v1/" + "a/" * 5000,
    "/" + "a" * 100_000,
    "/api/v1/docs//",
    "/api/v1/docs/..%2F..%2Fapp%2Fsettings.py",
    "/api/v1/docs/%00",
    "/docs/",
    "//docs",
    "//openapi.json",
    "///api/v1/users",
    "/openapi.json/",
    "/openapi.json%00",
    "/static/x",
    "/static//x",
    "/%2F%2Fapi/v1/health",
]


@pytest.mark.parametrize("as_admin", [False, True], ids=["anonymous", "admin"])
def test_hostile_paths(hostile_app: connexion.FlaskApp, admin_headers: Any, as_admin: bool) -> None:
    headers = admin_headers if as_admin else []
    requests = [
        RawRequest(method, path, headers)
        for path in HOSTILE_PATHS
        for method in ("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW")
    ]
    check(call_many(hostile_app, requests))


# --- non-finite numbers (issue 18, item 3) ------------------------------------------------
# JSON that Python's parser accepts but no column or encoder downstream does: before, a 500
# on PostgreSQL (`InvalidTextRepresentation`), silently stored as null on SQLite.
NON_FINITE = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1.5E+999",
    "[1, NaN]",
    '{"x": [Infinity]}',
    '{"x": {"y": [0.5, -1e400]}}',
]
WITH_BODY = [(m, p, op) for m, p, op in OPERATIONS if "requestBody" in op]


def non_finite_bodies(schema: Any) -> Iterator[bytes]:
    """The operation's example body with each field (and the whole body) non-finite."""
    for fragment in NON_FINITE:
        yield fragment.encode()
        yield f"[{fragment}]".encode()
    for path in fields(schema):
        template = json.dumps(set_path(example(schema), path, MARK))
        for fragment in NON_FINITE:
            yield template.replace(json.dumps(MARK), fragment).encode()


@pytest.mark.parametrize(
    ("method", "path", "op"), WITH_BODY, ids=[op["operationId"] for _, _, op in WITH_BODY]
)
def test_non_finite_numbers_are_malformed_json(
    hostile_app: connexion.FlaskApp, admin_headers: Any, method: str, path: str, op: Any
) -> None:
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    url = _path_for(path, _params(op, SPEC["paths"][path]), {})
    requests = [
        RawRequest(method.upper(), url, [*admin_headers, JSON], body)
        for body in non_finite_bodies(schema)
    ]
    wrong = [
        f"{r.request.body[:100]!r}: {r.status} {r.body[:160]!r}"
        for r in call_many(hostile_app, requests)
        if r.status != 400 or r.json().get("code") != "malformed_json"
    ]
    assert not wrong, f"{len(wrong)} of {len(requests)}:\n" + "\n".join(wrong[:10])


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "[1e400]"])
def test_non_finite_numbers_are_never_stored(
    hostile_app: connexion.FlaskApp, admin_headers: Any, value: str
) -> None:
    client = hostile_app.test_client()
    headers = {"Authorization": admin_headers[0][1].decode(), "Content-Type": "application/json"}
    body = '{"name": "mug", "price": "1", "attributes": {"size": %s}}' % value  # noqa: UP031
    response = client.post(f"{BASE}/items", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "malformed_json"
    assert client.get(f"{BASE}/items", headers=headers).json()["data"]["total"] == 0


def test_finite_numbers_still_pass(hostile_app: connexion.FlaskApp, admin_headers: Any) -> None:
    client = hostile_app.test_client()
    headers = {"Authorization": admin_headers[0][1].decode(), "Content-Type": "application/json"}
    body = '{"name": "mug", "price": "1", "attributes": {"a": 1.5e308, "b": -0.0, "c": 1e-400}}'
    response = client.post(f"{BASE}/items", content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["attributes"] == {"a": 1.5e308, "b": -0.0, "c": 0.0}
