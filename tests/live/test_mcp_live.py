"""The MCP server at /mcp, driven by the official MCP client (streamable HTTP) against the
real server (`python -m app`) on the suite's database and Redis: tools per role, a tool call
that is the REST operation (the item it creates is read back over REST), the API's refusals
as tool errors (403, 429), and no session without a credential. 127.0.0.1 only; the server
is stopped by its PID.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from app.accounts.models import Role
from app.contract.spec import load_spec, operations
from tests.auth_helpers import PASSWORD, make_user
from tests.live_server import live_server, server_env
from tests.rate_limits import generous_overrides

# One worker runs the module: its server (`base`) is started once.
pytestmark = [pytest.mark.live, pytest.mark.xdist_group("mcp-live")]

SPEC = load_spec()
# The tight limit the 429 test runs into (every other limit stays out of reach).
TIGHT_OP = "listRecipes"


@pytest.fixture(scope="module")
def base(
    database_url: str,
    redis_url: str | None,
    make_settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Any:
    """One server for the module (each test signs in its own accounts)."""
    tmp_path = tmp_path_factory.mktemp("mcp")
    prefix = f"{make_settings().redis.key_prefix}-mcp-{uuid.uuid4().hex[:8]}"
    env = server_env(database_url, redis_url, prefix)
    env["RATE_LIMIT_OVERRIDES"] = json.dumps(
        {**generous_overrides(), TIGHT_OP: {"user": "2/minute"}}
    )
    with live_server(env, tmp_path / "server.log") as url:
        yield url


def _login(base: str, app: Any, role: Role) -> dict[str, str]:
    email = f"mcp-{role.value}-{uuid.uuid4().hex[:8]}@example.com"
    make_user(app, email, role)
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


async def _session(base: str, headers: Mapping[str, str], work: Any) -> Any:
    async with (
        httpx2.AsyncClient(headers=dict(headers), timeout=30) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
    ):
        return await work(client)


def _tools(base: str, headers: Mapping[str, str]) -> set[str]:
    async def work(client: Client) -> set[str]:
        return {tool.name for tool in (await client.list_tools()).tools}

    result: set[str] = asyncio.run(_session(base, headers, work))
    return result


def _call(base: str, headers: Mapping[str, str], calls: list[tuple[str, dict[str, Any]]]) -> Any:
    async def work(client: Client) -> list[types.CallToolResult]:
        return [await client.call_tool(name, args) for name, args in calls]

    return asyncio.run(_session(base, headers, work))


def _marked() -> dict[str, set[str]]:
    """operationId -> x-roles, for the operations the spec exposes as tools."""
    return {
        op["operationId"]: set(op.get("x-roles", []))
        for _, _, op in operations(SPEC)
        if op.get("x-mcp") is True
    }


def test_each_role_lists_exactly_the_tools_its_role_may_call(base: str, app: Any) -> None:
    marked = _marked()
    as_user = _tools(base, _login(base, app, Role.USER))
    as_reader = _tools(base, _login(base, app, Role.READONLY))
    assert as_user == {name for name, roles in marked.items() if "user" in roles}
    assert as_reader == {name for name, roles in marked.items() if "readonly" in roles}
    assert "createItem" in as_user
    assert "createItem" not in as_reader
    assert "listItems" in as_reader


def test_a_tool_call_is_the_rest_operation_as_the_caller(base: str, app: Any) -> None:
    headers = _login(base, app, Role.USER)
    created, listed = _call(
        base,
        headers,
        [
            ("createItem", {"body": {"name": "Made by an agent", "price": "3.50"}}),
            ("listItems", {"size": 5, "sort": "id", "order": "desc"}),
        ],
    )
    assert created.is_error is False, created.content
    item = created.structured_content["data"]
    assert item["name"] == "Made by an agent"
    assert json.loads(created.content[0].text)["data"]["id"] == item["id"]
    assert [i["id"] for i in listed.structured_content["data"]["items"]] == [item["id"]]
    # Read back over REST, as the same caller: the tool wrote through the real stack.
    rest = httpx.get(f"{base}/api/v1/items/{item['id']}", headers=headers, timeout=30)
    assert rest.status_code == 200, rest.text
    assert rest.json()["data"]["owner_id"] == item["owner_id"]
    assert rest.headers["ETag"]


def test_refusals_are_tool_errors_with_the_problem_code(base: str, app: Any) -> None:
    reader = _login(base, app, Role.READONLY)
    (forbidden,) = _call(base, reader, [("createItem", {"body": {"name": "x", "price": "1"}})])
    assert forbidden.is_error is True
    assert forbidden.structured_content["status"] == 403
    assert forbidden.structured_content["code"] == "forbidden"
    assert forbidden.content[0].text.startswith("forbidden: ")

    user = _login(base, app, Role.USER)
    results = _call(base, user, [(TIGHT_OP, {}), (TIGHT_OP, {}), (TIGHT_OP, {})])
    assert [r.is_error for r in results] == [False, False, True]
    assert results[2].structured_content["status"] == 429
    assert results[2].structured_content["code"] == "rate_limited"

    invalid, missing, unknown = _call(
        base,
        user,
        [
            ("createItem", {"body": {"price": "1"}}),  # no name: the spec's validation
            ("getItem", {}),  # no path value
            ("noSuchTool", {}),
        ],
    )
    assert invalid.is_error and invalid.structured_content["code"] == "validation_error"
    assert missing.is_error and missing.structured_content["code"] == "invalid_parameter"
    assert unknown.is_error and unknown.content[0].text.startswith("unknown_tool: ")


def test_no_session_without_a_valid_credential(base: str) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "probe", "version": "0"},
        },
    }
    accept = {"Accept": "application/json, text/event-stream"}
    for headers, code in (
        ({}, "not_authenticated"),
        ({"Authorization": "Bearer not-a-token"}, "token_malformed"),
        ({"X-API-Key": "ak_nope_nope"}, "api_key_invalid"),
    ):
        response = httpx.post(
            f"{base}/mcp", json=initialize, headers={**accept, **headers}, timeout=30
        )
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    # The official client gets no session either.
    with pytest.raises(Exception):  # noqa: B017, PT011 - the SDK's own error type varies by version
        _tools(base, {})


def test_the_allow_list_never_holds_admin_or_credential_operations() -> None:
    marked = _marked()
    assert marked, "no operation is exposed to MCP"
    for _, _, op in operations(SPEC):
        if op["operationId"] not in marked:
            continue
        assert op["tags"][0] not in {"auth", "users", "audit", "health"}, op["operationId"]
        assert marked[op["operationId"]] != {"admin"}, op["operationId"]
