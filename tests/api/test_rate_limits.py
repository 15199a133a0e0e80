"""Rate limits declared in the spec, through the real app: small limits set with
RATE_LIMIT_OVERRIDES, exact headers, tiers per role, API keys counting against their
owner, client addresses from trusted proxies only, the metric, and the switch."""

from __future__ import annotations

import asyncio
from typing import Any

import connexion
import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from app.__main__ import proxy_options
from app.accounts.models import User
from app.main import create_app
from generated.models import HealthEnvelope
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.metrics_text import Samples, delta, parse
from tests.problems import assert_problem

ITEMS = "/api/v1/items"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/users/me"
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def limited_app(make_settings: Any, overrides: dict[str, Any], **settings: Any) -> Any:
    return create_app(make_settings(rate_limit_overrides=overrides, **settings))


def bearer(app: connexion.FlaskApp, email: str, role: str = "user") -> tuple[User, dict[str, str]]:
    """A user and their bearer header, logged in through the service (the HTTP login is
    itself rate limited, and these tests count requests exactly)."""
    user = make_user(app, email, role)
    res = resources(app)
    with res.db.unit_of_work() as uow:
        pair = res.auth.login(uow, email=email, password=PASSWORD, client="setup")
    return user, {"Authorization": f"Bearer {pair.access_token}"}


def api_key(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    created = client.post("/api/v1/auth/api-keys", json={"name": "ci"}, headers=headers)
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["data"]["key"]}


def rate(response: Any) -> tuple[int, int, int]:
    limit, remaining, reset = (int(response.headers[h]) for h in RATE_HEADERS)
    return limit, remaining, reset


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "x-ratelimit-limit" not in response.headers  # not an operation: never limited
    return parse(response.text)


def test_a_limit_is_hit_with_exact_headers_and_counted(make_settings: Any) -> None:
    app = limited_app(make_settings, {"listItems": {"user": "3/minute"}})
    client = app.test_client()
    _, ada = bearer(app, "ada@example.com")
    _, bob = bearer(app, "bob@example.com")
    before = scrape(client)
    for remaining in (2, 1, 0):
        response = client.get(ITEMS, headers=ada)
        assert response.status_code == 200, response.text
        limit, left, reset = rate(response)
        assert (limit, left) == (3, remaining)
        assert 1 <= reset <= 60
    for _ in range(2):
        refused = client.get(ITEMS, headers=ada)
        body = assert_problem(refused, 429, "rate_limited")
        retry_after = int(refused.headers["retry-after"])
        assert 1 <= retry_after <= 60
        assert rate(refused) == (3, 0, retry_after)
        assert body["detail"] == f"Rate limit exceeded; retry in {retry_after} seconds."
    # Another user has a budget of their own; another operation is counted apart.
    assert rate(client.get(ITEMS, headers=bob))[:2] == (3, 2)
    me = client.get("/api/v1/users/me", headers=ada)
    assert me.status_code == 200
    assert rate(me)[:2] == (600, 599)  # the spec's default for `user`
    after = scrape(client)
    assert delta(before, after, "rate_limited_total", scope="op:listItems") == 2
    assert delta(before, after, "rate_limited_total", scope="op:getMe") == 0
    refused_op = {"method": "GET", "operation": "listItems", "status": "429"}
    assert delta(before, after, "http_requests_total", **refused_op) == 2


def test_errors_after_the_limiter_carry_the_headers(make_settings: Any) -> None:
    app = limited_app(make_settings, {"*": {"user": "5/minute"}})
    client = app.test_client()
    _, ada = bearer(app, "ada@example.com")
    invalid = client.get(ITEMS, params={"page": 0}, headers=ada)
    assert_problem(invalid, 400, "invalid_parameter")
    assert rate(invalid)[:2] == (5, 4)  # counted before validation
    missing = client.get(f"{ITEMS}/999999", headers=ada)
    assert_problem(missing, 404, "not_found")
    assert rate(missing)[:2] == (5, 4)  # getItem: its own budget
    # Refused before the limiter ran (no credentials): nothing counted, no headers.
    anonymous = client.get(ITEMS)
    assert_problem(anonymous, 401, "not_authenticated")
    assert not any(h in anonymous.headers for h in RATE_HEADERS)


