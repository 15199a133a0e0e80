"""OWASP API2:2023 Broken Authentication.

JWT tricks (alg none, a wrong key, another HMAC algorithm, expired, wrong audience or
issuer, revoked by logout, a refresh token used as an access token, a reused refresh
token), API key forms (unknown, tampered, revoked, in the query string, two credentials
at once), a deactivated account, and lockouts (per email, per client, and on
`current_password`). Each refusal is a 401/429 problem with its stable code; 401s carry a
`WWW-Authenticate` challenge. The full catalogue of forged tokens, and the RS256 -> HS256
key confusion, is tests/auth/test_tokens_api.py; this is the checklist.
"""

from __future__ import annotations

from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests import jwt_forge as forge
from tests.auth_helpers import PASSWORD, Account, account, login, make_user, resources
from tests.cli_apps import cli
from tests.problems import assert_problem
from tests.security.spec_walk import BASE, api_key

ME = f"{BASE}/users/me"
LOGIN = f"{BASE}/auth/login"
OFFICE = "203.0.113.7"  # one client address (documentation range), e.g. an office NAT
TRICKS = {"alg-none", "bad-signature", "other-hmac-alg", "expired", "wrong-aud", "wrong-iss"}


def refused(response: Any, code: str, status: int = 401) -> None:
    assert_problem(response, status, code)
    if status == 401:
        assert response.headers["www-authenticate"].startswith(("Bearer", "ApiKey"))


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [t for t in forge.TAMPERED if t[0] in TRICKS],
    ids=[t[0] for t in forge.TAMPERED if t[0] in TRICKS],
)
def test_forged_tokens_are_refused(
    client: TestClient, settings: Settings, member: Account, name: str, make: Any, code: str
) -> None:
    del name
    token = make(settings, str(member.user.id))
    refused(client.get(ME, headers={"Authorization": f"Bearer {token}"}), code)


def test_a_logged_out_token_is_revoked(client: TestClient, member: Account) -> None:
    assert client.post(f"{BASE}/auth/logout", headers=member.headers).status_code == 204
    refused(client.get(ME, headers=member.headers), "token_revoked")


def test_refresh_tokens_are_not_access_tokens_and_rotate_once(
    client: TestClient, member: Account
) -> None:
    as_bearer = client.get(ME, headers={"Authorization": f"Bearer {member.refresh}"})
    assert as_bearer.status_code == 401
    first = client.post(f"{BASE}/auth/refresh", json={"refresh_token": member.refresh})
    assert first.status_code == 200
    again = client.post(f"{BASE}/auth/refresh", json={"refresh_token": member.refresh})
    refused(again, "refresh_token_reused")
    # Reuse ends the whole family: the token the first refresh handed out is dead too.
    rotated = first.json()["data"]["refresh_token"]
    refused(
        client.post(f"{BASE}/auth/refresh", json={"refresh_token": rotated}),
        "refresh_token_revoked",
    )


def test_api_key_forms(client: TestClient, member: Account) -> None:
    secret = api_key(client, member.headers)
    assert client.get(ME, headers={"X-API-Key": secret}).status_code == 200
    refused(client.get(ME, headers={"X-API-Key": secret[:-1] + "x"}), "api_key_invalid")
    refused(client.get(ME, headers={"X-API-Key": "ak_zzzzzzzz_unknown"}), "api_key_invalid")
    refused(client.get(ME, headers={"X-API-Key": "not a key"}), "api_key_invalid")
    # Only the header counts: a key in the query string is not a credential.
    refused(client.get(ME, params={"api_key": secret}), "not_authenticated")
    both = {"X-API-Key": secret, **member.headers}
    refused(client.get(ME, headers=both), "ambiguous_credentials")
    key_id = next(
        k["id"]
        for k in client.get(f"{BASE}/auth/api-keys", headers=member.headers).json()["data"]["items"]
    )
    assert (
        client.delete(f"{BASE}/auth/api-keys/{key_id}", headers=member.headers).status_code == 204
    )
    refused(client.get(ME, headers={"X-API-Key": secret}), "api_key_revoked")


def test_a_deactivated_account_loses_its_token_and_keys(
    client: TestClient, admin: Account, member: Account
) -> None:
    secret = api_key(client, member.headers)
    off = client.patch(
        f"{BASE}/users/{member.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert off.status_code == 200
    refused(client.get(ME, headers=member.headers), "token_user_inactive")
    refused(client.get(ME, headers={"X-API-Key": secret}), "api_key_revoked")


# --- lockouts ----------------------------------------------------------------------------
@pytest.fixture
def strict(make_settings: Any) -> tuple[connexion.FlaskApp, TestClient]:
    app = create_app(
        make_settings(
            login_rate_limit_per_email="3/15 minutes", login_rate_limit_per_client="4/15 minutes"
        )
    )
    return app, app.test_client(client=(OFFICE, 50000))


def test_guessing_a_password_locks_the_email_out(
    strict: tuple[connexion.FlaskApp, TestClient],
) -> None:
    app, client = strict
    make_user(app, "guessed@example.com")
    for _ in range(3):
        wrong = client.post(LOGIN, json={"email": "guessed@example.com", "password": "nope 1234"})
        refused(wrong, "invalid_credentials")
    right = client.post(LOGIN, json={"email": "guessed@example.com", "password": PASSWORD})
    refused(right, "too_many_login_attempts", 429)  # even the right password now
    assert int(right.headers["retry-after"]) > 0


def test_guessing_current_password_is_locked_out_like_a_login(
    strict: tuple[connexion.FlaskApp, TestClient],
) -> None:
    """A stolen session must not be a password oracle (issue 18, item 1)."""
    app, client = strict
    who = account(app, client, "oracle@example.com")
    for i in range(3):
        guess = client.patch(
            ME,
            json={"password": "a brand new password", "current_password": f"guess {i}"},
            headers=who.headers,
        )
        assert_problem(guess, 422, "invalid_current_password")
    right = client.patch(
        ME,
        json={"password": "a brand new password", "current_password": PASSWORD},
        headers=who.headers,
    )
    refused(right, "too_many_login_attempts", 429)


def test_successful_logins_do_not_lock_a_client_out(
    strict: tuple[connexion.FlaskApp, TestClient],
) -> None:
    """One office behind one NAT address signs in all morning (issue 18, item 7)."""
    app, client = strict
    for i in range(6):  # past the per-client limit of 4
        make_user(app, f"colleague{i}@example.com")
        login(client, f"colleague{i}@example.com")


def test_resetting_an_address_lifts_its_login_lockout(
    strict: tuple[connexion.FlaskApp, TestClient],
) -> None:
    app, client = strict
    make_user(app, "locked@example.com")
    for i in range(4):
        client.post(LOGIN, json={"email": f"nobody{i}@example.com", "password": "wrong pw 1"})
    locked = client.post(LOGIN, json={"email": "locked@example.com", "password": PASSWORD})
    refused(locked, "too_many_login_attempts", 429)
    result = cli(app, "ratelimit", "reset", f"ip:{OFFICE}")
    if resources(app).redis is None:
        # Embedded mode: the counters live in each server process's memory, out of the
        # command's reach; it says so instead of reporting a reset it did not do.
        assert result.exit_code == 1
        assert "cannot reach them" in result.output
        return
    assert result.exit_code == 0, result.output
    assert (
        client.post(LOGIN, json={"email": "locked@example.com", "password": PASSWORD}).status_code
        == 200
    )
