"""`GET /admin/audit` through the real app, and the flows that write the trail: admin actions
over the API and the CLI, failed logins, lockouts and refresh-token reuse (rows and `audit`
log records, each with the request id)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.audit.models import AuditAction, AuditEvent
from app.main import create_app
from generated.models import AuditEventPageEnvelope
from tests.audit_log import audit_lines
from tests.auth_helpers import PASSWORD, Account, make_user, resources
from tests.problems import assert_problem

AUDIT = "/api/v1/admin/audit"
LOGIN = "/api/v1/auth/login"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def listing(client: TestClient, who: Account, query: str = "") -> dict[str, Any]:
    response = client.get(f"{AUDIT}?{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    AuditEventPageEnvelope.model_validate(body)
    return body["data"]


def seed(app: Any, *events: dict[str, Any]) -> list[int]:
    """Rows stored directly (fixed times, actors and actions), for the filter tests."""
    ids = []
    with resources(app).db.transaction() as session:
        for fields in events:
            row = AuditEvent(**{"actor_kind": "jwt", "action": "user.deleted", **fields})
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def test_an_admin_action_over_the_api_is_listed_with_its_request(
    client: TestClient, admin: Account, member: Account, audit_log: pytest.LogCaptureFixture
) -> None:
    response = client.patch(
        f"/api/v1/users/{member.user.id}",
        json={"role": "readonly"},
        headers={**admin.headers, "X-Request-ID": "audit-req-1"},
    )
    assert response.status_code == 200, response.text
    data = listing(client, admin)
    assert data["total"] == 1
    [event] = data["items"]
    assert event["action"] == "user.role_changed"
    assert (event["actor_id"], event["actor_email"], event["actor_kind"]) == (
        admin.user.id,
        "admin@example.com",
        "jwt",
    )
    assert (event["target_type"], event["target_id"]) == ("user", member.user.id)
    assert event["details"] == {"email": "member@example.com", "from": "user", "to": "readonly"}
    assert event["request_id"] == "audit-req-1"
    assert event["client_address"]
    [line] = audit_lines(audit_log)
    assert (line["action"], line["request_id"], line["audit_id"]) == (
        "user.role_changed",
        "audit-req-1",
        event["id"],
    )


def test_deletion_and_key_creation_and_revocation_over_the_api(
    client: TestClient, app: Any, admin: Account
) -> None:
    victim = make_user(app, "victim@example.com")
    assert client.delete(f"/api/v1/users/{victim.id}", headers=admin.headers).status_code == 204
    key = client.post("/api/v1/auth/api-keys", json={"name": "k"}, headers=admin.headers).json()
    key_id = key["data"]["id"]
    revoked = client.delete(f"/api/v1/auth/api-keys/{key_id}", headers=admin.headers)
    assert revoked.status_code == 204
    items = listing(client, admin)["items"]
    assert [(e["action"], e["target_id"]) for e in items] == [
        ("api_key.revoked", key_id),
        ("api_key.created", key_id),
        ("user.deleted", victim.id),
    ]
    created = items[1]
    assert (created["actor_id"], created["actor_kind"]) == (admin.user.id, "jwt")
    assert created["details"] == {
        "owner_id": admin.user.id,
        "name": "k",
        "prefix": key["data"]["prefix"],
    }
    assert key["data"]["key"] not in json.dumps(items)


def test_a_key_with_an_expiry_is_audited_with_it(client: TestClient, admin: Account) -> None:
    body = {"name": "nightly", "expires_at": "2099-01-01T00:00:00Z"}
    created = client.post("/api/v1/auth/api-keys", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    [event] = listing(client, admin, "action=api_key.created")["items"]
    assert event["details"]["expires_at"] == "2099-01-01T00:00:00+00:00"
    assert created.json()["data"]["key"] not in json.dumps(event)


def test_a_failed_login_is_audited_with_its_request_id(
    client: TestClient, app: Any, admin: Account, audit_log: pytest.LogCaptureFixture
) -> None:
    make_user(app, "ada@example.com")
    response = client.post(
        LOGIN,
        json={"email": "ada@example.com", "password": "not-the-password"},
        headers={"X-Request-ID": "login-fail-1"},
    )
    assert_problem(response, 401, "invalid_credentials")
    [event] = listing(client, admin, "action=auth.login_failed")["items"]
    assert (event["actor_kind"], event["actor_id"], event["request_id"]) == (
        "anonymous",
        None,
        "login-fail-1",
    )
    assert event["details"] == {"email": "ada@example.com", "reason": "invalid_credentials"}
    assert "not-the-password" not in json.dumps(event)
    lines = [x for x in audit_lines(audit_log) if x["action"] == "auth.login_failed"]
    assert [x["request_id"] for x in lines] == ["login-fail-1"]


def test_a_lockout_is_audited_once(make_settings: Any, database_url: str) -> None:
    app = create_app(make_settings(login_rate_limit_per_email="2/minute"))
    client = app.test_client()
    make_user(app, "ada@example.com")
    admin = make_user(app, "boss@example.com", "admin")
    try:
        for _ in range(2):
            client.post(LOGIN, json={"email": "ada@example.com", "password": "bad-pass"})
        for request_id in ("lock-1", "lock-2"):
            locked = client.post(
                LOGIN,
                json={"email": "ada@example.com", "password": PASSWORD},
                headers={"X-Request-ID": request_id},
            )
            assert_problem(locked, 429, "too_many_login_attempts")
        token = client.post(LOGIN, json={"email": "boss@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['data']['access_token']}"}
        response = client.get(f"{AUDIT}?action=auth.locked_out", headers=headers)
        [event] = response.json()["data"]["items"]
        assert event["request_id"] == "lock-1"
        assert event["details"]["email"] == "ada@example.com"
        assert event["details"]["scope"] == "email"
        failures = client.get(f"{AUDIT}?action=auth.login_failed", headers=headers)
        assert failures.json()["data"]["total"] == 2
        assert admin.id is not None
    finally:
        resources(app).auth.throttle.reset()


def test_refresh_token_reuse_is_audited(
    client: TestClient, admin: Account, member: Account, audit_log: pytest.LogCaptureFixture
) -> None:
    first = client.post("/api/v1/auth/refresh", json={"refresh_token": member.refresh})
    assert first.status_code == 200
    again = client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": member.refresh},
        headers={"X-Request-ID": "reuse-1"},
    )
    assert_problem(again, 401, "refresh_token_reused")
    [event] = listing(client, admin, "action=auth.refresh_token_reused")["items"]
    assert (event["target_type"], event["target_id"], event["request_id"]) == (
        "user",
        member.user.id,
        "reuse-1",
    )
    assert member.refresh not in json.dumps(event)
    lines = [x for x in audit_lines(audit_log) if x["action"] == "auth.refresh_token_reused"]
    assert [x["request_id"] for x in lines] == ["reuse-1"]


def test_cli_actions_are_audited_as_cli(client: TestClient, app: Any, admin: Account) -> None:
    make_user(app, "ada@example.com")
    runner = app.app.test_cli_runner()
    for args in (["change-role", "ada@example.com", "readonly"], ["deactivate", "ada@example.com"]):
        result = runner.invoke(args=["users", *args])
        assert result.exit_code == 0, result.output
    items = listing(client, admin)["items"]
    assert [e["action"] for e in items] == ["user.deactivated", "user.role_changed"]
    for event in items:
        assert (event["actor_kind"], event["actor_id"], event["request_id"]) == ("cli", None, None)
        assert event["details"]["email"] == "ada@example.com"


def test_a_refused_cli_action_writes_nothing(client: TestClient, app: Any, admin: Account) -> None:
    result = app.app.test_cli_runner().invoke(args=["users", "deactivate", "admin@example.com"])
    assert result.exit_code != 0 and "last_admin" in result.output
    assert listing(client, admin)["total"] == 0


def test_filters(client: TestClient, app: Any, admin: Account) -> None:
    a, b, c, d = seed(
        app,
        {"occurred_at": T0, "actor_id": 5, "action": "user.deleted"},
        {"occurred_at": T0 + timedelta(hours=1), "actor_id": 6, "action": "user.deleted"},
        {"occurred_at": T0 + timedelta(hours=2), "actor_id": 5, "action": "api_key.revoked"},
        {
            "occurred_at": T0 + timedelta(hours=3),
            "actor_kind": "anonymous",
            "action": "auth.login_failed",
        },
    )

    def ids(query: str) -> list[int]:
        return [e["id"] for e in listing(client, admin, query)["items"]]

    assert ids("") == [d, c, b, a]  # newest first
    assert ids("actor_id=5") == [c, a]
    assert ids("action=user.deleted") == [b, a]
    assert ids("actor_id=5&action=user.deleted") == [a]
    assert ids("since=2026-11-01T13:00:00Z") == [d, c, b]  # inclusive
    assert ids("until=2026-11-01T13:00:00Z") == [a]  # exclusive
    assert ids("since=2026-11-01T13:00:00Z&until=2026-11-01T15:30:00%2B01:00") == [c, b]
    assert ids("since=2026-11-01T13:00:00Z&until=2026-11-01T13:00:00Z") == []  # empty, fine
    assert ids("order=asc") == [a, b, c, d]
    assert ids("sort=id&order=desc") == [d, c, b, a]
    assert ids("actor_id=999") == []


def test_equal_timestamps_keep_a_stable_order_across_pages(
    client: TestClient, app: Any, admin: Account
) -> None:
    seeded = seed(app, *({"occurred_at": T0} for _ in range(5)))
    pages = [listing(client, admin, f"size=2&page={p}") for p in (1, 2, 3)]
    assert [e["id"] for p in pages for e in p["items"]] == sorted(seeded, reverse=True)
    assert [(p["total"], p["pages"]) for p in pages] == [(5, 3)] * 3
    ascending = [listing(client, admin, f"size=2&page={p}&order=asc") for p in (1, 2, 3)]
    assert [e["id"] for p in ascending for e in p["items"]] == sorted(seeded)


def test_pagination_links(client: TestClient, app: Any, admin: Account) -> None:
    seed(app, *({"occurred_at": T0} for _ in range(3)))
    response = client.get(f"{AUDIT}?size=2&action=user.deleted", headers=admin.headers)
    assert 'rel="next"' in response.headers["link"]
    assert "action=user.deleted" in response.headers["link"]


@pytest.mark.parametrize("who", ["member", "reader"])
def test_only_admins_read_the_trail(client: TestClient, who: str, request: Any) -> None:
    caller: Account = request.getfixturevalue(who)
    assert_problem(client.get(AUDIT, headers=caller.headers), 403, "forbidden")


def test_anonymous_is_401(client: TestClient) -> None:
    assert_problem(client.get(AUDIT), 401, "not_authenticated")


def test_an_inverted_window_is_422(client: TestClient, admin: Account) -> None:
    query = "since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z"
    body = assert_problem(
        client.get(f"{AUDIT}?{query}", headers=admin.headers), 422, "invalid_time_range"
    )
    assert [(e["location"], e["field"]) for e in body["errors"]] == [("query", "until")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("until=2026-11-25T10:00:00", "until"),  # no offset
        ("since=2026-11-25", "since"),
        ("action=user.exploded", "action"),
        ("action=", "action"),
        ("actor_id=0", "actor_id"),
        ("actor_id=abc", "actor_id"),
        ("sort=actor_email", "sort"),
        ("size=101", "size"),
        ("page=0", "page"),
        ("order=sideways", "order"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(
    client: TestClient, admin: Account, query: str, field: str
) -> None:
    body = assert_problem(
        client.get(f"{AUDIT}?{query}", headers=admin.headers), 400, "invalid_parameter"
    )
    assert [(e["location"], e["field"]) for e in body["errors"]] == [("query", field)]


def test_every_action_in_code_is_listable(client: TestClient, app: Any, admin: Account) -> None:
    seed(app, *({"occurred_at": T0, "action": a.value} for a in AuditAction))
    for action in AuditAction:
        assert listing(client, admin, f"action={action.value}")["total"] == 1
