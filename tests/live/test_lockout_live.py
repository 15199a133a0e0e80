"""The login lockout holds under concurrency, through the real server (`python -m app`, as
`make run` serves) on the suite's database and Redis (or in-process storage without Redis).

Parallel guesses must not slip past the limit: every attempt is counted before the password
is checked, so exactly the limit gets through, per email and per client. The client is the
TCP peer unless TRUSTED_PROXIES names it: a local client rotating X-Forwarded-For is still
one client. Bounded: at most 60 requests per burst, 127.0.0.1 only, servers stopped by PID.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth_helpers import PASSWORD, make_user
from tests.live_server import ROOT, Live, Serve
from tests.problems import assert_problem

pytestmark = pytest.mark.live
LOGIN = "/api/v1/auth/login"


@pytest.fixture
def serve(serve: Serve) -> Serve:
    """The live server (tests/live/conftest.py) with a hashing slot for every login: no 503
    may blur the exact counts."""

    def start(**settings: str) -> AbstractContextManager[Live]:
        return serve(**{"PASSWORD_HASH_WAIT_SECONDS": "30", **settings})

    return start


def burst(base: str, requests: list[dict[str, Any]]) -> list[httpx.Response]:
    """Send every login at once (one connection each) and return the responses in order."""

    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            return await asyncio.gather(*(client.post(LOGIN, **r) for r in requests))

    return asyncio.run(run())


def outcomes(responses: list[httpx.Response]) -> Counter[tuple[int, str]]:
    counted: Counter[tuple[int, str]] = Counter()
    for response in responses:
        body = assert_problem(response, response.status_code, response.json().get("code", "?"))
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
        counted[(response.status_code, body["code"])] += 1
    return counted


def login(base: str, email: str, password: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{base}{LOGIN}", json={"email": email, "password": password}, headers=headers, timeout=30
    )


def flask_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run(
        [str(flask), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_parallel_guesses_at_one_email_stop_at_the_limit_and_unlock_lifts_it(
    serve: Any, app: Any, redis_url: str | None
) -> None:
    make_user(app, "ada@example.com")
    with serve(LOGIN_RATE_LIMIT_PER_EMAIL="5/15 minutes") as (base, env):
        wrong = {"json": {"email": "ada@example.com", "password": "wrong password"}}
        assert outcomes(burst(base, [wrong] * 20)) == {
            (401, "invalid_credentials"): 5,
            (429, "too_many_login_attempts"): 15,
        }
        # Locked out: even the right password is refused, in any letter case.
        locked = login(base, "ADA@example.com", PASSWORD)
        assert_problem(locked, 429, "too_many_login_attempts")
        assert int(locked.headers["retry-after"]) >= 1

        unlock = flask_cli(env, "users", "unlock", "Ada@Example.com")
        if redis_url is None:
            # The counters live in the server's memory: the CLI says so instead of lying.
            assert unlock.returncode == 1, unlock
            assert "REDIS_URL" in unlock.stderr
            assert_problem(login(base, "ada@example.com", PASSWORD), 429, "too_many_login_attempts")
        else:
            assert unlock.returncode == 0, unlock.stderr
            assert unlock.stdout.strip() == "unlocked ada@example.com"
            assert login(base, "ada@example.com", PASSWORD).status_code == 200


def test_parallel_failures_from_one_client_stop_at_the_limit_whatever_it_forwards(
    serve: Any,
) -> None:
    # Default settings (no TRUSTED_PROXIES): the rotating X-Forwarded-For is ignored, so 60
    # guesses at 60 emails from one client are one client's 60 attempts.
    with serve(LOGIN_RATE_LIMIT_PER_CLIENT="30/15 minutes") as (base, _):
        guesses = [
            {
                "json": {"email": f"guess{i}@example.com", "password": "wrong password"},
                "headers": {"X-Forwarded-For": f"203.0.113.{i}"},
            }
            for i in range(60)
        ]
        assert outcomes(burst(base, guesses)) == {
            (401, "invalid_credentials"): 30,
            (429, "too_many_login_attempts"): 30,
        }


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(serve: Any) -> None:
    with serve(TRUSTED_PROXIES="127.0.0.1", LOGIN_RATE_LIMIT_PER_CLIENT="3/15 minutes") as (
        base,
        _,
    ):
        for i in range(3):
            response = login(
                base, f"a{i}@example.com", "wrong password", **{"X-Forwarded-For": "203.0.113.7"}
            )
            assert_problem(response, 401, "invalid_credentials")
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        assert_problem(
            login(base, "a3@example.com", "wrong password", **forwarded),
            429,
            "too_many_login_attempts",
        )
        # Another forwarded client, and the proxy itself, each have a budget of their own.
        other = {"X-Forwarded-For": "203.0.113.8"}
        assert_problem(
            login(base, "a4@example.com", "wrong password", **other), 401, "invalid_credentials"
        )
        assert_problem(login(base, "a5@example.com", "wrong password"), 401, "invalid_credentials")
