"""OWASP API6:2023 Unrestricted Access to Sensitive Business Flows.

Account takeover: a leaked API key (or a stolen access token) must not lead to the
password. Changing credentials needs a login session (`403 session_required` for an API
key), ends every other credential of the account (API keys, other sessions' access and
refresh tokens) and is audited. Key minting: an API key cannot mint keys, and keys share
their owner's rate budget (minting keys does not multiply it). Sign-up is throttled per
client address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.main import create_app
from tests.auth_helpers import PASSWORD, Account, account, login, resources
from tests.problems import assert_problem
from tests.security.spec_walk import BASE, api_key

ME = f"{BASE}/users/me"
NEW_PASSWORD = "a fresh long password 7"
CHANGE = {"password": NEW_PASSWORD, "current_password": PASSWORD}


def test_credential_changes_need_a_session(client: TestClient, member: Account) -> None:
    key = {"X-API-Key": api_key(client, member.headers)}
    assert_problem(client.patch(ME, json=CHANGE, headers=key), 403, "session_required")
    # Nothing changed: the old password still signs in.
    login(client, "member@example.com", PASSWORD)


def test_a_password_change_ends_every_other_credential(client: TestClient, member: Account) -> None:
    key = {"X-API-Key": api_key(client, member.headers)}
    other = login(client, "member@example.com")  # a second session, e.g. the attacker's
    changed = client.patch(ME, json=CHANGE, headers=member.headers)
    assert changed.status_code == 200, changed.text
    assert_problem(client.get(ME, headers=key), 401, "api_key_revoked")
    stolen = {"Authorization": f"Bearer {other['access_token']}"}
    assert_problem(client.get(ME, headers=stolen), 401, "token_revoked")
    refreshed = client.post(f"{BASE}/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert_problem(refreshed, 401, "refresh_token_revoked")
    login(client, "member@example.com", NEW_PASSWORD)


def test_credential_changes_and_key_minting_are_audited(
    client: TestClient, admin: Account, member: Account
) -> None:
    api_key(client, member.headers)
    assert client.patch(ME, json=CHANGE, headers=member.headers).status_code == 200
    trail = client.get(f"{BASE}/admin/audit", params={"size": 100}, headers=admin.headers)
    assert trail.status_code == 200, trail.text
    events = [(e["action"], e["actor_id"], e["target_id"]) for e in trail.json()["data"]["items"]]
    uid = member.user.id
    assert any(re.fullmatch(r"api_key\.creat\w*", a) and actor == uid for a, actor, _ in events), (
        events
    )
    assert any("password" in a and target == uid for a, _, target in events), events


def test_an_api_key_cannot_mint_or_revoke_keys(client: TestClient, member: Account) -> None:
    key = {"X-API-Key": api_key(client, member.headers)}
    minted = client.post(f"{BASE}/auth/api-keys", json={"name": "child"}, headers=key)
    assert_problem(minted, 403, "session_required")
    listed = client.get(f"{BASE}/auth/api-keys", headers=member.headers).json()["data"]["items"]
    assert [k["name"] for k in listed] == ["owasp"]
    revoked = client.delete(f"{BASE}/auth/api-keys/{listed[0]['id']}", headers=key)
    assert_problem(revoked, 403, "session_required")


@pytest.fixture(scope="module")
def budgeted(make_settings: Any) -> Iterator[connexion.FlaskApp]:
    app = create_app(
        make_settings(
            rate_limit_overrides={"getMe": {"user": "3/minute"}},
            register_rate_limit_per_client="2/hour",
        )
    )
    yield app
    resources(app).close()


def test_minted_keys_share_their_owners_rate_budget(budgeted: connexion.FlaskApp) -> None:
    client = budgeted.test_client()
    who = account(budgeted, client, "minter@example.com")
    keys = [{"X-API-Key": api_key(client, who.headers, f"k{i}")} for i in range(3)]
    answers = [client.get(ME, headers=h).status_code for h in [who.headers, *keys]]
    assert answers == [200, 200, 200, 429]


def test_sign_up_is_throttled_per_client(budgeted: connexion.FlaskApp) -> None:
    client = budgeted.test_client(client=("198.51.100.23", 50000))
    statuses = [
        client.post(
            f"{BASE}/auth/register",
            json={"email": f"bot{i}@example.com", "password": "bot password 1", "full_name": "B"},
        )
        for i in range(3)
    ]
    assert [r.status_code for r in statuses[:2]] == [201, 201]
    assert_problem(statuses[2], 429, "rate_limited")
    assert int(statuses[2].headers["retry-after"]) > 0
