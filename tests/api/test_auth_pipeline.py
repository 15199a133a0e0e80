"""The one auth pipeline (app/http/auth_pipeline.py) through the real app: a request's
credential is checked once (one read of the account, one read of the revocation notices),
and a revoked token, a role the operation does not allow and a bad API key are refused the
same way on every path in: Flask, the event streams and MCP tool calls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import connexion
import pytest
import redis
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from app.main import create_app
from tests.auth_helpers import Account, account, resources
from tests.problems import assert_problem
from tests.redis_server import PrivateRedis
from tests.redis_server import private_redis as own_redis

ME = "/api/v1/users/me"
STREAM = "/api/v1/ai/completions/stream"
KEYS = "/api/v1/auth/api-keys"
BAD_KEY = "ak_aaaaaaaa_" + "b" * 43  # the right shape, no such key
MCP_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
}
_ACCOUNT_READ = re.compile(r"\bFROM users\b", re.IGNORECASE)
_KEY_READ = re.compile(r"\bFROM api_keys\b", re.IGNORECASE)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _new_key(client: TestClient, who: Account) -> str:
    response = client.post(KEYS, json={"name": "pipeline"}, headers=who.headers)
    assert response.status_code == 201, response.text
    secret: str = response.json()["data"]["key"]
    return secret


# Once per request ----------------------------------------------------------------------------
def test_a_bearer_request_reads_the_account_once(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    with statements(resources(app).db.engine) as seen:
        response = client.get(ME, headers=member.headers)
    assert response.status_code == 200, response.text
    assert len([s for s in seen if _ACCOUNT_READ.search(s)]) == 1, seen


def test_an_api_key_request_reads_its_key_and_account_once(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    secret = _new_key(client, member)
    assert client.get(ME, headers={"X-API-Key": secret}).status_code == 200  # owner now cached
    with statements(resources(app).db.engine) as seen:
        response = client.get(ME, headers={"X-API-Key": secret})
    assert response.status_code == 200, response.text
    assert len([s for s in seen if _KEY_READ.search(s)]) == 1, seen
    assert len([s for s in seen if _ACCOUNT_READ.search(s)]) == 1, seen


@pytest.fixture(scope="module")
def private_redis() -> Iterator[PrivateRedis]:
    with own_redis() as server:
        yield server


def _exists_calls(client: redis.Redis) -> int:
    stats = client.info("commandstats")
    return int(stats.get("cmdstat_exists", {}).get("calls", 0))


def test_a_bearer_request_reads_the_revocation_notices_once(
    make_settings: Any, private_redis: PrivateRedis
) -> None:
    # Counted by the Redis server itself (its own command statistics; the server is this
    # test's alone): the rate limiter, the role check and the account step share one read.
    app = create_app(make_settings(redis_url=private_redis.url))
    client = app.test_client()
    who = account(app, client, "pipeline-redis@example.com")
    counter = redis.Redis.from_url(private_redis.url)
    try:
        assert client.get(ME, headers=who.headers).status_code == 200  # warm connections
        counter.config_resetstat()
        for _ in range(3):
            assert client.get(ME, headers=who.headers).status_code == 200
        assert _exists_calls(counter) == 3
    finally:
        counter.close()
        resources(app).close()


# The same refusal on every path ------------------------------------------------------------
@pytest.fixture
def mcp_client(make_settings: Any) -> Iterator[tuple[connexion.FlaskApp, TestClient]]:
    """An app of its own with its lifespan running (the MCP endpoint needs it)."""
    app = create_app(make_settings())
    with app.test_client() as client:
        yield app, client


def _mcp_call(client: TestClient, headers: dict[str, str], tool: str, arguments: Any) -> Any:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": tool, "arguments": arguments},
    }
    return client.post("/mcp", json=body, headers={**MCP_HEADERS, **headers})


def _refusals(
    client: TestClient, headers: dict[str, str], status: int, code: str
) -> list[tuple[str, int, str]]:
    """The refusal seen over REST, the stream and MCP, for a credential refused outright."""
    rest = client.get(ME, headers=headers)
    stream = client.post(STREAM, json={"prompt": "hi"}, headers=headers)
    mcp = _mcp_call(client, headers, "listItems", {"page": 1, "size": 5})
    for response in (rest, stream, mcp):
        assert_problem(response, status, code)
        assert "www-authenticate" in response.headers
    return [(r.request.url.path, r.status_code, r.json()["code"]) for r in (rest, stream, mcp)]


def test_a_revoked_token_is_refused_the_same_way_everywhere(
    mcp_client: tuple[connexion.FlaskApp, TestClient],
) -> None:
    app, client = mcp_client
    who = account(app, client, "pipeline-revoked@example.com")
    assert client.post("/api/v1/auth/logout", headers=who.headers).status_code == 204
    _refusals(client, who.headers, 401, "token_revoked")


def test_a_bad_api_key_is_refused_the_same_way_everywhere(
    mcp_client: tuple[connexion.FlaskApp, TestClient],
) -> None:
    _, client = mcp_client
    _refusals(client, {"X-API-Key": BAD_KEY}, 401, "api_key_invalid")
    _refusals(client, {"X-API-Key": "not-a-key"}, 401, "api_key_invalid")


def test_a_revoked_api_key_is_refused_the_same_way_everywhere(
    mcp_client: tuple[connexion.FlaskApp, TestClient],
) -> None:
    app, client = mcp_client
    who = account(app, client, "pipeline-key@example.com")
    response = client.post(KEYS, json={"name": "gone"}, headers=who.headers)
    created = response.json()["data"]
    assert client.delete(f"{KEYS}/{created['id']}", headers=who.headers).status_code == 204
    _refusals(client, {"X-API-Key": created["key"]}, 401, "api_key_revoked")


@pytest.mark.parametrize("credential", ["bearer", "api_key"])
def test_a_role_the_operation_does_not_allow_is_refused_the_same_way_everywhere(
    mcp_client: tuple[connexion.FlaskApp, TestClient], credential: str
) -> None:
    app, client = mcp_client
    reader = account(app, client, f"pipeline-reader-{credential}@example.com", "readonly")
    headers = reader.headers if credential == "bearer" else {"X-API-Key": _new_key(client, reader)}
    item = {"name": "mug", "price": "1"}
    assert_problem(client.post("/api/v1/items", json=item, headers=headers), 403, "forbidden")
    stream = client.post(STREAM, json={"prompt": "hi"}, headers=headers)
    assert_problem(stream, 403, "forbidden")
    mcp = _mcp_call(client, headers, "createItem", {"body": item})
    assert mcp.status_code == 200, mcp.text
    result = mcp.json()["result"]
    assert result["isError"] is True
    assert (result["structuredContent"]["status"], result["structuredContent"]["code"]) == (
        403,
        "forbidden",
    )
