"""OWASP API5:2023 Broken Function Level Authorization.

The role matrix derived from the spec's `x-roles`, for API keys (the bearer matrix is
tests/api/test_rbac_matrix.py), each operation called with the spec's own example body on
objects the caller owns (or, for a role that may not create them, an admin's): a key acts
with its owner's role, so an allowed role gets a 2xx (or `403 session_required` where the
spec says a session is needed, or 401 where the operation does not take API keys) and
any other role `403 forbidden`. The role check comes before any validation, for bearer
tokens and API keys alike (a forbidden caller learns nothing about the body or the
parameters). A demoted account's credentials lose the old role at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.auth_helpers import Account, account
from tests.problems import assert_problem
from tests.security.spec_walk import (
    BASE,
    FACTORIES,
    OPERATIONS,
    ROLES,
    accepts_api_keys,
    api_key,
    example_body,
    fill,
    needs_session,
    op_id,
    path_params,
)

ALL_ROLES = ("admin", "user", "readonly")
SECURED = [(m, p, op) for m, p, op in OPERATIONS if op_id(op) in ROLES]


def _expected(op: dict[str, Any], role: str, body: Any) -> tuple[int, str | None]:
    if not accepts_api_keys(op):
        return 401, "not_authenticated"
    if role not in ROLES[op_id(op)]:
        return 403, "forbidden"
    if needs_session(op, body):
        return 403, "session_required"
    return 200, None


@pytest.fixture
def callers(app: Any, client: TestClient) -> dict[str, tuple[Account, dict[str, str]]]:
    """Per role: the account (a session) and the headers of an API key of it."""
    made = {}
    for role in ALL_ROLES:
        who = account(app, client, f"{role}-bfla@example.com", role)
        made[role] = (who, {"X-API-Key": api_key(client, who.headers)})
    return made


def _ids(client: TestClient, path: str, who: Account, admin: Account) -> dict[str, int]:
    """Fresh objects for the path's ids: the caller's own where its role may create them
    (ownership rules apply to `user`), else an admin's."""
    ids = {}
    for name in path_params(path):
        try:
            ids[name] = FACTORIES[name](client, who.headers)
        except AssertionError:  # e.g. readonly may not create items
            ids[name] = FACTORIES[name](client, admin.headers)
            if name == "document_id":  # another's draft is invisible: publish it
                published = client.post(
                    f"{BASE}/documents/{ids[name]}/publish", headers=admin.headers
                )
                assert published.status_code == 200, published.text
    return ids


def test_api_keys_get_their_owners_role_matrix(
    client: TestClient, admin: Account, callers: dict[str, tuple[Account, dict[str, str]]]
) -> None:
    """One test over every secured operation x role (per-test setup would dominate)."""
    wrong = {}
    for method, path, op in SECURED:
        for role, (who, key) in callers.items():
            url = fill(path, _ids(client, path, who, admin))
            response = client.request(method.upper(), url, json=example_body(op), headers=key)
            status, code = _expected(op, role, example_body(op))
            got: tuple[int, str | None] = (response.status_code, None)
            if response.status_code >= 300:
                got = (response.status_code, response.json().get("code"))
            if (code is None and got[0] >= 300) or (code is not None and got != (status, code)):
                wrong[f"{op_id(op)} as {role}"] = got
    assert not wrong, wrong


# Operations with a body or an id to validate, and a role they refuse.
GUARDED = [
    (m, p, op)
    for m, p, op in SECURED
    if set(ALL_ROLES) - ROLES[op_id(op)] and (op.get("requestBody") or path_params(p))
]


def test_the_role_check_comes_before_validation(
    client: TestClient, callers: dict[str, tuple[Account, dict[str, str]]]
) -> None:
    """An invalid body and an out-of-range id: still 403 for every role an operation
    refuses, with a bearer token and with an API key (where the operation takes keys)."""
    wrong = {}
    for method, path, op in GUARDED:
        url = BASE + path
        for name in path_params(path):
            url = url.replace("{" + name + "}", "0")  # below every id's minimum of 1
        body = {"surely_not_a_field": [1, {"x": None}]} if op.get("requestBody") else None
        for role, (who, key) in callers.items():
            if role in ROLES[op_id(op)]:
                continue
            credentials = {"bearer": who.headers, "api_key": key}
            if not accepts_api_keys(op):
                del credentials["api_key"]
            for credential, headers in credentials.items():
                response = client.request(method.upper(), url, json=body, headers=headers)
                got = (response.status_code, response.json()["code"])
                if got != (403, "forbidden"):
                    wrong[f"{op_id(op)} as {role} with {credential}"] = got
    assert GUARDED
    assert not wrong, wrong


def test_a_demoted_account_loses_the_role_at_once(
    client: TestClient, admin: Account, member: Account
) -> None:
    key = {"X-API-Key": api_key(client, member.headers)}
    create = {"name": "demoted", "price": "1.00"}
    assert client.post(f"{BASE}/items", json=create, headers=key).status_code == 201
    demoted = client.patch(
        f"{BASE}/users/{member.user.id}", json={"role": "readonly"}, headers=admin.headers
    )
    assert demoted.status_code == 200
    assert_problem(client.post(f"{BASE}/items", json=create, headers=key), 403, "forbidden")
    # The session's tokens carried the old role: they are revoked.
    assert_problem(client.get(f"{BASE}/users/me", headers=member.headers), 401, "token_revoked")
