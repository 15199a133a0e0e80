"""The caller's own account, user administration, ownership and the last-admin rule."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.auth_helpers import PASSWORD, Account, login, make_user
from tests.problems import assert_problem, problem_code

ME = "/api/v1/users/me"


def test_get_me(client: TestClient, member: Account) -> None:
    data = client.get(ME, headers=member.headers).json()["data"]
    assert data["id"] == member.user.id
    assert data["email"] == "member@example.com"
    assert set(data) == {
        "id",
        "email",
        "full_name",
        "role",
        "is_active",
        "created_at",
        "updated_at",
    }


def test_update_my_name(client: TestClient, member: Account) -> None:
    response = client.patch(ME, json={"full_name": "  New Name "}, headers=member.headers)
    assert response.status_code == 200
    assert response.json()["data"]["full_name"] == "New Name"


@pytest.mark.parametrize(
    "extra", [{"role": "admin"}, {"id": 99}, {"is_active": False}, {"email": "x@y.io"}]
)
def test_update_me_rejects_mass_assignment(
    client: TestClient, member: Account, extra: dict[str, Any]
) -> None:
    response = client.patch(ME, json={"full_name": "X", **extra}, headers=member.headers)
    assert response.status_code == 422
    assert problem_code(response) == "validation_error"
    me = client.get(ME, headers=member.headers).json()["data"]
    assert me["role"] == "user" and me["is_active"] is True and me["full_name"] != "X"


def test_update_me_needs_a_field(client: TestClient, member: Account) -> None:
    assert problem_code(client.patch(ME, json={}, headers=member.headers)) == "validation_error"


def test_password_change_requires_current_password(client: TestClient, member: Account) -> None:
    response = client.patch(ME, json={"password": "a brand new password"}, headers=member.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "current_password"
    wrong = client.patch(
        ME,
        json={"password": "a brand new password", "current_password": "nope"},
        headers=member.headers,
    )
    assert wrong.status_code == 422
    assert problem_code(wrong) == "invalid_current_password"
    same_as_email = client.patch(
        ME,
        json={"password": "member@example.com", "current_password": PASSWORD},
        headers=member.headers,
    )
    assert problem_code(same_as_email) == "validation_error"


def test_password_change_works_and_ends_other_sessions(client: TestClient, member: Account) -> None:
    response = client.patch(
        ME,
        json={"password": "a brand new password", "current_password": PASSWORD},
        headers=member.headers,
    )
    assert response.status_code == 200
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": "member@example.com", "password": PASSWORD}
        ).status_code
        == 401
    )
    login(client, "member@example.com", "a brand new password")
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": member.refresh})
    assert refreshed.status_code == 401


def test_admin_lists_filters_sorts_and_paginates(client: TestClient, app, admin: Account) -> None:
    for i in range(5):
        make_user(app, f"u{i}@example.com")
    make_user(app, "ro@example.com", "readonly")
    make_user(app, "off@example.com", active=False)
    page = client.get(
        "/api/v1/users?page=2&size=3&sort=email&order=asc", headers=admin.headers
    ).json()["data"]
    assert page["total"] == 8 and page["pages"] == 3 and page["page"] == 2 and page["size"] == 3
    everyone = client.get(
        "/api/v1/users?size=100&sort=email&order=asc", headers=admin.headers
    ).json()["data"]["items"]
    emails = [u["email"] for u in everyone]
    assert emails == sorted(emails)
    assert [u["email"] for u in page["items"]] == emails[3:6]
    readonly = client.get("/api/v1/users?role=readonly", headers=admin.headers).json()["data"]
    assert [u["email"] for u in readonly["items"]] == ["ro@example.com"]
    inactive = client.get("/api/v1/users?is_active=false", headers=admin.headers).json()["data"]
    assert [u["email"] for u in inactive["items"]] == ["off@example.com"]
    beyond = client.get("/api/v1/users?page=50", headers=admin.headers).json()["data"]
    assert beyond["items"] == [] and beyond["total"] == 8


@pytest.mark.parametrize(
    "query",
    [
        "size=0",
        "size=101",
        "page=0",
        "sort=password_hash",
        "order=sideways",
        "role=root",
        "is_active=maybe",
        "unknown=x",
    ],
)
def test_list_users_rejects_bad_parameters(client: TestClient, admin: Account, query: str) -> None:
    response = client.get(f"/api/v1/users?{query}", headers=admin.headers)
    assert response.status_code == 400
    assert problem_code(response) == "invalid_parameter"


def test_admin_gets_updates_and_deletes(
    client: TestClient, admin: Account, member: Account
) -> None:
    uid = member.user.id
    assert (
        client.get(f"/api/v1/users/{uid}", headers=admin.headers).json()["data"]["email"]
        == "member@example.com"
    )
    updated = client.patch(
        f"/api/v1/users/{uid}", json={"role": "readonly", "is_active": False}, headers=admin.headers
    )
    assert (
        updated.json()["data"]["role"] == "readonly"
        and updated.json()["data"]["is_active"] is False
    )
    assert client.delete(f"/api/v1/users/{uid}", headers=admin.headers).status_code == 204
    missing = client.get(f"/api/v1/users/{uid}", headers=admin.headers)
    assert missing.status_code == 404 and problem_code(missing) == "not_found"
    assert problem_code(client.delete(f"/api/v1/users/{uid}", headers=admin.headers)) == "not_found"
    assert (
        problem_code(
            client.patch(f"/api/v1/users/{uid}", json={"role": "user"}, headers=admin.headers)
        )
        == "not_found"
    )


@pytest.mark.parametrize(
    "payload",
    [{}, {"role": "root"}, {"is_active": "no"}, {"email": "x@y.io"}, {"password": "whatever123"}],
)
def test_admin_update_rejects_bad_bodies(
    client: TestClient, admin: Account, member: Account, payload: dict[str, Any]
) -> None:
    response = client.patch(f"/api/v1/users/{member.user.id}", json=payload, headers=admin.headers)
    assert response.status_code == 422 and problem_code(response) == "validation_error"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/users/0", 400, "invalid_parameter"),  # below the spec's minimum
        ("/api/v1/users/-1", 400, "invalid_parameter"),
        ("/api/v1/users/99999999999999999999", 400, "invalid_parameter"),  # above int64
        # Not an integer: the route's integer converter does not match, so no such route.
        ("/api/v1/users/abc", 404, "not_found"),
    ],
)
def test_bad_user_ids(
    client: TestClient, admin: Account, path: str, status: int, code: str
) -> None:
    assert_problem(client.get(path, headers=admin.headers), status, code)


@pytest.mark.parametrize(
    ("method", "payload"),
    [
        ("patch", {"role": "user"}),
        ("patch", {"is_active": False}),
        ("patch", {"role": "readonly", "is_active": True}),
        ("delete", None),
    ],
)
def test_the_last_admin_cannot_be_removed(
    client: TestClient, admin: Account, method: str, payload: Any
) -> None:
    url = f"/api/v1/users/{admin.user.id}"
    response = (
        client.patch(url, json=payload, headers=admin.headers)
        if payload
        else client.delete(url, headers=admin.headers)
    )
    assert response.status_code == 409
    assert problem_code(response) == "last_admin"
    assert client.get(ME, headers=admin.headers).json()["data"]["role"] == "admin"


def test_an_admin_can_step_down_when_another_exists(
    client: TestClient, app, admin: Account
) -> None:
    make_user(app, "second@example.com", "admin")
    response = client.patch(
        f"/api/v1/users/{admin.user.id}", json={"role": "user"}, headers=admin.headers
    )
    assert response.status_code == 200
    # ...which ends their session; logged in again, they are no admin any more.
    assert problem_code(client.get("/api/v1/users", headers=admin.headers)) == "token_revoked"
    again = login(client, "admin@example.com")["access_token"]
    headers = {"Authorization": f"Bearer {again}"}
    assert client.get("/api/v1/users", headers=headers).status_code == 403


def test_inactive_admins_do_not_count(client: TestClient, app, admin: Account) -> None:
    make_user(app, "dormant@example.com", "admin", active=False)
    response = client.delete(f"/api/v1/users/{admin.user.id}", headers=admin.headers)
    assert problem_code(response) == "last_admin"


def test_users_cannot_touch_other_accounts(
    client: TestClient, member: Account, reader: Account
) -> None:
    other = reader.user.id
    for response in (
        client.get(f"/api/v1/users/{other}", headers=member.headers),
        client.patch(f"/api/v1/users/{other}", json={"role": "admin"}, headers=member.headers),
        client.delete(f"/api/v1/users/{other}", headers=member.headers),
        client.get("/api/v1/users", headers=member.headers),
    ):
        assert response.status_code == 403
        assert problem_code(response) == "forbidden"
    # PATCH /users/me changes only the caller.
    client.patch(ME, json={"full_name": "Changed"}, headers=member.headers)
    assert client.get(ME, headers=reader.headers).json()["data"]["full_name"] == "reader"
