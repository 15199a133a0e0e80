"""A credential never acts for another account: ids are never reused (SQLite AUTOINCREMENT,
PostgreSQL sequences), tokens carry the account's session stamp, and a deleted or deactivated
account's credentials stay dead, even after reactivation or if an id came back."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.models import User
from app.settings import Settings
from tests import jwt_forge
from tests.auth_helpers import PASSWORD, Account, login, resources
from tests.problems import assert_problem

REGISTER = "/api/v1/auth/register"
REFRESH = "/api/v1/auth/refresh"
KEYS = "/api/v1/auth/api-keys"
ME = "/api/v1/users/me"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(client: TestClient, email: str, full_name: str) -> int:
    body = {"email": email, "password": PASSWORD, "full_name": full_name}
    response = client.post(REGISTER, json=body)
    assert response.status_code == 201, response.text
    user_id: int = response.json()["data"]["id"]
    return user_id


def credentials(client: TestClient, email: str) -> dict[str, Any]:
    """A login (access + refresh token) and an API key of `email`."""
    tokens = login(client, email)
    key = client.post(KEYS, json={"name": "k"}, headers=bearer(tokens["access_token"]))
    assert key.status_code == 201, key.text
    return {**tokens, "key": key.json()["data"]["key"]}


def assert_all_dead(client: TestClient, creds: dict[str, Any], codes: tuple[str, str, str]) -> None:
    access, refresh, key = codes
    assert_problem(client.get(ME, headers=bearer(creds["access_token"])), 401, access)
    assert_problem(
        client.patch(ME, json={"full_name": "Hijacked"}, headers=bearer(creds["access_token"])),
        401,
        access,
    )
    assert_problem(
        client.post(REFRESH, json={"refresh_token": creds["refresh_token"]}), 401, refresh
    )
    assert_problem(client.get(ME, headers={"X-API-Key": creds["key"]}), 401, key)


def stamp_of(app: Any, user_id: int) -> str:
    with resources(app).db.transaction() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.session_stamp


def test_deleting_the_newest_account_never_frees_its_id(
    client: TestClient, app: Any, admin: Account
) -> None:
    old_id = register(client, "old@example.com", "Old")
    old = credentials(client, "old@example.com")
    assert client.delete(f"/api/v1/users/{old_id}", headers=admin.headers).status_code == 204

    new_id = register(client, "new@example.com", "New")
    assert new_id > old_id
    # The deleted account's credentials are dead and never reach the new account.
    assert_all_dead(
        client, old, ("token_user_not_found", "refresh_token_invalid", "api_key_invalid")
    )
    new = login(client, "new@example.com")
    me = client.get(ME, headers=bearer(new["access_token"])).json()["data"]
    assert (me["id"], me["full_name"]) == (new_id, "New")


def test_credentials_die_with_the_account_even_if_its_id_came_back(
    client: TestClient, app: Any, admin: Account
) -> None:
    """What a reused id (SQLite without AUTOINCREMENT) would do: a new row under the old id."""
    old_id = register(client, "old@example.com", "Old")
    old = credentials(client, "old@example.com")
    assert client.delete(f"/api/v1/users/{old_id}", headers=admin.headers).status_code == 204
    with resources(app).db.transaction() as session:
        session.add(User(id=old_id, email="heir@example.com", full_name="Heir", password_hash="x"))
    assert_all_dead(client, old, ("token_revoked", "refresh_token_invalid", "api_key_invalid"))
    with resources(app).db.transaction() as session:
        heir = session.exec(select(User).where(User.email == "heir@example.com")).one()
    assert heir.full_name == "Heir"


def test_a_token_with_another_session_stamp_is_refused(
    client: TestClient, app: Any, settings: Settings, member: Account, reader: Account
) -> None:
    uid = member.user.id
    genuine = jwt_forge.signed(settings, sub=str(uid), sst=stamp_of(app, uid))
    assert client.get(ME, headers=bearer(genuine)).status_code == 200  # the forge is sound
    for stamp in (stamp_of(app, reader.user.id), "0" * 32, "0"):
        forged = jwt_forge.signed(settings, sub=str(uid), sst=stamp)
        assert_problem(client.get(ME, headers=bearer(forged)), 401, "token_revoked")
    for stamp in ("", "x" * 65, "a b"):  # not even shaped like a stamp we issue
        forged = jwt_forge.signed(settings, sub=str(uid), sst=stamp)
        assert_problem(client.get(ME, headers=bearer(forged)), 401, "token_claims_missing")


def test_reactivation_brings_back_no_credential(
    client: TestClient, app: Any, admin: Account, member: Account
) -> None:
    before = credentials(client, "member@example.com")
    url = f"/api/v1/users/{member.user.id}"
    assert client.patch(url, json={"is_active": False}, headers=admin.headers).status_code == 200
    assert client.patch(url, json={"is_active": True}, headers=admin.headers).status_code == 200

    assert_all_dead(client, before, ("token_revoked", "refresh_token_revoked", "api_key_revoked"))
    assert_problem(client.get(ME, headers=member.headers), 401, "token_revoked")
    # A new login works.
    again = credentials(client, "member@example.com")
    assert client.get(ME, headers=bearer(again["access_token"])).status_code == 200
    assert client.get(ME, headers={"X-API-Key": again["key"]}).status_code == 200
