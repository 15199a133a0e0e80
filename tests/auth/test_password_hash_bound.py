"""Password hashing is bounded per process, and registrations are throttled per client.

60 logins run at once through the whole app (ASGI stack, a2wsgi threads). A Passwords subclass
counts the argon2 verifications in flight (inside the bounded region) and holds them at a
gate, so the peak is observed, not inferred from timings. The control runs the same storm
with a bound of 60 and sees every verification in flight at once, so the bounded run's peak
could fail.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from app.auth.passwords import Passwords
from app.main import create_app
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.problems import assert_problem

LOGIN = "/api/v1/auth/login"
LIVE = "/api/v1/health/live"
LOGINS = 60


class GatedPasswords(Passwords):
    """Real argon2 (cheap parameters) that counts verifications in flight and holds each one
    until `gate` opens."""

    def __init__(self, *, concurrency: int, wait_seconds: float) -> None:
        super().__init__(
            time_cost=1,
            memory_kib=1024,
            parallelism=1,
            concurrency=concurrency,
            wait_seconds=wait_seconds,
        )
        self.gate = threading.Event()
        self.in_flight = 0
        self.peak = 0
        self._count = threading.Lock()

    def _verify(self, password_hash: str, password: str) -> bool:
        with self._count:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            assert self.gate.wait(timeout=30), "the test never opened the gate"
            return super()._verify(password_hash, password)
        finally:
            with self._count:
                self.in_flight -= 1


@pytest.fixture
def make_app(make_settings: Any) -> Iterator[Callable[..., Any]]:
    """Fresh apps (closed afterwards) whose logins use the given Passwords."""
    apps: list[Any] = []

    def build(passwords: Passwords | None = None, **settings: Any) -> Any:
        app = create_app(make_settings(**settings))
        apps.append(app)
        if passwords is not None:
            make_user(app, "ada@example.com")  # hashed before the counting hasher is in
            resources(app).auth.passwords = passwords
        return app

    yield build
    for app in apps:
        resources(app).close()


def _app(make_app: Callable[..., Any], passwords: Passwords) -> Any:
    return make_app(
        passwords,
        login_rate_limit_per_email="1000/minute",
        login_rate_limit_per_client="1000/minute",
    )


def storm(app: Any, passwords: GatedPasswords) -> tuple[list[httpx.Response], httpx.Response]:
    """60 logins at once. The gate opens once every login holds a hashing slot or has given
    up waiting for one; /health/live is asked while they are held."""

    async def run() -> tuple[list[httpx.Response], httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body = {"email": "ada@example.com", "password": PASSWORD}
            tasks = [asyncio.create_task(client.post(LOGIN, json=body)) for _ in range(LOGINS)]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 30
            while passwords.in_flight + sum(t.done() for t in tasks) < LOGINS:
                assert loop.time() < deadline, "logins neither hashed nor gave up"
                await asyncio.sleep(0.01)
            live = await client.get(LIVE)
            passwords.gate.set()
            return list(await asyncio.gather(*tasks)), live

    return asyncio.run(run())


def test_hashes_in_flight_never_exceed_the_bound_and_the_excess_gets_503(
    make_app: Callable[..., Any],
) -> None:
    passwords = GatedPasswords(concurrency=2, wait_seconds=0.05)
    responses, live = storm(_app(make_app, passwords), passwords)
    assert passwords.peak == 2
    assert live.status_code == 200  # the process keeps answering while hashing is saturated
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 2, 503: LOGINS - 2}
    for response in responses:
        if response.status_code == 503:
            assert_problem(response, 503, "service_unavailable")
            assert response.headers["retry-after"] == "1"


def test_control_without_a_real_bound_every_hash_runs_at_once(
    make_app: Callable[..., Any],
) -> None:
    passwords = GatedPasswords(concurrency=LOGINS, wait_seconds=0.05)
    responses, live = storm(_app(make_app, passwords), passwords)
    assert passwords.peak == LOGINS
    assert live.status_code == 200
    assert Counter(r.status_code for r in responses) == {200: LOGINS}


def test_logins_that_find_a_slot_in_time_all_succeed(make_app: Callable[..., Any]) -> None:
    passwords = GatedPasswords(concurrency=2, wait_seconds=30)
    passwords.gate.set()  # no holding: the logins queue for the two slots
    app = _app(make_app, passwords)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body = {"email": "ada@example.com", "password": PASSWORD}
            return list(await asyncio.gather(*(client.post(LOGIN, json=body) for _ in range(60))))

    responses = asyncio.run(run())
    assert Counter(r.status_code for r in responses) == {200: LOGINS}
    assert 1 <= passwords.peak <= 2


def test_registrations_are_throttled_per_client(make_app: Callable[..., Any]) -> None:
    client: TestClient = make_app(register_rate_limit_per_client="3/hour").test_client()
    for i in range(3):
        body = {"email": f"new{i}@example.com", "password": PASSWORD, "full_name": "New"}
        assert client.post("/api/v1/auth/register", json=body).status_code == 201
    body = {"email": "new3@example.com", "password": PASSWORD, "full_name": "New"}
    refused = client.post("/api/v1/auth/register", json=body)
    assert_problem(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    # Nothing was created by the refused request.
    login = client.post(LOGIN, json={"email": "new3@example.com", "password": PASSWORD})
    assert_problem(login, 401, "invalid_credentials")
