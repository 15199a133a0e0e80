"""Walk every operation in the spec: each role gets exactly what its `x-roles` declare.

Allowed roles must get a 2xx, others 403 `forbidden`, and no credentials 401. A new
operation must get a request recipe (tests/operation_recipes.py), or this test fails (the
spec drives the matrix).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.contract.spec import base_path, load_spec, operations, role_table
from tests.auth_helpers import Account, account
from tests.operation_recipes import RECIPES, SECURED

SPEC = load_spec()
ROLES = ("admin", "user", "readonly")


def test_every_secured_operation_has_a_recipe() -> None:
    assert {op["operationId"] for _, _, op in SECURED} == set(RECIPES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "op"), SECURED, ids=[op["operationId"] for _, _, op in SECURED]
)
def test_role_gets_what_the_spec_declares(
    app, client: TestClient, role: str, method: str, path: str, op: dict
) -> None:
    who = account(app, client, f"{role}@example.com", role)
    url, body = RECIPES[op["operationId"]](app, client, who)
    response = client.request(method.upper(), base_path(SPEC) + url, json=body, headers=who.headers)
    if role in op["x-roles"]:
        assert 200 <= response.status_code < 300, f"{role} should be allowed: {response.text}"
    else:
        assert response.status_code == 403, f"{role} should be forbidden: {response.text}"
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "op"), SECURED, ids=[op["operationId"] for _, _, op in SECURED]
)
def test_no_credentials_is_401(app, client: TestClient, method: str, path: str, op: dict) -> None:
    url = re.sub(r"\{[^}]+\}", "1", path)
    response = client.request(method.upper(), base_path(SPEC) + url, json={})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_public_operations_need_no_credentials() -> None:
    public = {op["operationId"] for _, _, op in operations(SPEC)} - set(role_table(SPEC))
    assert public == {
        "getHealth",
        "getLiveness",
        "register",
        "login",
        "refresh",
    }


# --- role checks come before validation, for every credential (issue 18, item 9) -----------
WRITES = [
    (m, p, op, role)
    for m, p, op in SECURED
    if m in ("post", "put", "patch", "delete")
    for role in ROLES
    if role not in op["x-roles"]
]
# Each is refused by validation when the role check lets it through: a schema violation, a
# body that is not JSON, an unknown query parameter, a path parameter of the wrong type.
INVALID_INPUTS: list[tuple[str, dict[str, Any]]] = [
    ("schema", {"json": {"zz_not_a_field": "7"}}),
    ("malformed", {"content": b"{", "headers": {"Content-Type": "application/json"}}),
    ("query", {"params": {"zz_unknown": "1"}}),
    ("non_finite", {"content": b'{"a": NaN}', "headers": {"Content-Type": "application/json"}}),
]


def _credential(client: TestClient, who: Account, kind: str) -> dict[str, str]:
    if kind == "bearer":
        return who.headers
    created = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=who.headers)
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["data"]["key"]}


@pytest.mark.parametrize("credential", ["bearer", "api_key"])
@pytest.mark.parametrize(
    ("method", "path", "op", "role"),
    WRITES,
    ids=[f"{op['operationId']}-{role}" for _, _, op, role in WRITES],
)
def test_role_is_checked_before_the_input(
    app, client: TestClient, credential: str, method: str, path: str, op: dict, role: str
) -> None:
    who = account(app, client, f"{role}@example.com", role)
    headers = _credential(client, who, credential)
    url = base_path(SPEC) + re.sub(r"\{[^}]+\}", "1", path)
    for name, kwargs in INVALID_INPUTS:
        sent = {**kwargs, "headers": {**headers, **kwargs.get("headers", {})}}
        response = client.request(method.upper(), url, **sent)
        assert response.status_code == 403, f"{name}: {response.text}"
        assert response.json()["code"] == "forbidden", name


def test_a_promoted_key_owner_is_not_refused_on_the_remembered_role(
    app, client: TestClient, admin: Account
) -> None:
    # The early check remembers an API key's owner for a minute; a refusal re-reads it.
    reader = account(app, client, "promoted@example.com", "readonly")
    key = _credential(client, reader, "api_key")
    refused = client.post("/api/v1/items", json={"name": "a", "price": "1"}, headers=key)
    assert refused.status_code == 403, refused.text
    promoted = client.patch(
        f"/api/v1/users/{reader.user.id}", json={"role": "user"}, headers=admin.headers
    )
    assert promoted.status_code == 200, promoted.text
    created = client.post("/api/v1/items", json={"name": "a", "price": "1"}, headers=key)
    assert created.status_code == 201, created.text
