"""API key lifecycle: created (secret once), listed (no secret), used, revoked, expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.auth.models import ApiKey
from app.infra.column_types import utcnow
from tests.auth_helpers import Account, resources

KEYS = "/api/v1/auth/api-keys"
ME = "/api/v1/users/me"


def create(client: TestClient, account: Account, **body) -> dict:
    response = client.post(KEYS, json={"name": "ci", **body}, headers=account.headers)
    assert response.status_code == 201, response.text
    data: dict = response.json()["data"]
    return data


def test_create_list_use_revoke(client: TestClient, app, member: Account) -> None:
    created = create(client, member, name="nightly")
    secret = created["key"]
    assert secret.startswith(created["prefix"] + "_")
    assert created["prefix"].startswith("ak_") and len(created["prefix"]) == 11
    with resources(app).db.transaction() as session:
        row = session.exec(select(ApiKey)).one()
    assert secret not in row.key_hash  # stored hashed

    listed = client.get(KEYS, headers=member.headers)
    assert listed.status_code == 200
    items = listed.json()["data"]["items"]
    assert [k["prefix"] for k in items] == [created["prefix"]]
    assert "key" not in items[0] and secret not in listed.text

    me = client.get(ME, headers={"X-API-Key": secret})
    assert me.status_code == 200 and me.json()["data"]["email"] == "member@example.com"
    assert (
        client.get(KEYS, headers={"X-API-Key": secret}).json()["data"]["items"][0]["last_used_at"]
        is not None
    )

    assert client.delete(f"{KEYS}/{created['id']}", headers=member.headers).status_code == 204
    revoked = client.get(ME, headers={"X-API-Key": secret})
    assert revoked.status_code == 401 and revoked.json()["code"] == "api_key_revoked"
    assert "www-authenticate" in revoked.headers
    assert client.get(KEYS, headers=member.headers).json()["data"]["items"] == []
    assert client.delete(f"{KEYS}/{created['id']}", headers=member.headers).status_code == 404


def test_key_acts_with_the_owners_role(client: TestClient, admin: Account, reader: Account) -> None:
    admin_key = create(client, admin)["key"]
    reader_key = create(client, reader)["key"]
    assert client.get("/api/v1/users", headers={"X-API-Key": admin_key}).status_code == 200
    denied = client.get("/api/v1/users", headers={"X-API-Key": reader_key})
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"


def test_expired_key_is_401(client: TestClient, app, member: Account) -> None:
    created = create(client, member, expires_at=(utcnow() + timedelta(hours=1)).isoformat())
    assert client.get(ME, headers={"X-API-Key": created["key"]}).status_code == 200
    with resources(app).db.transaction() as session:
        row = session.get(ApiKey, created["id"])
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    response = client.get(ME, headers={"X-API-Key": created["key"]})
    assert response.status_code == 401 and response.json()["code"] == "api_key_expired"


@pytest.mark.parametrize(
    "key", ["nope", "ak_", "ak_abcdefgh_wrongsecret", "ak_zzzzzzzz_x", "x" * 300]
)
def test_invalid_keys_are_401(client: TestClient, member: Account, key: str) -> None:
    create(client, member)
    response = client.get(ME, headers={"X-API-Key": key})
    assert response.status_code == 401 and response.json()["code"] == "api_key_invalid"


def test_a_tampered_secret_with_a_real_prefix_is_401(client: TestClient, member: Account) -> None:
    secret = create(client, member)["key"]
    response = client.get(ME, headers={"X-API-Key": secret[:-2] + "xx"})
    assert response.json()["code"] == "api_key_invalid"


def test_key_of_a_deactivated_user_is_401(
    client: TestClient, admin: Account, member: Account
) -> None:
    secret = create(client, member)["key"]
    client.patch(
        f"/api/v1/users/{member.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert client.get(ME, headers={"X-API-Key": secret}).status_code == 401


def test_other_users_keys_are_invisible(
    client: TestClient, member: Account, reader: Account
) -> None:
    theirs = create(client, reader)
    assert client.get(KEYS, headers=member.headers).json()["data"]["items"] == []
    response = client.delete(f"{KEYS}/{theirs['id']}", headers=member.headers)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(ME, headers={"X-API-Key": theirs["key"]}).status_code == 200  # untouched


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "k", "expires_at": "yesterday"},
        {"name": "k", "owner_id": 1},
        {"name": "k", "prefix": "ak_mine0000"},
    ],
)
def test_bad_create_bodies_are_422(client: TestClient, member: Account, body: dict) -> None:
    response = client.post(KEYS, json=body, headers=member.headers)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_expiry_in_the_past_is_422(client: TestClient, member: Account) -> None:
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    response = client.post(KEYS, json={"name": "k", "expires_at": past}, headers=member.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires_at"


def test_api_keys_need_authentication(client: TestClient) -> None:
    assert client.get(KEYS).status_code == 401
    assert client.post(KEYS, json={"name": "k"}).status_code == 401
