"""Transactions belong to the service layer: short units of work, no connection held across
slow I/O, and an authenticated read costs one connection checkout and one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from app.main import create_app
from tests.auth_helpers import Account, login, make_user, resources
from tests.probe.mount import with_probe


async def _fire(app: Any, path: str, n: int) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        responses = await asyncio.gather(*(client.get(path) for _ in range(n)))
    return [r.status_code for r in responses]


@pytest.fixture(scope="module")
def one_connection_app(make_settings: Any) -> Any:
    # One pooled connection, no overflow, a short wait for it: a request that kept its
    # connection while waiting would starve the other 19.
    settings = make_settings(
        database_pool_size=1, database_max_overflow=0, database_connect_timeout_seconds=2
    )
    return with_probe(create_app(settings))


def test_twenty_slow_requests_share_one_connection(one_connection_app: Any) -> None:
    statuses = asyncio.run(_fire(one_connection_app, "/_probe/slow-read?release=true", 20))
    assert statuses == [200] * 20


def test_holding_the_connection_across_the_wait_would_starve_the_pool(
    one_connection_app: Any,
) -> None:
    # The control: the same handler without release() exhausts the pool (503s).
    statuses = asyncio.run(_fire(one_connection_app, "/_probe/slow-read?release=false", 20))
    assert 503 in statuses


class _Counter:
    def __init__(self) -> None:
        self.checkouts = 0
        self.begins = 0
        self.user_selects = 0


@pytest.fixture
def counter(app: Any) -> Iterator[_Counter]:
    engine = resources(app).db.engine
    counts = _Counter()

    def on_checkout(*_: Any) -> None:
        counts.checkouts += 1

    def on_begin(*_: Any) -> None:
        counts.begins += 1

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM users" in statement:
            counts.user_selects += 1

    event.listen(engine.pool, "checkout", on_checkout)
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_execute)
    yield counts
    event.remove(engine.pool, "checkout", on_checkout)
    event.remove(engine, "begin", on_begin)
    event.remove(engine, "before_cursor_execute", on_execute)


def test_an_authenticated_read_is_one_transaction(
    client: Any, member: Account, counter: _Counter
) -> None:
    response = client.get("/api/v1/users/me", headers=member.headers)
    assert response.status_code == 200
    # Authentication and the handler share the request's unit of work...
    assert counter.checkouts == 1
    assert counter.begins == 1
    # ...and the authenticated user is loaded once and handed to the handler.
    assert counter.user_selects == 1


def test_an_anonymous_liveness_probe_touches_no_database(client: Any, counter: _Counter) -> None:
    assert client.get("/api/v1/health/live").status_code == 200
    assert (counter.checkouts, counter.begins) == (0, 0)


def test_the_counter_sees_extra_work(app: Any, client: Any, counter: _Counter) -> None:
    # The control: a list request reads users again (count + page), so the counts rise.
    make_user(app, "lister@example.com", "admin")
    token = login(client, "lister@example.com")["access_token"]
    before = counter.user_selects
    client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert counter.user_selects - before >= 3
