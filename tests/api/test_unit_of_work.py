"""Transactions belong to the service layer: short units of work, no connection held across
slow I/O, and an authenticated read costs one connection checkout and one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.accounts.models import User
from app.completions.models import AIUsage
from app.infra.db import UnitOfWork, reads_autocommit
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


@pytest.fixture
def modes(app: Any) -> Iterator[list[tuple[str, bool]]]:
    """(statement, was the DBAPI connection in autocommit) for every statement sent."""
    engine = resources(app).db.engine
    seen: list[tuple[str, bool]] = []

    def on_execute(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        dbapi = conn.connection.dbapi_connection
        seen.append(
            (statement.split(maxsplit=1)[0].upper(), bool(getattr(dbapi, "autocommit", False)))
        )

    event.listen(engine, "before_cursor_execute", on_execute)
    yield seen
    event.remove(engine, "before_cursor_execute", on_execute)


def _on_postgresql(app: Any) -> bool:
    engine = resources(app).db.engine
    answer = reads_autocommit(engine)
    # Only PostgreSQL drivers switch autocommit client-side; SQLite begins no read
    # transaction anyway, so there is nothing to save there.
    assert answer is (engine.dialect.name == "postgresql")
    return answer


def test_an_authenticated_read_sends_no_begin_or_commit_on_postgresql(
    app: Any, client: Any, member: Account, modes: list[tuple[str, bool]]
) -> None:
    response = client.get("/api/v1/users/me", headers=member.headers)
    assert response.status_code == 200
    assert [s for s, _ in modes] == ["SELECT"]
    assert modes[0][1] is _on_postgresql(app)


def test_writes_keep_their_transaction_and_a_failed_one_leaves_nothing(
    app: Any, member: Account, modes: list[tuple[str, bool]]
) -> None:
    db = resources(app).db
    with db.unit_of_work() as uow:
        user = uow.session.get(User, member.user.id)  # an autocommit read first
        assert user is not None

        def change_then_fail() -> None:
            with uow.transaction() as session:
                user.full_name = "changed"
                session.add(user)
                session.flush()
                raise RuntimeError("after the UPDATE, inside the write")

        with pytest.raises(RuntimeError):
            change_then_fail()
    writes = [autocommit for statement, autocommit in modes if statement == "UPDATE"]
    assert writes == [False]
    with db.unit_of_work() as uow:
        again = uow.session.get(User, member.user.id)
        assert again is not None and again.full_name != "changed"


def test_connections_go_back_to_the_pool_transactional(
    app: Any, client: Any, member: Account
) -> None:
    engine = resources(app).db.engine
    returned: list[bool] = []

    def on_checkin(dbapi: Any, _record: Any) -> None:  # after the engine's own listener
        if dbapi is not None:
            returned.append(bool(getattr(dbapi, "autocommit", False)))

    event.listen(engine.pool, "checkin", on_checkin)
    try:
        for _ in range(3):
            assert client.get("/api/v1/users/me", headers=member.headers).status_code == 200
    finally:
        event.remove(engine.pool, "checkin", on_checkin)
    assert returned and not any(returned)


def _usage(user_id: int | None, model: str = "m") -> AIUsage:
    return AIUsage(
        user_id=user_id, operation="completion", provider="fake", model=model, outcome="ok"
    )


def _usage_models(app: Any) -> list[str]:
    with resources(app).db.unit_of_work() as uow:
        return list(uow.session.exec(select(AIUsage.model).order_by(col(AIUsage.id))).all())


def test_insert_writes_one_row_in_one_statement(
    app: Any, member: Account, modes: list[tuple[str, bool]]
) -> None:
    with resources(app).db.unit_of_work() as uow:
        uow.insert(_usage(member.user.id, "alone"))
    assert _usage_models(app) == ["alone"]
    inserts = [autocommit for statement, autocommit in modes if statement == "INSERT"]
    assert inserts == [_on_postgresql(app)]


def test_a_refused_insert_raises_and_the_unit_of_work_goes_on(app: Any, member: Account) -> None:
    with resources(app).db.unit_of_work() as uow:
        with pytest.raises(IntegrityError):
            uow.insert(_usage(user_id=10**9))  # no such user: the foreign key refuses it
        uow.insert(_usage(member.user.id, "after"))
        assert uow.session.get(User, member.user.id) is not None
    assert _usage_models(app) == ["after"]


def test_insert_inside_a_write_joins_it(app: Any, member: Account) -> None:
    def insert_then_fail(uow: UnitOfWork) -> None:
        with uow.transaction():
            uow.insert(_usage(member.user.id, "joined"))
            raise RuntimeError("the write fails after the insert")

    with resources(app).db.unit_of_work() as uow, pytest.raises(RuntimeError):
        insert_then_fail(uow)
    assert _usage_models(app) == []


def test_insert_with_unsaved_changes_writes_them_together(app: Any, member: Account) -> None:
    # Pending changes are never flushed in autocommit: the row and the change share one
    # transaction.
    with resources(app).db.unit_of_work() as uow:
        user = uow.session.get(User, member.user.id)
        assert user is not None
        user.full_name = "together"
        uow.insert(_usage(member.user.id, "with-change"))
    with resources(app).db.unit_of_work() as uow:
        again = uow.session.get(User, member.user.id)
        assert again is not None and again.full_name == "together"
    assert _usage_models(app) == ["with-change"]
