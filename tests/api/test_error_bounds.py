"""Errors leak nothing (issue 8, item 7): a 422 never echoes a secret field's value, other
echoed values are shortened, and a problem stays small whatever the request held."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft4Validator
from starlette.testclient import TestClient

from app.contract.spec import load_spec, operations
from app.http import validation
from app.http.problems import MAX_FIELD_ERRORS, MAX_TEXT_CHARS, problem_body
from tests.auth_helpers import Account
from tests.problems import assert_problem

SPEC = load_spec()
MARK = "Sekr3t-do-not-echo"
# A field whose name says it holds a secret must be marked so (format: password).
SECRET_NAME = re.compile(r"password|secret|(^|_)token$|(^|_)key$", re.IGNORECASE)


def resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def request_fields() -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    """(method, path, field, field schema, request schema) for every request-body field."""
    for method, path, op in operations(SPEC):
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if not content:
            continue
        schema = resolve(content["schema"])
        for name, sub in schema.get("properties", {}).items():
            yield method, path, name, resolve(sub), schema


SECRETS = [(m, p, f, s) for m, p, f, sub, s in request_fields() if validation.is_secret(sub)]


def test_secret_fields_are_marked_in_the_spec() -> None:
    marked = {(p, f) for _, p, f, _ in SECRETS}
    assert marked == {
        ("/auth/register", "password"),
        ("/auth/login", "password"),
        ("/auth/refresh", "refresh_token"),
        ("/users/me", "password"),
        ("/users/me", "current_password"),
    }
    for _, path, name, sub, _ in request_fields():
        if SECRET_NAME.search(name):
            assert validation.is_secret(sub), f"{path} {name}: add `format: password`"


def _hostile_secrets() -> list[Any]:
    return [
        MARK,  # fine on its own, or too short / wrong for the rest of the body
        MARK * 40,  # too long for every secret field
        [MARK],  # wrong type
        {"v": MARK},
        MARK[:5],  # too short where a minimum applies
    ]


@pytest.mark.parametrize(
    ("method", "path", "field", "schema"),
    SECRETS,
    ids=[f"{p}:{f}" for _, p, f, _ in SECRETS],
)
def test_422_never_echoes_a_secret_field(
    client: TestClient,
    member: Account,
    method: str,
    path: str,
    field: str,
    schema: dict[str, Any],
) -> None:
    for value in _hostile_secrets():
        body = {field: value, "unexpected": 1}  # always invalid: an unknown field
        response = client.request(method, f"/api/v1{path}", json=body, headers=member.headers)
        assert response.status_code == 422, response.text
        assert MARK[:5] not in response.text, response.text


def test_the_rule_is_said_without_the_value(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "a@example.com", "password": "hunter2", "full_name": "A"},
    )
    problem = assert_problem(response, 422, "validation_error")
    assert {
        "location": "body",
        "field": "password",
        "message": "Must be at least 8 characters long.",
    } in problem["errors"]
    assert "hunter2" not in response.text


def test_an_object_is_never_echoed(client: TestClient, member: Account) -> None:
    # The whole body may hold a secret next to the error (here: the wrong type at the root).
    response = client.patch("/api/v1/users/me", json=[{"password": MARK}], headers=member.headers)
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"] == [
        {"location": "body", "field": "", "message": "Must be of type object."}
    ]
    assert MARK not in response.text


def test_other_values_are_echoed_shortened(client: TestClient, member: Account) -> None:
    response = client.patch(
        "/api/v1/users/me", json={"full_name": "x" * 5000}, headers=member.headers
    )
    problem = assert_problem(response, 422, "validation_error")
    (error,) = problem["errors"]
    assert error["field"] == "full_name"
    assert error["message"].startswith("'xxxx")
    assert error["message"].endswith("... (5002 characters) is too long")
    assert len(error["message"]) <= MAX_TEXT_CHARS


def test_short_values_are_still_echoed(client: TestClient, admin: Account) -> None:
    response = client.get("/api/v1/users?size=500", headers=admin.headers)
    problem = assert_problem(response, 400, "invalid_parameter")
    assert problem["errors"] == [
        {"location": "query", "field": "size", "message": "500 is greater than the maximum of 100"}
    ]


def test_a_one_megabyte_body_gets_a_small_error(client: TestClient, member: Account) -> None:
    # A 1 MB request produced a 1.9 MB error: the value echoed by maxLength and by pattern.
    body = json.dumps({"full_name": "\u00e9" * 500_000}, ensure_ascii=False).encode()
    assert len(body) > 1_000_000
    response = client.patch(
        "/api/v1/users/me",
        content=body,
        headers={**member.headers, "content-type": "application/json"},
    )
    assert_problem(response, 422, "validation_error")
    assert len(response.content) < 2048


def test_a_body_with_many_errors_lists_a_bounded_number(
    client: TestClient, member: Account
) -> None:
    body = json.dumps({f"field_{i}_{'y' * 500}": i for i in range(1500)}).encode()
    assert len(body) > 750_000
    response = client.patch(
        "/api/v1/users/me",
        content=body,
        headers={**member.headers, "content-type": "application/json"},
    )
    problem = assert_problem(response, 422, "validation_error")
    assert len(problem["errors"]) == MAX_FIELD_ERRORS
    assert problem["detail"].endswith(f"(The first {MAX_FIELD_ERRORS} of 1500 errors are listed.)")
    assert all(len(e["field"]) <= MAX_TEXT_CHARS for e in problem["errors"])
    assert len(response.content) < 16_384


def test_a_long_path_is_not_echoed_whole(client: TestClient) -> None:
    response = client.get("/api/v1/" + "a" * 20_000)
    problem = assert_problem(response, 404, "not_found")
    assert len(problem["detail"]) == MAX_TEXT_CHARS
    assert problem["detail"].endswith("...")


def test_problem_body_bounds_every_text() -> None:
    errors = [{"location": "body", "field": "f" * 1000, "message": "m" * 1000}] * 60
    body = problem_body(
        status=422, code="validation_error", detail="d" * 1000, request_id="r", errors=errors
    )
    assert len(body["errors"]) == MAX_FIELD_ERRORS
    assert all(len(v) <= MAX_TEXT_CHARS for e in body["errors"] for v in e.values())
    assert body["detail"].startswith("d" * (MAX_TEXT_CHARS - 3) + "...")
    assert body["detail"].endswith("(The first 50 of 60 errors are listed.)")
    few = problem_body(status=404, code="not_found", detail=None, request_id="r")
    assert few["detail"] is None and "errors" not in few


# --- describe(): one message per jsonschema error ---------------------------------------------
def _first_error(schema: dict[str, Any], value: Any) -> Any:
    return next(Draft4Validator(schema).iter_errors(value))


SECRET = {"type": "string", "format": "password", "minLength": 8, "maxLength": 10}


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        (SECRET, "hunter2", "Must be at least 8 characters long."),
        (SECRET, "hunter2hunter2", "Must be at most 10 characters long."),
        (SECRET, 42, "Must be of type string."),
        ({**SECRET, "pattern": "^a"}, "hunter2xx", "Does not match the required pattern."),
        ({**SECRET, "enum": ["aaaaaaaa"]}, "hunter2xx", "Must be one of the allowed values."),
        ({"type": ["string", "null"], "format": "password"}, 1, "Must be of type string or null."),
        ({"type": "object", "minProperties": 1}, {}, "Must have at least 1 properties."),
        ({"type": "object"}, ["x"], "Must be of type object."),
        ({"type": "array", "maxItems": 1}, ["a", "b"], "Must have at most 1 items."),
        (
            {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            [1],
            "Must be of type integer.",
        ),
        ({"type": "object", "required": ["a"]}, {}, "'a' is a required property"),
        ({"type": "integer", "maximum": 100}, 500, "500 is greater than the maximum of 100"),
        ({"type": "string", "maxLength": 2}, "abc", "'abc' is too long"),
        ({"type": "string", "pattern": "^a$"}, "b", "'b' does not match '^a$'"),
        (
            {"type": "string", "pattern": "^" + "a" * 100 + "$"},
            "b",
            "'b' does not match the required pattern",
        ),
    ],
)
def test_describe(schema: dict[str, Any], value: Any, message: str) -> None:
    assert validation.describe(_first_error(schema, value)) == message


def test_describe_says_exclusive_bounds_and_unknown_keywords() -> None:
    secret = {"format": "password", "type": "integer"}
    below = _first_error({**secret, "minimum": 1, "exclusiveMinimum": True}, 1)
    assert validation.describe(below) == "Must be greater than 1."
    above = _first_error({**secret, "maximum": 1, "exclusiveMaximum": True}, 1)
    assert validation.describe(above) == "Must be less than 1."
    odd = _first_error({"format": "password", "not": {"type": "string"}}, "x")
    assert validation.describe(odd) == "Does not satisfy the 'not' rule."


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2030-01-01T00:00:00Z", True),
        ("2030-01-01t00:00:00.123456789z", True),
        ("9999-12-31T23:59:59+14:00", True),
        ("9999-12-31T23:59:59-14:00", False),  # year 10000 in UTC
        ("0001-01-01T00:59:59+01:00", False),  # year 0 in UTC
        ("0001-01-01T01:00:00+01:00", True),
        ("2030-02-30T00:00:00Z", False),
        ("2030-01-01T00:00:00", False),
        (17, True),  # not a string: `type` decides
    ],
)
def test_date_times_must_be_representable(value: Any, ok: bool) -> None:
    assert validation.is_representable_date_time(value) is ok
    checker = validation.FORMAT_CHECKER
    assert checker.conforms(value, "date-time") is ok
    assert checker.conforms("not an email", "email") is False  # Draft 4's other formats stay