def test_each_role_has_its_tier(make_settings: Any) -> None:
    tiers = {"admin": 3, "user": 2, "readonly": 1}
    app = limited_app(make_settings, {"listItems": {k: f"{v}/minute" for k, v in tiers.items()}})
    client = app.test_client()
    for role, allowed in tiers.items():
        _, headers = bearer(app, f"{role}@example.com", role)
        for left in reversed(range(allowed)):
            response = client.get(ITEMS, headers=headers)
            assert response.status_code == 200, (role, response.text)
            assert rate(response)[:2] == (allowed, left)
        assert_problem(client.get(ITEMS, headers=headers), 429, "rate_limited")


def test_anonymous_callers_share_the_auth_tags_budget_per_address(make_settings: Any) -> None:
    app = limited_app(
        make_settings, {"auth": {"anonymous": "2/minute"}, "*": {"anonymous": "1/minute"}}
    )
    client = app.test_client()
    login = client.post(LOGIN, json={})  # invalid, but counted: the limiter runs first
    assert_problem(login, 422, "validation_error")
    assert rate(login)[:2] == (2, 1)
    register = client.post("/api/v1/auth/register", json={})
    assert rate(register)[:2] == (2, 0)  # the same bucket: tag:auth
    refused = client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 20})
    assert_problem(refused, 429, "rate_limited")
    # The probes are unlimited whatever the overrides say about other operations.
    for _ in range(3):
        health = client.get("/api/v1/health")
        assert health.status_code == 200
        assert "x-ratelimit-limit" not in health.headers


def test_api_keys_count_against_their_owners_budget(make_settings: Any) -> None:
    app = limited_app(
        make_settings,
        {"listItems": {"user": "3/minute", "readonly": "1/minute"}, "*": {"anonymous": "5/minute"}},
    )
    client = app.test_client()
    _, ada = bearer(app, "ada@example.com")
    _, bob = bearer(app, "bob@example.com")
    _, rita = bearer(app, "rita@example.com", "readonly")
    ada_keys = [api_key(client, ada), api_key(client, ada)]
    assert rate(client.get(ITEMS, headers=ada))[:2] == (3, 2)
    assert rate(client.get(ITEMS, headers=ada_keys[0]))[:2] == (3, 1)
    assert rate(client.get(ITEMS, headers=ada_keys[1]))[:2] == (3, 0)  # a new key: same budget
    assert_problem(client.get(ITEMS, headers=ada_keys[0]), 429, "rate_limited")
    assert_problem(client.get(ITEMS, headers=ada), 429, "rate_limited")
    # Someone else's key has their budget; a readonly owner's key gets the readonly tier.
    assert rate(client.get(ITEMS, headers=api_key(client, bob)))[:2] == (3, 2)
    assert rate(client.get(ITEMS, headers=api_key(client, rita)))[:2] == (1, 0)
    # A key that belongs to nobody is limited by address (anonymous), then refused.
    guess = client.get(ITEMS, headers={"X-API-Key": "ak_abcdefgh_" + "x" * 40})
    assert_problem(guess, 401, "api_key_invalid")
    assert rate(guess)[:2] == (5, 4)


def test_limiting_can_be_switched_off(make_settings: Any) -> None:
    app = limited_app(make_settings, {"listItems": {"user": "1/minute"}}, rate_limit_enabled=False)
    client = app.test_client()
    _, ada = bearer(app, "ada@example.com")
    for _ in range(3):
        response = client.get(ITEMS, headers=ada)
        assert response.status_code == 200
        assert not any(h in response.headers for h in RATE_HEADERS)
    checks = HealthEnvelope.model_validate(client.get("/api/v1/health").json()).data.checks
    assert checks.rate_limiter.status == "not_configured"
    assert checks.rate_limiter.detail == "RATE_LIMIT_ENABLED is false"


