"""Media types are matched without regard to case or parameters, and no body reaches a
handler unvalidated (issue 18, item 4).

Every operation with a request body (derived from the spec, so a new one is covered or
this fails for want of a recipe) is sent a valid and an invalid body under odd spellings of
`application/json`: each must be answered exactly as the canonical spelling is. Before,
`APPLICATION/JSON` skipped spec validation (the stream endpoint let pydantic coerce "7" to
7) and other operations answered a misleading 422.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.contract.spec import base_path, load_spec, operations
from app.http.connexion_compat import validator_map
from tests.asgi import RawRequest, call_many
from tests.auth_helpers import PASSWORD, Account, login, make_user
from tests.operation_recipes import RECIPES, Recipe
from tests.problems import assert_problem

SPEC = load_spec()
BASE = base_path(SPEC)
WITH_BODY = [(m, p, op) for m, p, op in operations(SPEC) if "requestBody" in op]
IDS = [op["operationId"] for _, _, op in WITH_BODY]
ODD_TYPES = [
    "APPLICATION/JSON",
    "application/json; charset=UTF-8",
    "Application/Json;charset=utf-8",
    'application/JSON ; CHARSET="utf-8"',
    "application/json;foo=bar",
]
UNSUPPORTED = [
    "text/plain",
    "TEXT/PLAIN",
    "application/xml",
    "application/jsonx",
    "application/json-patch+json",
    "application/x-www-form-urlencoded",
]
_emails = itertools.count()


def _register(*_: Any) -> tuple[str, dict[str, Any]]:
    email = f"new{next(_emails)}@example.com"
    return "/auth/register", {"email": email, "password": PASSWORD, "full_name": "New"}


def _login(app: Any, *_: Any) -> tuple[str, dict[str, Any]]:
    email = f"login{next(_emails)}@example.com"
    make_user(app, email)
    return "/auth/login", {"email": email, "password": PASSWORD}


def _refresh(app: Any, client: TestClient, _who: Account) -> tuple[str, dict[str, Any]]:
    email = f"refresh{next(_emails)}@example.com"
    make_user(app, email)
    return "/auth/refresh", {"refresh_token": login(client, email)["refresh_token"]}


def _update_user(app: Any, *_: Any) -> tuple[str, dict[str, Any]]:
    victim = make_user(app, f"victim{next(_emails)}@example.com")
    return f"/users/{victim.id}", {"role": "readonly"}


# Valid bodies: the role matrix's recipes (as an admin, allowed everywhere), plus those
# that need fresh state per call.
VALID: dict[str, Recipe] = {
    **RECIPES,
    "register": _register,
    "login": _login,
    "refresh": _refresh,
    "updateUser": _update_user,
}
INVALID = {"zz_not_a_field": "7", "max_tokens": "7"}


def test_every_operation_with_a_body_has_a_valid_one() -> None:
    assert {op["operationId"] for _, _, op in WITH_BODY} <= set(VALID)


def test_every_request_media_type_has_a_body_validator() -> None:
    # Connexion skips validation ("No validator registered") for a type without one.
    validators = validator_map()["body"]
    for _, _, op in WITH_BODY:
        for media_type in op["requestBody"]["content"]:
            assert media_type in validators, (op["operationId"], media_type)


def _send(
    client: TestClient, method: str, url: str, body: Any, content_type: str, who: Account
) -> Any:
    headers = {**who.headers, "Content-Type": content_type}
    return client.request(method.upper(), BASE + url, content=json.dumps(body), headers=headers)


def _outcome(response: Any) -> tuple[int, Any]:
    """What a client can tell apart: the status and, for a problem, its code and fields."""
    if response.headers.get("content-type") == "application/problem+json":
        body = response.json()
        return response.status_code, (body["code"], body.get("errors"))
    return response.status_code, None


@pytest.mark.parametrize(("method", "path", "op"), WITH_BODY, ids=IDS)
def test_valid_body_under_any_spelling_is_accepted_alike(
    app: connexion.FlaskApp, client: TestClient, admin: Account, method: str, path: str, op: Any
) -> None:
    recipe = VALID[op["operationId"]]
    url, body = recipe(app, client, admin)
    canonical = _send(client, method, url, body, "application/json", admin)
    assert 200 <= canonical.status_code < 300, canonical.text
    for content_type in ODD_TYPES:
        url, body = recipe(app, client, admin)
        response = _send(client, method, url, body, content_type, admin)
        assert response.status_code == canonical.status_code, (content_type, response.text)


@pytest.mark.parametrize(("method", "path", "op"), WITH_BODY, ids=IDS)
def test_invalid_body_under_any_spelling_is_refused_alike(
    app: connexion.FlaskApp, client: TestClient, admin: Account, method: str, path: str, op: Any
) -> None:
    url, _ = VALID[op["operationId"]](app, client, admin)
    canonical = _outcome(_send(client, method, url, INVALID, "application/json", admin))
    assert 400 <= canonical[0] < 500, canonical
    for content_type in ODD_TYPES:
        response = _send(client, method, url, INVALID, content_type, admin)
        assert _outcome(response) == canonical, (content_type, response.text)


@pytest.mark.parametrize(("method", "path", "op"), WITH_BODY, ids=IDS)
def test_other_media_types_are_415(
    app: connexion.FlaskApp, client: TestClient, admin: Account, method: str, path: str, op: Any
) -> None:
    url, body = VALID[op["operationId"]](app, client, admin)
    for content_type in UNSUPPORTED:
        response = _send(client, method, url, body, content_type, admin)
        assert_problem(response, 415, "unsupported_media_type")


def test_a_repeated_content_type_is_400(app: connexion.FlaskApp, admin: Account) -> None:
    # Layers disagreed on which one counts (Werkzeug joins them with a comma).
    auth = (b"authorization", admin.headers["Authorization"].encode())
    pairs = [(b"application/json", b"text/plain"), (b"application/json", b"application/json")]
    requests = [
        RawRequest(
            "POST",
            f"{BASE}/items",
            [auth, (b"content-type", first), (b"content-type", second)],
            b'{"name": "a", "price": "1"}',
        )
        for first, second in pairs
    ]
    for response in call_many(app, requests):
        assert response.status == 400, response.body
        assert response.json()["code"] == "bad_request"


def test_the_handler_gets_the_body_validation_parsed(client: TestClient, member: Account) -> None:
    # The validator decodes by the declared charset; Flask's own parse (UTF-8 only) made
    # the handler see no body at all.
    body = '{"name": "Caf\u00e9", "price": "1"}'.encode("latin-1")
    headers = {**member.headers, "Content-Type": "Application/JSON; Charset=ISO-8859-1"}
    response = client.post(f"{BASE}/items", content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["name"] == "Caf\u00e9"


def test_the_stream_validates_what_it_is_given(client: TestClient, member: Account) -> None:
    # The stream handler parsed the body itself when validation was skipped: "7" became 7.
    body = {"prompt": "x", "max_tokens": "7"}
    for content_type in ["application/json", *ODD_TYPES]:
        response = _send(client, "POST", "/ai/completions/stream", body, content_type, member)
        problem = assert_problem(response, 422, "validation_error")
        assert [e["field"] for e in problem["errors"]] == ["max_tokens"]
