"""Changing a credential through `PATCH /users/me` (issue 18, the account-takeover path):
only from a login session, guarded by the login lockout, audited, and ending every other
credential of the account while the caller gets a new session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.contract.spec import load_spec
from app.users import service as users
from tests.audit_log import audit_lines
from tests.auth_helpers import PASSWORD, Account, login
from tests.problems import assert_problem

ME = "/api/v1/users/me"
KEYS = "/api/v1/auth/api-keys"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
AUDIT = "/api/v1/admin/audit"
NEW_PASSWORD = "a brand new password"
CHANGE = {"password": NEW_PASSWORD, "current_password": PASSWORD}
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_key(client: TestClient, account: Account, name: str = "ci") -> dict[str, str]:
    created = client.post(KEYS, json={"name": name}, headers=account.headers)
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["data"]["key"]}


def audited(client: TestClient, admin: Account, action: str) -> list[dict[str, Any]]:
    response = client.get(f"{AUDIT}?action={action}", headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"]["items"]
    return items


@pytest.mark.parametrize(
    "body",
    [
        CHANGE,
        {"password": NEW_PASSWORD, "current_password": "a wrong guess"},
        {"current_password": PASSWORD, "full_name": "Mallory"},
        {"password": NEW_PASSWORD},
    ],
    ids=["right-current", "wrong-current", "current-only", "no-current"],
)
def test_an_api_key_cannot_change_credentials(
    client: TestClient, member: Account, body: dict[str, str]
) -> None:
    key = new_key(client, member)
    refused = client.patch(ME, json=body, headers=key)
    problem = assert_problem(refused, 403, "session_required")
    assert "login session" in problem["detail"]
    # Nothing changed, nothing was counted: the owner's password, session and key still work.
    assert client.get(ME, headers=member.headers).json()["data"]["full_name"] == "member"
    assert client.get(ME, headers=key).status_code == 200
    login(client, "member@example.com", PASSWORD)


def test_an_api_key_may_still_change_the_name(client: TestClient, member: Account) -> None:
    key = new_key(client, member)
    renamed = client.patch(ME, json={"full_name": "Ada K"}, headers=key)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["data"]["full_name"] == "Ada K"
    assert "session" not in renamed.json()["data"]
    assert renamed.headers["cache-control"] == "no-store"


def test_wrong_current_passwords_are_locked_out_like_logins(
    client: TestClient, member: Account, admin: Account, audit_log: pytest.LogCaptureFixture
) -> None:
    # LOGIN_RATE_LIMIT_PER_EMAIL is 5/15 minutes: the probe's 40 guesses stop at 5.
    def guess(i: int) -> Any:
        body = {"password": NEW_PASSWORD, "current_password": f"guess {i}"}
        return client.patch(ME, json=body, headers=member.headers)

    for i in range(5):
        assert_problem(guess(i), 422, "invalid_current_password")
    locked = guess(5)
    body = assert_problem(locked, 429, "too_many_login_attempts")
    retry_after = int(locked.headers["retry-after"])
    assert 1 <= retry_after <= 900
    assert body["detail"] == f"Too many login attempts; retry in {retry_after} seconds."
    # The login lockout's own headers, as on POST /auth/login.
    assert [int(locked.headers[h]) for h in RATE_HEADERS] == [5, 0, retry_after]
    assert {guess(i).json()["code"] for i in range(6, 40)} == {"too_many_login_attempts"}
    # Even the right current password is refused now...
    assert_problem(
        client.patch(ME, json=CHANGE, headers=member.headers), 429, "too_many_login_attempts"
    )
    # ...and so is a login with the right password: it is the same lockout.
    login_refused = client.post(LOGIN, json={"email": "member@example.com", "password": PASSWORD})
    assert_problem(login_refused, 429, "too_many_login_attempts")
    # The password did not change; the session is still alive.
    assert client.get(ME, headers=member.headers).status_code == 200

    failures = audited(client, admin, "auth.login_failed")
    assert len(failures) == 5
    assert {(e["actor_id"], e["target_id"]) for e in failures} == {(member.user.id, member.user.id)}
    assert {json.dumps(e["details"], sort_keys=True) for e in failures} == {
        json.dumps({"email": "member@example.com", "reason": "invalid_current_password"})
    }
    lockouts = audited(client, admin, "auth.locked_out")  # once per window and scope
    assert sorted(e["details"]["scope"] for e in lockouts) == ["client", "email"]
    assert "guess" not in json.dumps(audit_lines(audit_log))


def test_a_right_current_password_clears_the_failures(client: TestClient, member: Account) -> None:
    for _ in range(4):
        wrong = {"password": NEW_PASSWORD, "current_password": "guess"}
        assert client.patch(ME, json=wrong, headers=member.headers).status_code == 422
    changed = client.patch(ME, json=CHANGE, headers=member.headers)
    assert changed.status_code == 200, changed.text
    fresh = bearer(changed.json()["data"]["session"]["access_token"])
    back = {"password": PASSWORD, "current_password": NEW_PASSWORD}
    for _ in range(4):  # a fresh budget: four more failures are not a lockout
        wrong = {"password": PASSWORD, "current_password": "guess"}
        assert client.patch(ME, json=wrong, headers=fresh).status_code == 422
    assert client.patch(ME, json=back, headers=fresh).status_code == 200


def test_a_password_change_ends_every_other_credential_and_starts_a_session(
    client: TestClient, member: Account, admin: Account
) -> None:
    other = login(client, "member@example.com")  # another device
    keys = [new_key(client, member, "ci"), new_key(client, member, "backup")]
    assert all(client.get(ME, headers=k).status_code == 200 for k in keys)

    changed = client.patch(ME, json=CHANGE, headers=member.headers)
    assert changed.status_code == 200, changed.text
    assert changed.headers["cache-control"] == "no-store"
    data = changed.json()["data"]
    assert data["email"] == "member@example.com"
    session = data["session"]
    assert session["token_type"] == "Bearer"
    assert session["expires_in"] >= 1 and session["refresh_expires_in"] >= 1

    # The API keys are revoked: a leaked key does not survive the owner's password change.
    for key in keys:
        assert_problem(client.get(ME, headers=key), 401, "api_key_revoked")
    # Every earlier session ends, the one that made the change included.
    for access, refresh in (
        (other["access_token"], other["refresh_token"]),
        (member.access, member.refresh),
    ):
        assert_problem(client.get(ME, headers=bearer(access)), 401, "token_revoked")
        assert_problem(
            client.post(REFRESH, json={"refresh_token": refresh}), 401, "refresh_token_revoked"
        )
    # The caller's new session works, and rotates like any other.
    assert client.get(ME, headers=bearer(session["access_token"])).status_code == 200
    rotated = client.post(REFRESH, json={"refresh_token": session["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    assert client.get(ME, headers=bearer(rotated.json()["data"]["access_token"])).status_code == 200
    # The new password works, the old one does not.
    login(client, "member@example.com", NEW_PASSWORD)
    old = client.post(LOGIN, json={"email": "member@example.com", "password": PASSWORD})
    assert_problem(old, 401, "invalid_credentials")

    [event] = audited(client, admin, "user.password_changed")
    assert (event["actor_id"], event["actor_kind"], event["target_type"], event["target_id"]) == (
        member.user.id,
        "jwt",
        "user",
        member.user.id,
    )
    assert event["details"] == {"email": "member@example.com", "api_keys_revoked": 2}
    dumped = json.dumps(event)
    assert NEW_PASSWORD not in dumped and PASSWORD not in dumped
    assert session["access_token"] not in dumped


def test_a_refused_change_revokes_nothing(client: TestClient, member: Account) -> None:
    key = new_key(client, member)
    policy = {"password": "member@example.com", "current_password": PASSWORD}
    assert_problem(client.patch(ME, json=policy, headers=member.headers), 422, "validation_error")
    wrong = {"password": NEW_PASSWORD, "current_password": "nope"}
    assert_problem(
        client.patch(ME, json=wrong, headers=member.headers), 422, "invalid_current_password"
    )
    assert client.get(ME, headers=key).status_code == 200
    assert client.get(ME, headers=member.headers).status_code == 200


def test_every_update_me_field_is_a_credential_or_a_profile_field() -> None:
    """A field added to UpdateMeRequest (an email, say) must be classified: a credential
    field needs a session (CREDENTIAL_FIELDS in app/users/service.py)."""
    schema = load_spec()["components"]["schemas"]["UpdateMeRequest"]
    credential, profile = users.CREDENTIAL_FIELDS, users.PROFILE_FIELDS
    assert not credential & profile
    assert set(schema["properties"]) <= credential | profile
    assert "email" in credential


def test_the_spec_documents_the_refusal_and_the_new_session() -> None:
    op = load_spec()["paths"]["/users/me"]["patch"]
    assert "session_required" in op["description"]
    assert "too_many_login_attempts" in op["description"]
    assert "403" in op["responses"]
    data = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert data["$ref"].endswith("/AccountUpdateEnvelope")
