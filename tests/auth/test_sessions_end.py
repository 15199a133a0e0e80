"""Sessions end when credentials change: a password change, a deactivation, a demotion or a
promotion makes every outstanding access token 401 at once and revokes every refresh token of
the account; a new login works (with the new password or role)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.auth_helpers import PASSWORD, Account, login, make_user
from tests.problems import assert_problem

ME = "/api/v1/users/me"
USERS = "/api/v1/users"
REFRESH = "/api/v1/auth/refresh"
NEW_PASSWORD = "a brand new password"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def change_password(client: TestClient, admin: Account, member: Account) -> None:
    body = {"password": NEW_PASSWORD, "current_password": PASSWORD}
    assert client.patch(ME, json=body, headers=member.headers).status_code == 200


def admin_sets(**change: Any) -> Callable[[TestClient, Account, Account], None]:
    def apply(client: TestClient, admin: Account, member: Account) -> None:
        url = f"{USERS}/{member.user.id}"
        assert client.patch(url, json=change, headers=admin.headers).status_code == 200

    return apply


@pytest.mark.parametrize(
    ("role", "change", "access_code", "password", "can_list_users"),
    [
        ("user", change_password, "token_revoked", NEW_PASSWORD, False),
        ("user", admin_sets(role="readonly"), "token_revoked", PASSWORD, False),
        ("user", admin_sets(role="admin"), "token_revoked", PASSWORD, True),
        ("admin", admin_sets(role="user"), "token_revoked", PASSWORD, False),
    ],
    ids=["password-change", "demotion-to-readonly", "promotion-to-admin", "admin-demoted"],
)
def test_a_change_ends_every_session_at_once(
    client: TestClient,
    app: Any,
    admin: Account,
    role: str,
    change: Callable[[TestClient, Account, Account], None],
    access_code: str,
    password: str,
    can_list_users: bool,
) -> None:
    user = make_user(app, "member@example.com", role)
    first = login(client, "member@example.com")
    second = login(client, "member@example.com")  # another device
    member = Account(user=user, access=first["access_token"], refresh=first["refresh_token"])
    assert client.get(ME, headers=member.headers).status_code == 200

    change(client, admin, member)

    for session in (first, second):
        assert_problem(client.get(ME, headers=bearer(session["access_token"])), 401, access_code)
        assert_problem(
            client.post(REFRESH, json={"refresh_token": session["refresh_token"]}),
            401,
            "refresh_token_revoked",
        )
    fresh = login(client, "member@example.com", password)
    assert client.get(ME, headers=bearer(fresh["access_token"])).status_code == 200
    listing = client.get(USERS, headers=bearer(fresh["access_token"]))
    assert listing.status_code == (200 if can_list_users else 403)
    # The admin's own session is untouched by changes to another account.
    assert client.get(ME, headers=admin.headers).status_code == 200


def test_deactivation_ends_every_session_at_once(
    client: TestClient, admin: Account, member: Account
) -> None:
    second = login(client, "member@example.com")
    admin_sets(is_active=False)(client, admin, member)
    assert_problem(
        client.post(
            "/api/v1/auth/login", json={"email": "member@example.com", "password": PASSWORD}
        ),
        403,
        "user_inactive",
    )
    for access, refresh in (
        (member.access, member.refresh),
        (second["access_token"], second["refresh_token"]),
    ):
        assert_problem(client.get(ME, headers=bearer(access)), 401, "token_user_inactive")
        assert_problem(
            client.post(REFRESH, json={"refresh_token": refresh}), 401, "refresh_token_revoked"
        )
    admin_sets(is_active=True)(client, admin, member)
    # Reactivated: the old tokens stay dead, a new login works.
    assert_problem(client.get(ME, headers=member.headers), 401, "token_revoked")
    fresh = login(client, "member@example.com")
    assert client.get(ME, headers=bearer(fresh["access_token"])).status_code == 200


def test_a_role_change_from_the_cli_ends_sessions_too(app: Any, member: Account) -> None:
    client = app.test_client()
    result = app.app.test_cli_runner().invoke(
        args=["users", "change-role", "member@example.com", "readonly"]
    )
    assert result.exit_code == 0, result.output
    assert_problem(client.get(ME, headers=member.headers), 401, "token_revoked")
    assert_problem(
        client.post(REFRESH, json={"refresh_token": member.refresh}), 401, "refresh_token_revoked"
    )
    fresh = login(client, "member@example.com")
    assert (
        client.get(ME, headers=bearer(fresh["access_token"])).json()["data"]["role"] == "readonly"
    )
