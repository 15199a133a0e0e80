"""Register, login (lockout, rehash), refresh rotation and reuse detection, logout."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.models import User
from app.auth.models import RefreshToken
from app.infra.column_types import utcnow
from app.main import create_app
from tests.auth_helpers import PASSWORD, Account, login, make_user, resources
from tests.problems import assert_problem

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"


def body(**overrides: Any) -> dict[str, Any]:
    return {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada", **overrides}


# --- register ---------------------------------------------------------------------------


def test_register_creates_a_user(client: TestClient) -> None:
    response = client.post(REGISTER, json=body(email="Ada@Example.COM"))
    assert response.status_code == 201, response.text
    user = response.json()["data"]
    assert user["email"] == "ada@example.com"
    assert user["role"] == "user"
    assert user["is_active"] is True
    assert user["created_at"].endswith("Z")
    assert "password" not in response.text
    assert "argon2" not in response.text


def test_duplicate_email_is_409_case_insensitively(client: TestClient) -> None:
    assert client.post(REGISTER, json=body()).status_code == 201
    assert_problem(client.post(REGISTER, json=body(email="ADA@example.com")), 409, "email_taken")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"password": "ada@example.com"}, "password"),
        ({"password": "ADA@EXAMPLE.COM"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": "ada..x@example.com"}, "email"),
        ({"email": "ünï@example.com"}, "email"),
        ({"email": "ada@example.com\n"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 101}, "full_name"),
    ],
)
def test_register_policy_violations_are_422(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    data = assert_problem(client.post(REGISTER, json=body(**overrides)), 422, "validation_error")
    assert field in {e["field"] for e in data["errors"]}


@pytest.mark.parametrize(
    "extra", [{"role": "admin"}, {"id": 1}, {"is_active": False}, {"password_hash": "x"}]
)
def test_register_rejects_mass_assignment(client: TestClient, app, extra: dict[str, Any]) -> None:
    data = assert_problem(client.post(REGISTER, json=body(**extra)), 422, "validation_error")
    assert next(iter(extra)) in {e["field"] for e in data["errors"]}
    with resources(app).db.transaction() as session:
        assert session.exec(select(User)).all() == []  # nothing was created


def test_register_requires_fields(client: TestClient) -> None:
    data = assert_problem(client.post(REGISTER, json={}), 422, "validation_error")
    assert {e["field"] for e in data["errors"]} == {"email", "password", "full_name"}


# --- login ------------------------------------------------------------------------------


def test_login_returns_tokens(client: TestClient, app, settings) -> None:
    make_user(app, "ada@example.com")
    tokens = login(client, "ADA@example.com")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == settings.auth.access_token_ttl_seconds
    assert tokens["refresh_expires_in"] == settings.auth.refresh_token_ttl_seconds
    me = client.get(ME, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["data"]["email"] == "ada@example.com"


def test_unknown_email_and_wrong_password_look_the_same(client: TestClient, app) -> None:
    make_user(app, "ada@example.com")
    wrong = assert_problem(
        client.post(LOGIN, json={"email": "ada@example.com", "password": "nope-nope"}),
        401,
        "invalid_credentials",
    )
    unknown = assert_problem(
        client.post(LOGIN, json={"email": "who@example.com", "password": "nope-nope"}),
        401,
        "invalid_credentials",
    )
    assert wrong["detail"] == unknown["detail"]
    assert wrong.keys() == unknown.keys()


def test_inactive_user_cannot_log_in(client: TestClient, app) -> None:
    make_user(app, "ada@example.com", active=False)
    assert_problem(
        client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD}),
        403,
        "user_inactive",
    )


def test_repeated_failures_lock_the_email_out(make_settings, database_url) -> None:
    app = create_app(make_settings(login_rate_limit_per_email="3/minute"))
    client = app.test_client()
    make_user(app, "ada@example.com")
    try:
        for _ in range(3):
            assert_problem(
                client.post(LOGIN, json={"email": "ada@example.com", "password": "bad-pass"}),
                401,
                "invalid_credentials",
            )
        # Even the right password is refused while locked out.
        locked = client.post(LOGIN, json={"email": "Ada@example.com", "password": PASSWORD})
        assert_problem(locked, 429, "too_many_login_attempts")
        assert 1 <= int(locked.headers["retry-after"]) <= 60
        # Another account from the same client is not affected.
        make_user(app, "bob@example.com")
        assert (
            client.post(LOGIN, json={"email": "bob@example.com", "password": PASSWORD}).status_code
            == 200
        )
    finally:
        resources(app).auth.throttle.reset()


def test_successful_login_clears_the_failure_count(make_settings) -> None:
    app = create_app(make_settings(login_rate_limit_per_email="3/minute"))
    client = app.test_client()
    make_user(app, "ada@example.com")
    try:
        for _ in range(2):
            client.post(LOGIN, json={"email": "ada@example.com", "password": "bad-pass"})
        login(client, "ada@example.com")
        for _ in range(2):
            client.post(LOGIN, json={"email": "ada@example.com", "password": "bad-pass"})
        login(client, "ada@example.com")  # would be locked without the reset
    finally:
        resources(app).auth.throttle.reset()


def test_login_rehashes_when_parameters_change(app, make_settings) -> None:
    make_user(app, "ada@example.com")  # hashed with time_cost=1
    stronger = create_app(make_settings(password_hash_time_cost=2))
    login(stronger.test_client(), "ada@example.com")
    with resources(app).db.transaction() as session:
        user = session.exec(select(User).where(User.email == "ada@example.com")).one()
    assert "t=2" in user.password_hash
    login(stronger.test_client(), "ada@example.com")  # the new hash verifies


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "a@x.io"},
        {"email": "a@x.io", "password": "x", "remember": True},
        {"email": 1, "password": 2},
    ],
)
def test_login_bad_bodies_are_422(client: TestClient, payload: dict[str, Any]) -> None:
    assert_problem(client.post(LOGIN, json=payload), 422, "validation_error")


# --- refresh and logout -----------------------------------------------------------------


def test_refresh_rotates(client: TestClient, member: Account) -> None:
    response = client.post(REFRESH, json={"refresh_token": member.refresh})
    assert response.status_code == 200, response.text
    pair = response.json()["data"]
    assert pair["refresh_token"] != member.refresh
    assert (
        client.get(ME, headers={"Authorization": f"Bearer {pair['access_token']}"}).status_code
        == 200
    )


def test_reusing_a_refresh_token_revokes_the_family(client: TestClient, member: Account) -> None:
    rotated = client.post(REFRESH, json={"refresh_token": member.refresh}).json()["data"]
    assert_problem(
        client.post(REFRESH, json={"refresh_token": member.refresh}), 401, "refresh_token_reused"
    )
    # Every token of the family is dead now: the rotated refresh token and its access token.
    assert_problem(
        client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]}),
        401,
        "refresh_token_revoked",
    )
    assert_problem(
        client.get(ME, headers={"Authorization": f"Bearer {rotated['access_token']}"}),
        401,
        "token_revoked",
    )
    # Other logins of the same user are untouched.
    other = login(client, "member@example.com")
    assert client.post(REFRESH, json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_unknown_and_expired_refresh_tokens(client: TestClient, app, member: Account) -> None:
    assert_problem(
        client.post(REFRESH, json={"refresh_token": "nope"}), 401, "refresh_token_invalid"
    )
    with resources(app).db.transaction() as session:
        for row in session.exec(select(RefreshToken)).all():
            row.expires_at = utcnow() - timedelta(seconds=1)
            session.add(row)
        session.commit()
    assert_problem(
        client.post(REFRESH, json={"refresh_token": member.refresh}), 401, "refresh_token_expired"
    )


def test_refresh_for_a_deactivated_user_fails(
    client: TestClient, admin: Account, member: Account
) -> None:
    assert (
        client.patch(
            f"/api/v1/users/{member.user.id}", json={"is_active": False}, headers=admin.headers
        ).status_code
        == 200
    )
    # Deactivation revokes the user's refresh tokens (and ends their sessions).
    response = client.post(REFRESH, json={"refresh_token": member.refresh})
    assert_problem(response, 401, "refresh_token_revoked")


def test_logout_revokes_the_token_and_its_family(client: TestClient, member: Account) -> None:
    other = login(client, "member@example.com")  # a second session
    response = client.post(LOGOUT, headers=member.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(ME, headers=member.headers), 401, "token_revoked")
    assert_problem(
        client.post(REFRESH, json={"refresh_token": member.refresh}), 401, "refresh_token_revoked"
    )
    # The other session lives on.
    assert (
        client.get(ME, headers={"Authorization": f"Bearer {other['access_token']}"}).status_code
        == 200
    )


def test_logout_needs_a_bearer_token(client: TestClient, member: Account) -> None:
    key = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=member.headers).json()[
        "data"
    ]["key"]
    assert_problem(client.post(LOGOUT, headers={"X-API-Key": key}), 401, "not_authenticated")
    assert_problem(client.post(LOGOUT), 401, "not_authenticated")


def test_refresh_body_is_validated(client: TestClient) -> None:
    assert_problem(client.post(REFRESH, json={}), 422, "validation_error")
    assert_problem(client.post(REFRESH, json={"refresh_token": "x" * 600}), 422, "validation_error")


def test_logout_denylist_entry_lives_as_long_as_the_token(
    client: TestClient, app, member: Account, settings
) -> None:
    res = resources(app)
    if res.redis is None:
        pytest.skip("REDIS_URL not set: the in-process store is covered by the logout tests")
    client.post(LOGOUT, headers=member.headers)
    keys = list(res.redis.scan_iter(match=f"{settings.redis.key_prefix}:revoked:jti:*"))
    assert len(keys) == 1
    ttl = res.redis.ttl(keys[0])
    assert 0 < ttl <= settings.auth.access_token_ttl_seconds + settings.auth.jwt_leeway_seconds
