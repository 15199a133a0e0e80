"""The read-through cache of items and documents: reads served without queries, no stale
read after a write, no view crossing between users, and a dead Redis is only slower."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import connexion
import pytest
from pydantic import ValidationError
from sqlalchemy import event, text
from starlette.testclient import TestClient

from app.accounts.principal import Principal
from app.infra.cache import MemoryCache, NoCache, RedisCache
from app.infra.pagination import PageRequest
from app.infra.redis import make_redis
from app.items import service as item_service
from app.main import create_app
from tests.auth_helpers import Account, account, resources

ITEMS, DOCS = "/api/v1/items", "/api/v1/documents"


@pytest.fixture
def selects(app: connexion.FlaskApp) -> Iterator[list[str]]:
    """SQL SELECTs on items/documents tables, as they run."""
    engine = resources(app).db.engine
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and (
            "items" in statement or "documents" in statement
        ):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    yield seen
    event.remove(engine, "before_cursor_execute", on_execute)


def _new_item(client: TestClient, who: Account, name: str = "mug") -> dict[str, Any]:
    response = client.post(ITEMS, json={"name": name, "price": "1"}, headers=who.headers)
    assert response.status_code == 201
    data: dict[str, Any] = response.json()["data"]
    return data


def test_the_configured_backend_is_used(app: connexion.FlaskApp, redis_url: str | None) -> None:
    cache = resources(app).cache
    assert isinstance(cache, RedisCache if redis_url else MemoryCache)


def test_repeated_reads_are_served_from_the_cache(
    client: TestClient, member: Account, selects: list[str]
) -> None:
    item = _new_item(client, member)
    doc = client.post(DOCS, json={"title": "t"}, headers=member.headers).json()["data"]
    for url in (f"{ITEMS}/{item['id']}", ITEMS, f"{DOCS}/{doc['id']}", DOCS):
        first = client.get(url, headers=member.headers)
        queried = len(selects)
        assert queried > 0
        again = client.get(url, headers=member.headers)
        assert again.json() == first.json() and again.headers.get("etag") == first.headers.get(
            "etag"
        )
        assert len(selects) == queried, f"{url} queried again: {selects[queried:]}"
        selects.clear()


def test_no_stale_read_after_any_write(client: TestClient, member: Account) -> None:
    item = _new_item(client, member)
    url = f"{ITEMS}/{item['id']}"
    assert client.get(url, headers=member.headers).json()["data"]["name"] == "mug"
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 1
    client.patch(url, json={"name": "cup"}, headers=member.headers)
    assert client.get(url, headers=member.headers).json()["data"]["name"] == "cup"
    assert [
        i["name"] for i in client.get(ITEMS, headers=member.headers).json()["data"]["items"]
    ] == ["cup"]
    _new_item(client, member, "plate")
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 2
    client.delete(url, headers=member.headers)
    assert client.get(url, headers=member.headers).status_code == 404
    assert client.get(ITEMS, headers=member.headers).json()["data"]["total"] == 1


def test_document_transitions_reach_every_viewers_cached_lists(
    client: TestClient, member: Account, other: Account
) -> None:
    doc = client.post(DOCS, json={"title": "t"}, headers=member.headers).json()["data"]
    assert client.get(DOCS, headers=other.headers).json()["data"]["total"] == 0  # cached
    client.post(f"{DOCS}/{doc['id']}/publish", headers=member.headers)
    assert client.get(DOCS, headers=other.headers).json()["data"]["total"] == 1
    assert client.get(f"{DOCS}/{doc['id']}", headers=other.headers).status_code == 200
    client.post(f"{DOCS}/{doc['id']}/archive", headers=member.headers)
    assert client.get(DOCS, headers=other.headers).json()["data"]["total"] == 0
    assert client.get(f"{DOCS}/{doc['id']}", headers=other.headers).status_code == 404


def test_one_users_cached_view_never_reaches_another(
    client: TestClient, member: Account, other: Account, reader: Account
) -> None:
    mine = _new_item(client, member, "mine")
    same_query = f"{ITEMS}?page=1&size=20"
    assert [
        i["name"] for i in client.get(same_query, headers=member.headers).json()["data"]["items"]
    ] == ["mine"]
    assert client.get(same_query, headers=other.headers).json()["data"]["items"] == []
    assert client.get(f"{ITEMS}/{mine['id']}", headers=member.headers).status_code == 200  # cached
    assert client.get(f"{ITEMS}/{mine['id']}", headers=other.headers).status_code == 404
    assert client.get(same_query, headers=reader.headers).json()["data"]["total"] == 1
    _new_item(client, other, "theirs")
    assert client.get(same_query, headers=reader.headers).json()["data"]["total"] == 2
    assert [
        i["name"] for i in client.get(same_query, headers=member.headers).json()["data"]["items"]
    ] == ["mine"]


def test_deleting_a_user_drops_their_cached_objects(
    client: TestClient, admin: Account, member: Account
) -> None:
    item = _new_item(client, member)
    assert client.get(f"{ITEMS}/{item['id']}", headers=admin.headers).status_code == 200
    assert client.get(ITEMS, headers=admin.headers).json()["data"]["total"] == 1
    client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers)
    assert client.get(f"{ITEMS}/{item['id']}", headers=admin.headers).status_code == 404
    assert client.get(ITEMS, headers=admin.headers).json()["data"]["total"] == 0


def test_an_unreachable_redis_only_costs_the_cache(
    app: connexion.FlaskApp, client: TestClient, member: Account, make_settings: Any
) -> None:
    # The app's own client (make_redis) to a port nothing listens on: every call fails fast.
    dead = make_redis(make_settings(redis_url="redis://127.0.0.1:1/0"))
    assert dead is not None
    cache = RedisCache(dead, "test-dead", ttl_seconds=60)
    principal = Principal(user=member.user, method="bearer")
    db = resources(app).db
    with db.unit_of_work() as uow:
        view = item_service.create_item(uow, principal, cache=cache, name="mug", price="2")
        assert view.item.id is not None
        got = item_service.get_item(uow, principal, view.item.id, cache=cache)
        assert (got.item.name, str(got.item.price)) == ("mug", "2.00")
        item_service.update_item(uow, principal, view.item.id, cache=cache, name="cup")
        page = item_service.list_items(uow, principal, PageRequest(), cache=cache)
        assert [v.item.name for v in page.items] == ["cup"] and page.total == 1
        item_service.delete_item(uow, principal, view.item.id, cache=cache)
        assert item_service.list_items(uow, principal, PageRequest(), cache=cache).total == 0
    dead.close()


def test_a_zero_ttl_turns_the_cache_off(make_settings: Any) -> None:
    app = create_app(make_settings(cache_ttl_seconds=0))
    assert isinstance(resources(app).cache, NoCache)
    client = app.test_client()
    who = account(app, client, "nocache@example.com")
    item = _new_item(client, who)
    url = f"{ITEMS}/{item['id']}"
    assert client.get(url, headers=who.headers).json()["data"]["name"] == "mug"
    with resources(app).db.transaction() as session:  # behind the service's back
        session.execute(text("UPDATE items SET name = 'cup' WHERE id = :id"), {"id": item["id"]})
    assert client.get(url, headers=who.headers).json()["data"]["name"] == "cup"


@pytest.mark.parametrize("ttl", [-1, 86_401, "soon"])
def test_bad_ttl_settings_are_refused(make_settings: Any, ttl: Any) -> None:
    with pytest.raises(ValidationError, match="CACHE_TTL_SECONDS"):
        make_settings(cache_ttl_seconds=ttl)
