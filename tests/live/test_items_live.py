"""Owned resources under concurrency, through the real server (`python -m app`, as `make run`
serves) on the suite's database and Redis: 50 parallel creates store exactly 50 rows, and of
parallel writers holding the same ETag exactly one wins. Bounded: 50 requests per burst,
127.0.0.1 only, the server stopped by its PID.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import func, select

from app.items.models import Item
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.live_server import live_server, server_env
from tests.problems import assert_problem

pytestmark = pytest.mark.live
ITEMS = "/api/v1/items"
N = 50


@pytest.fixture
def base(
    app: Any, database_url: str, redis_url: str | None, make_settings: Any, tmp_path: Path
) -> Any:
    prefix = f"{make_settings().redis.key_prefix}-live-{uuid.uuid4().hex[:8]}"
    with live_server(server_env(database_url, redis_url, prefix), tmp_path / "server.log") as url:
        yield url


def bearer(base: str, email: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def burst(base: str, method: str, url: str, requests: list[dict[str, Any]]) -> list[httpx.Response]:
    """Send every request at once, one connection each; responses in request order."""

    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            return await asyncio.gather(*(client.request(method, url, **r) for r in requests))

    return asyncio.run(run())


def stored_items(app: Any) -> int:
    with resources(app).db.transaction() as session:
        return int(session.exec(select(func.count()).select_from(Item)).one())


def test_fifty_parallel_creates_store_exactly_fifty_rows(app: Any, base: str) -> None:
    owner = make_user(app, "owner@example.com")
    headers = bearer(base, "owner@example.com")
    # A list read first, so a cached page exists that every create must invalidate.
    assert httpx.get(f"{base}{ITEMS}", headers=headers).json()["data"]["total"] == 0
    requests = [
        {"json": {"name": f"item {i}", "price": f"{i}.{i % 100:02d}"}, "headers": headers}
        for i in range(N)
    ]
    responses = burst(base, "POST", ITEMS, requests)
    assert Counter(r.status_code for r in responses) == {201: N}, [
        r.text for r in responses if r.status_code != 201
    ]
    created = [r.json()["data"] for r in responses]
    assert len({c["id"] for c in created}) == N
    # Each response is its own request's item, price exact.
    for i, item in enumerate(created):
        assert (item["name"], item["price"], item["owner_id"]) == (
            f"item {i}",
            f"{i}.{i % 100:02d}",
            owner.id,
        )
    assert stored_items(app) == N
    listed = httpx.get(f"{base}{ITEMS}?size=100", headers=headers).json()["data"]
    assert listed["total"] == N and {i["id"] for i in listed["items"]} == {c["id"] for c in created}


def test_parallel_writers_with_one_etag_have_exactly_one_winner(app: Any, base: str) -> None:
    make_user(app, "owner@example.com")
    headers = bearer(base, "owner@example.com")
    created = httpx.post(f"{base}{ITEMS}", json={"name": "mug", "price": "1"}, headers=headers)
    url, tag = f"{ITEMS}/{created.json()['data']['id']}", created.headers["etag"]
    writers = [
        {"json": {"name": f"name {i}"}, "headers": {**headers, "If-Match": tag}} for i in range(20)
    ]
    responses = burst(base, "PATCH", url, writers)
    assert Counter(r.status_code for r in responses) == {200: 1, 412: 19}
    for loser in (r for r in responses if r.status_code == 412):
        assert_problem(loser, 412, "precondition_failed")
    winner = next(r for r in responses if r.status_code == 200)
    now = httpx.get(f"{base}{url}", headers=headers)
    assert now.json()["data"]["name"] == winner.json()["data"]["name"]
    assert now.headers["etag"] == winner.headers["etag"] != tag
    assert stored_items(app) == 1