def test_a_malformed_override_stops_startup(make_settings: Any) -> None:
    with pytest.raises(ValueError, match="RATE_LIMIT_OVERRIDES\\['listItems'\\]: user: not a rate"):
        limited_app(make_settings, {"listItems": {"user": "lots"}})
    with pytest.raises(ValueError, match="'listThings' is neither an operationId, a tag nor"):
        limited_app(make_settings, {"listThings": {"user": "1/minute"}})


def test_the_login_lockout_carries_the_same_headers(
    make_settings: Any, redis_url: str | None
) -> None:
    app = create_app(make_settings(login_rate_limit_per_email="2/minute"))
    client = app.test_client()
    make_user(app, "ada@example.com")
    wrong = {"email": "ada@example.com", "password": "wrong-password"}
    for _ in range(2):
        assert_problem(client.post(LOGIN, json=wrong), 401, "invalid_credentials")
    locked = client.post(LOGIN, json=wrong)
    assert_problem(locked, 429, "too_many_login_attempts")
    retry_after = int(locked.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert rate(locked) == (2, 0, retry_after)  # the lockout's budget, not the generic one

    unlock = app.app.test_cli_runner().invoke(args=["users", "unlock", "ada@example.com"])
    right = {"email": "ada@example.com", "password": PASSWORD}
    if redis_url is None:
        # The lockout lives in the server's memory: the command says it cannot reach it.
        assert unlock.exit_code != 0
        assert "kept in the server's memory" in unlock.output
        assert_problem(client.post(LOGIN, json=right), 429, "too_many_login_attempts")
    else:
        assert unlock.exit_code == 0, unlock.output
        assert unlock.output.strip() == "unlocked ada@example.com"
        assert client.post(LOGIN, json=right).status_code == 200


async def _post_from(app: Any, peer: str, forwarded_for: str, settings: Any) -> httpx.Response:
    """POST /auth/login as uvicorn serves it: its proxy-header handling configured from the
    settings exactly as `python -m app` and the gunicorn worker configure it."""
    config = uvicorn.Config(app, interface="asgi3", **proxy_options(settings))
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        return await client.post(LOGIN, json={}, headers={"X-Forwarded-For": forwarded_for})


def _statuses(app: Any, settings: Any, calls: list[tuple[str, str]]) -> list[int]:
    async def run() -> list[int]:
        return [(await _post_from(app, peer, xff, settings)).status_code for peer, xff in calls]

    return asyncio.run(run())


def test_forwarded_for_counts_only_from_trusted_proxies(make_settings: Any) -> None:
    settings = make_settings(
        trusted_proxies="10.0.0.5", rate_limit_overrides={"auth": {"anonymous": "2/minute"}}
    )
    app = create_app(settings)
    proxy, stranger = "10.0.0.5", "10.0.0.9"
    # Through the trusted proxy, each client address has its own budget.
    assert _statuses(app, settings, [(proxy, "203.0.113.7")] * 3) == [422, 422, 429]
    assert _statuses(app, settings, [(proxy, "203.0.113.8")]) == [422]
    # An untrusted peer cannot pick its address: every request counts against the peer.
    rotating = [(stranger, f"198.51.100.{i}") for i in range(1, 4)]
    assert _statuses(app, settings, rotating) == [422, 422, 429]


def test_without_trusted_proxies_forwarded_for_is_ignored(make_settings: Any) -> None:
    settings = make_settings(rate_limit_overrides={"auth": {"anonymous": "2/minute"}})
    app = create_app(settings)
    rotating = [("10.0.0.5", f"198.51.100.{i}") for i in range(1, 4)]
    assert _statuses(app, settings, rotating) == [422, 422, 429]


def test_a_revoked_token_spends_its_address_budget_not_its_owners(make_settings: Any) -> None:
    """Issue 18: five requests with a logged-out token put the owner's live session on 429."""
    app = limited_app(make_settings, {"getMe": {"user": "3/minute", "anonymous": "50/minute"}})
    client = app.test_client()
    _, live = bearer(app, "ada@example.com")
    res = resources(app)
    with res.db.unit_of_work() as uow:
        stale = res.auth.login(uow, email="ada@example.com", password=PASSWORD, client="setup")
    logged_out = {"Authorization": f"Bearer {stale.access_token}"}
    assert client.post("/api/v1/auth/logout", headers=logged_out).status_code == 204
    for left in range(49, 44, -1):
        refused = client.get(ME, headers=logged_out)
        assert_problem(refused, 401, "token_revoked")
        assert rate(refused)[:2] == (50, left)  # counted as its address (anonymous tier)
    for left in (2, 1, 0):  # the owner's budget is whole
        assert rate(client.get(ME, headers=live))[:2] == (3, left)


def test_tokens_of_ended_sessions_and_revoked_keys_count_as_their_address(
    make_settings: Any,
) -> None:
    app = limited_app(make_settings, {"getMe": {"user": "2/minute", "anonymous": "50/minute"}})
    client = app.test_client()
    _, ada = bearer(app, "ada@example.com")
    other_device = client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
    other = {"Authorization": f"Bearer {other_device.json()['data']['access_token']}"}
    key = api_key(client, ada)
    spare = api_key(client, ada)
    assert rate(client.get(ME, headers=key))[:2] == (2, 1)  # the key's owner is now known
    revoked = client.get("/api/v1/auth/api-keys", headers=ada).json()["data"]["items"][-1]
    assert client.delete(f"/api/v1/auth/api-keys/{revoked['id']}", headers=ada).status_code == 204
    for _ in range(3):
        refused = client.get(ME, headers=key)
        assert_problem(refused, 401, "api_key_revoked")
        assert rate(refused)[0] == 50
    # A password change ends the other device's session and revokes the spare key.
    change = {"password": "a brand new password", "current_password": PASSWORD}
    changed = client.patch(ME, json=change, headers=ada)
    assert changed.status_code == 200, changed.text
    for stale, code in (
        (other, "token_revoked"),
        (ada, "token_revoked"),
        (spare, "api_key_revoked"),
    ):
        for _ in range(3):
            refused = client.get(ME, headers=stale)
            assert_problem(refused, 401, code)
            assert rate(refused)[0] == 50
    fresh = {"Authorization": f"Bearer {changed.json()['data']['session']['access_token']}"}
    assert rate(client.get(ME, headers=fresh))[:2] == (2, 0)  # only the key's one request


def test_successful_logins_do_not_lock_out_their_client(make_settings: Any) -> None:
    """Issue 18: 30 successful logins from one office NAT locked it out."""
    app = create_app(make_settings(login_rate_limit_per_client="3/15 minutes"))
    client = app.test_client()
    for i in range(5):
        make_user(app, f"staff{i}@example.com")
    for _ in range(2):
        for i in range(5):
            ok = client.post(LOGIN, json={"email": f"staff{i}@example.com", "password": PASSWORD})
            assert ok.status_code == 200, ok.text
    # Failures still spend the budget, exactly: three, then the client is locked out.
    for i in range(3):
        wrong = {"email": f"staff{i}@example.com", "password": "wrong password"}
        assert_problem(client.post(LOGIN, json=wrong), 401, "invalid_credentials")
    locked = client.post(LOGIN, json={"email": "staff4@example.com", "password": PASSWORD})
    assert_problem(locked, 429, "too_many_login_attempts")
    assert rate(locked)[:2] == (3, 0)
