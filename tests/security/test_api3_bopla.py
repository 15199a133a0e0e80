"""OWASP API3:2023 Broken Object Property Level Authorization.

Mass assignment: every request body schema in the spec is closed (`additionalProperties`
declared on every object; only a bounded free-form map of the caller's data may be open),
and every write operation answers `422 validation_error` to
its own valid example plus a privileged property it does not declare (`role`,
`owner_id`, `id`, ...). Excessive exposure: no response of any GET operation, as an admin
(who sees most) and as an ordinary user, holds a password, a password or key hash, an API
key secret, a refresh token or the signing secret.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.models import User
from app.auth.models import ApiKey
from app.settings import Settings
from tests.auth_helpers import PASSWORD, Account, resources
from tests.security.spec_walk import (
    BASE,
    FACTORIES,
    OPERATIONS,
    ROLES,
    SPEC,
    api_key,
    body_schema,
    example_body,
    fill,
    op_id,
    path_params,
)

PRIVILEGED = ("role", "owner_id", "author_id", "user_id", "id", "is_active", "password_hash")
WRITES = [(m, p, op) for m, p, op in OPERATIONS if op.get("requestBody")]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _objects(schema: dict[str, Any], seen: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Every object schema reachable from `schema` (refs followed once)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _objects(_resolve(schema), seen | {name})
    found = [schema] if schema.get("type") == "object" or "properties" in schema else []
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            found += _objects(part, seen)
    for part in [*schema.get("properties", {}).values(), schema.get("items")]:
        if isinstance(part, dict):
            found += _objects(part, seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        found += _objects(extra, seen)
    return found


def _declared(schema: dict[str, Any]) -> set[str]:
    schema = _resolve(schema)
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", []):
        names |= _declared(part)
    return names


@pytest.mark.parametrize(("method", "path", "op"), WRITES, ids=[op_id(o) for *_, o in WRITES])
def test_request_bodies_are_closed(method: str, path: str, op: dict[str, Any]) -> None:
    schema = body_schema(op)
    assert schema is not None
    for obj in _objects(schema):
        if any(k in obj for k in ("allOf", "oneOf", "anyOf")):
            continue  # the parts carry it
        assert "additionalProperties" in obj, f"{method} {path}: an open object {obj}"
        if obj["additionalProperties"] is True:
            # Only a free-form map of the caller's own data (item attributes): no declared
            # properties to smuggle into, and bounded.
            assert "properties" not in obj and "maxProperties" in obj, f"{method} {path}"


def _caller(op: dict[str, Any], admin: Account, member: Account) -> dict[str, str]:
    roles = ROLES.get(op_id(op))
    if roles is None:
        return {}  # public
    return member.headers if "user" in roles else admin.headers


@pytest.mark.parametrize(("method", "path", "op"), WRITES, ids=[op_id(o) for *_, o in WRITES])
def test_privileged_properties_cannot_be_assigned(
    client: TestClient,
    admin: Account,
    member: Account,
    method: str,
    path: str,
    op: dict[str, Any],
) -> None:
    headers = _caller(op, admin, member)
    ids = {name: FACTORIES[name](client, headers) for name in path_params(path)}
    body = example_body(op)
    schema = body_schema(op)
    assert isinstance(body, dict) and schema is not None
    smuggled = [f for f in PRIVILEGED if f not in _declared(schema)]
    assert smuggled
    for field in smuggled:
        value = "admin" if field == "role" else True if field == "is_active" else 1
        response = client.request(
            method.upper(), fill(path, ids), json={**body, field: value}, headers=headers
        )
        assert response.status_code == 422, f"{field}: {response.text}"
        assert response.json()["code"] == "validation_error"


def test_registration_cannot_choose_a_role(client: TestClient) -> None:
    response = client.post(
        f"{BASE}/auth/register",
        json={
            "email": "climber@example.com",
            "password": "climber pw 123",
            "full_name": "C",
            "role": "admin",
        },
    )
    assert response.status_code == 422
    assert (
        client.post(
            f"{BASE}/auth/login",
            json={"email": "climber@example.com", "password": "climber pw 123"},
        ).status_code
        == 401
    )  # nothing was created


GETS = [(p, op) for m, p, op in OPERATIONS if m == "get"]


def test_no_get_response_exposes_a_secret(
    app: Any, client: TestClient, settings: Settings, admin: Account, member: Account
) -> None:
    secret = api_key(client, member.headers)
    admin_key = api_key(client, admin.headers)
    with resources(app).db.transaction() as session:
        hashes = [u.password_hash for u in session.exec(select(User)).all()]
        hashes += [k.key_hash for k in session.exec(select(ApiKey)).all()]
    needles = [
        PASSWORD,
        secret,
        admin_key,
        member.refresh,
        admin.refresh,
        settings.auth.jwt_secret.get_secret_value(),
        "$argon2",
        *hashes,
    ]
    seen = 0
    for who in (admin, member):
        ids = {name: FACTORIES[name](client, who.headers) for name in FACTORIES}
        ids["user_id"] = member.user.id or 0
        for path, op in GETS:
            roles = ROLES.get(op_id(op))
            if roles is not None and who.user.role.value not in roles:
                continue
            response = client.get(fill(path, ids), headers=who.headers)
            assert response.status_code == 200, f"{path}: {response.text}"
            seen += 1
            for needle in needles:
                assert needle not in response.text, f"{needle[:10]}... in GET {path}"
            for name in ("password", "password_hash", "key_hash", "secret", "refresh_token"):
                assert f'"{name}"' not in response.text, f"{name} in GET {path}"
    assert seen >= len(GETS)
