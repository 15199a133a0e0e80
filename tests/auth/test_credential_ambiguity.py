"""Credentials are unambiguous: a request carrying two (a bearer token and an API key, valid or
not, or either header twice) is refused on every secured operation; and an API key cannot
manage API keys (that needs a login session), though it may list them."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from app.contract.spec import load_spec, operations
from tests.auth_helpers import Account
from tests.problems import assert_problem

KEYS = "/api/v1/auth/api-keys"
ME = "/api/v1/users/me"


def new_key(client: TestClient, account: Account, name: str = "k") -> dict:
    response = client.post(KEYS, json={"name": name}, headers=account.headers)
    assert response.status_code == 201, response.text
    data: dict = response.json()["data"]
    return data


def secured_operations() -> list[tuple[str, str]]:
    spec = load_spec()
    default = spec.get("security", [])
    found = [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for method, path, op in operations(spec)
        if op.get("security", default)
    ]
    assert len(found) >= 9, found  # the walk covers every secured operation, not a sample
    return found


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-jwt",
        "Bearer",
        "bearer x.y.z",
        "Basic YWRhOnB3",
        "Token abc",
    ],
)
def test_any_authorization_header_next_to_a_valid_key_is_refused(
    client: TestClient, member: Account, authorization: str
) -> None:
    key = new_key(client, member)["key"]
    assert client.get(ME, headers={"X-API-Key": key}).status_code == 200  # the key alone works
    response = client.get(ME, headers={"Authorization": authorization, "X-API-Key": key})
    body = assert_problem(response, 401, "ambiguous_credentials")
    assert "www-authenticate" in response.headers
    assert "member@example.com" not in str(body)


def test_a_bearer_for_one_user_and_a_key_for_another_are_refused(
    client: TestClient, member: Account, reader: Account
) -> None:
    readers_key = new_key(client, reader)["key"]
    for headers in (
        {**member.headers, "X-API-Key": readers_key},
        {"X-API-Key": readers_key, **member.headers},
    ):
        assert_problem(client.get(ME, headers=headers), 401, "ambiguous_credentials")


def test_a_repeated_credential_header_is_refused(
    client: TestClient, member: Account, reader: Account
) -> None:
    mine, theirs = new_key(client, member)["key"], new_key(client, reader)["key"]
    two_keys = [("X-API-Key", mine), ("X-API-Key", theirs)]
    two_tokens = [("Authorization", member.headers["Authorization"])] * 2
    for headers in (two_keys, two_tokens):
        assert_problem(client.get(ME, headers=headers), 401, "ambiguous_credentials")


def test_every_secured_operation_refuses_two_credentials(
    client: TestClient, admin: Account
) -> None:
    key = new_key(client, admin)["key"]
    both = {**admin.headers, "X-API-Key": key}
    for method, path in secured_operations():
        response = client.request(method.upper(), f"/api/v1{path}", headers=both, json={})
        assert_problem(response, 401, "ambiguous_credentials")
    # Nothing happened: the admin's session and key still work.
    assert client.get(ME, headers=admin.headers).status_code == 200
    assert client.get(ME, headers={"X-API-Key": key}).status_code == 200


def test_an_api_key_cannot_create_or_revoke_keys_but_can_list_them(
    client: TestClient, member: Account
) -> None:
    created = new_key(client, member, "ci")
    as_key = {"X-API-Key": created["key"]}
    assert_problem(
        client.post(KEYS, json={"name": "escape"}, headers=as_key), 403, "session_required"
    )
    # Not even its own revocation: a leaked key must be revoked from a login session.
    assert_problem(
        client.delete(f"{KEYS}/{created['id']}", headers=as_key), 403, "session_required"
    )
    listed = client.get(KEYS, headers=as_key)
    assert listed.status_code == 200
    assert [k["name"] for k in listed.json()["data"]["items"]] == ["ci"]  # nothing was minted
    assert client.get(ME, headers=as_key).status_code == 200  # nor revoked
    # With a session, the same operations work.
    assert client.delete(f"{KEYS}/{created['id']}", headers=member.headers).status_code == 204
    assert_problem(client.get(ME, headers=as_key), 401, "api_key_revoked")


def test_the_spec_documents_the_refusals() -> None:
    spec = load_spec()
    unauthorized = spec["components"]["responses"]["Unauthorized"]["description"]
    assert "ambiguous_credentials" in unauthorized
    for path, method in (("/auth/api-keys", "post"), ("/auth/api-keys/{key_id}", "delete")):
        op = spec["paths"][path][method]
        assert "403" in op["responses"]
        assert "session_required" in op["description"]
