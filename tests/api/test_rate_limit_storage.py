"""The limiter's storage: a private redis-server (started and stopped by PID, never the
shared one) that dies and comes back; failing open and closed; `/health`; and
`flask ratelimit reset` against the real Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import connexion
import httpx
import pytest
from click.testing import Result

from app.main import create_app
from generated.models import HealthEnvelope
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.live_server import free_port
from tests.problems import assert_problem
from tests.redis_server import private_redis

ITEMS = "/api/v1/items"
HEALTH = "/api/v1/health"


def bearer(app: connexion.FlaskApp, email: str) -> dict[str, str]:
    make_user(app, email)
    res = resources(app)
    with res.db.unit_of_work() as uow:
        pair = res.auth.login(uow, email=email, password=PASSWORD, client="setup")
    return {"Authorization": f"Bearer {pair.access_token}"}


def health(client: Any) -> tuple[int, Any]:
    response = client.get(HEALTH)
    return response.status_code, HealthEnvelope.model_validate(response.json())


def storage_down_warnings(capsys: pytest.CaptureFixture[str]) -> int:
    """Warnings logged so far (the app logs JSON lines to stdout)."""
    out = capsys.readouterr().out
    print(out, end="")  # keep it for the next read
    return out.count('"event": "rate_limit_storage_down"')


def test_fail_open_while_redis_is_down_then_limiting_resumes(
    make_settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with private_redis() as redis_server:
        app = create_app(
            make_settings(
                rate_limit_storage_url=redis_server.url,
                rate_limit_overrides={"listItems": {"user": "2/minute"}},
                rate_limit_retry_seconds=300,  # only /health's ping ends the back-off here
            )
        )
        client = app.test_client()
        ada = bearer(app, "ada@example.com")
        assert client.get(ITEMS, headers=ada).headers["x-ratelimit-remaining"] == "1"
        status, body = health(client)
        assert (status, body.data.status) == (200, "ok")
        assert body.data.checks.rate_limiter.status == "up"
        assert body.data.checks.rate_limiter.detail == "Redis"

        redis_server.stop()
        for _ in range(4):  # over the limit of 2, yet nothing is counted: fail open
            response = client.get(ITEMS, headers=ada)
            assert response.status_code == 200, response.text
            assert "x-ratelimit-limit" not in response.headers
        assert storage_down_warnings(capsys) == 1  # logged once, not once per request
        status, body = health(client)
        assert (status, body.data.status) == (200, "degraded")
        assert body.message == "Degraded: the rate limiter's storage is down"
        limiter = body.data.checks.rate_limiter
        assert (limiter.status, limiter.required) == ("down", False)
        assert limiter.detail == "Redis unreachable (ConnectionError); fail-open: not limiting"
        assert body.data.checks.database.status == "up"

        redis_server.start()  # an empty Redis on the same port
        status, body = health(client)
        assert (status, body.data.status) == (200, "ok")
        assert body.data.checks.rate_limiter.status == "up"
        assert client.get(ITEMS, headers=ada).headers["x-ratelimit-remaining"] == "1"
        assert client.get(ITEMS, headers=ada).headers["x-ratelimit-remaining"] == "0"
        assert_problem(client.get(ITEMS, headers=ada), 429, "rate_limited")
        assert storage_down_warnings(capsys) == 1


def test_fail_closed_answers_503_on_limited_operations(make_settings: Any) -> None:
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(
        make_settings(
            rate_limit_storage_url=nothing_listens,
            rate_limit_fail_open=False,
            rate_limit_retry_seconds=2.5,
        )
    )
    client = app.test_client()
    ada = bearer(app, "ada@example.com")
    for _ in range(2):
        refused = client.get(ITEMS, headers=ada)
        assert_problem(refused, 503, "rate_limiter_unavailable")
        assert refused.headers["retry-after"] == "3"
        assert "x-ratelimit-limit" not in refused.headers
    status, body = health(client)  # unlimited, so it still answers
    assert (status, body.data.status) == (200, "degraded")
    assert body.data.checks.rate_limiter.detail == (
        "Redis unreachable (ConnectionError); fail-closed: answering 503"
    )


def _cli(app: connexion.FlaskApp, *args: str) -> Result:
    return app.app.test_cli_runner().invoke(args=["ratelimit", *args])


def _login_from(app: Any, address: str, body: dict[str, str] | None = None) -> int:
    async def call() -> int:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            return (await client.post("/api/v1/auth/login", json=body or {})).status_code

    return asyncio.run(call())


def _app_on(redis_server_url: str, make_settings: Any, **settings: Any) -> connexion.FlaskApp:
    """An app whose Redis (lockouts and rate limits alike) is a private redis-server."""
    return create_app(
        make_settings(redis_url=redis_server_url, jobs_backend="inprocess", **settings)
    )


def test_flask_ratelimit_reset_lifts_an_addresss_login_lockout(make_settings: Any) -> None:
    """Issue 18: the command said it reset `ip:<addr>` but the login lockout stayed."""
    wrong = {"email": "ada@example.com", "password": "wrong password"}
    right = {"email": "ada@example.com", "password": PASSWORD}
    with private_redis() as redis_server:
        app = _app_on(redis_server.url, make_settings, login_rate_limit_per_client="2/15 minutes")
        make_user(app, "ada@example.com")
        assert [_login_from(app, "203.0.113.9", wrong) for _ in range(3)] == [401, 401, 429]
        assert _login_from(app, "203.0.113.9", right) == 429  # the address is locked out
        reset = _cli(app, "reset", "ip:203.0.113.9")
        assert (reset.exit_code, reset.output) == (0, "reset the rate limits of ip:203.0.113.9\n")
        assert _login_from(app, "203.0.113.9", right) == 200
        assert [_login_from(app, "203.0.113.9", wrong) for _ in range(3)] == [401, 401, 429]


def test_flask_ratelimit_reset_of_a_user_lifts_the_login_lockout_of_the_email(
    make_settings: Any,
) -> None:
    wrong = {"email": "ada@example.com", "password": "wrong password"}
    right = {"email": "ada@example.com", "password": PASSWORD}
    with private_redis() as redis_server:
        app = _app_on(redis_server.url, make_settings, login_rate_limit_per_email="2/15 minutes")
        user = make_user(app, "ada@example.com")
        assert [_login_from(app, "203.0.113.9", wrong) for _ in range(3)] == [401, 401, 429]
        assert _login_from(app, "203.0.113.10", right) == 429  # the email is locked out
        assert _cli(app, "reset", f"user:{user.id}").exit_code == 0
        assert _login_from(app, "203.0.113.10", right) == 200
        unknown = _cli(app, "reset", "user:999999")
        assert (unknown.exit_code, unknown.output) == (1, "Error: no user with the id 999999\n")


def test_flask_ratelimit_reset_says_memory_lockouts_are_out_of_reach(make_settings: Any) -> None:
    # Rate limits in Redis, lockouts in memory (no REDIS_URL): the command says so, and
    # touches nothing, instead of reporting a reset that did not happen.
    with private_redis() as redis_server:
        app = create_app(make_settings(redis_url=None, rate_limit_storage_url=redis_server.url))
        result = _cli(app, "reset", "ip:203.0.113.9")
    assert result.exit_code == 1
    assert "login lockouts are kept in each server process's memory (no REDIS_URL)" in (
        result.output
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("user:abc", "KEY must be user:<id>, ip:<address> or a user's email, not 'user:abc'"),
        ("key:7", "API keys count against their owner's budget: reset user:<owner id> or"),
        ("42", "KEY must be user:<id>, ip:<address> or a user's email, not '42'"),
        ("ip:999.0.0.1", "not an IP address: '999.0.0.1'"),
        ("nobody@example.com", "no user with the email 'nobody@example.com'"),
    ],
)
def test_flask_ratelimit_reset_refuses_a_bad_key(
    make_settings: Any, key: str, message: str
) -> None:
    # The key is checked before any storage is touched: nothing needs to listen here.
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(make_settings(rate_limit_storage_url=nothing_listens))
    result = _cli(app, "reset", key)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")


def test_flask_ratelimit_reset_says_memory_is_out_of_reach(make_settings: Any) -> None:
    app = create_app(make_settings(rate_limit_storage_url="memory://"))
    result = _cli(app, "reset", "ip:203.0.113.9")
    assert result.exit_code == 1
    assert "kept in each server process's memory" in result.output
    checks = HealthEnvelope.model_validate(app.test_client().get(HEALTH).json()).data.checks
    assert checks.rate_limiter.detail == "in-process memory (per process)"
