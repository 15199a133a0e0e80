"""The MCP server at `/mcp`: the spec's `x-mcp` operations as tools, over the official
SDK's streamable HTTP transport (stateless, JSON responses), mounted in this app.

Every message needs a credential, the same ones the API takes (`Authorization: Bearer
<access token>` or `X-API-Key`): it is checked by calling `GET /users/me` with it, which also
gives the caller's role, so `tools/list` shows only the tools that role may call. A tool call
is the HTTP request of its operation, sent through this app's whole stack in process
(`app.mcp.dispatch`): authentication, roles, rate limits, quotas, validation, idempotency,
audit, metrics and logs apply exactly as over REST, as that caller. The credential never
leaves this server: the in-process call is to the same resource server that it was issued
for, and no other service sees it.

DNS-rebinding protection (a check of `Host`/`Origin` meant for unauthenticated local
servers) is off: every request carries an explicit credential header, which a page in a
browser cannot add to a cross-origin request without CORS, which this app does not allow.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.mcp.dispatch import Dispatcher, Reply
from app.mcp.tools import ToolSpec

PATH = "/mcp"
STATE_KEY = "mcp_caller"
CREDENTIAL_HEADERS = ("authorization", "x-api-key")


@dataclass(frozen=True)
class McpCaller:
    """Who a message is from: the credential headers to send on, and the account's role."""

    headers: Mapping[str, str]
    role: str
    request_id: str


def _caller(ctx: ServerRequestContext[Any]) -> McpCaller:
    request = ctx.request
    caller = request.scope.get("state", {}).get(STATE_KEY) if request is not None else None
    if not isinstance(caller, McpCaller):  # the gate admits no message without one
        msg = "MCP message without an authenticated caller"
        raise RuntimeError(msg)
    return caller


def _result(reply: Reply) -> types.CallToolResult:
    """A 2xx is the response body; anything else is a tool error: the problem's code and
    detail as text (what the agent reads), the whole problem as structured content."""
    body = reply.body if isinstance(reply.body, dict) else {"value": reply.body}
    if reply.ok:
        text = json.dumps(reply.body, separators=(",", ":")) if reply.body is not None else ""
        return types.CallToolResult(content=[types.TextContent(text=text)], structured_content=body)
    code = body.get("code", "http_error")
    detail = body.get("detail") or body.get("title") or f"HTTP {reply.status}"
    return types.CallToolResult(
        content=[types.TextContent(text=f"{code}: {detail}")],
        structured_content=body,
        is_error=True,
    )


class McpEndpoint:
    """The `/mcp` ASGI endpoint and its tool handlers."""

    def __init__(self, tools: Sequence[ToolSpec], dispatcher: Dispatcher, *, version: str) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.dispatcher = dispatcher
        server: Server[Any] = Server(
            "flask-llm-api",
            version=version,
            instructions="Tools are this API's operations; each acts as the authenticated caller.",
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )
        self.server = server
        self.transport: StreamableHTTPASGIApp | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The transport's task group, for the app's lifespan (a manager runs only once,
        so each lifespan gets its own)."""
        manager = StreamableHTTPSessionManager(
            app=self.server,
            json_response=True,
            stateless=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        async with manager.run():
            self.transport = StreamableHTTPASGIApp(manager)
            try:
                yield
            finally:
                self.transport = None

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        role = _caller(ctx).role
        return types.ListToolsResult(
            tools=[
                types.Tool(name=t.name, description=t.description, input_schema=t.input_schema)
                for t in self.tools.values()
                if role in t.roles
            ]
        )

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        caller = _caller(ctx)
        tool = self.tools.get(params.name)
        if tool is None:  # unknown to this server: the same answer as a tool the role lacks
            return types.CallToolResult(
                content=[types.TextContent(text=f"unknown_tool: No tool named {params.name!r}.")],
                is_error=True,
            )
        reply = await self.dispatcher.call(
            tool,
            params.arguments or {},
            caller.headers,
            request_id=caller.request_id,
            client=self._client(ctx),
        )
        return _result(reply)

    @staticmethod
    def _client(ctx: ServerRequestContext[Any]) -> tuple[str, int] | None:
        client = ctx.request.scope.get("client") if ctx.request is not None else None
        return (str(client[0]), int(client[1])) if client else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Admit a message only with a credential that `GET /users/me` accepts; otherwise
        answer with that problem (401 with its challenge, 403, 429...)."""
        headers = Headers(scope=scope)
        credentials = {h: headers[h] for h in CREDENTIAL_HEADERS if h in headers}
        request_id = headers.get("x-request-id", "")
        me = await self.dispatcher.whoami(
            credentials, request_id=request_id, client=scope.get("client")
        )
        if not me.ok:
            await me.send_as_response(send)
            return
        data = me.body.get("data", {}) if isinstance(me.body, dict) else {}
        caller = McpCaller(credentials, str(data.get("role", "")), request_id)
        if self.transport is None:  # outside the app's lifespan (never in a server)
            await Reply(503, {}, None).send_as_response(send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        await self.transport(scope, receive, send)


class McpMountMiddleware:
    """Send `/mcp` to the MCP endpoint and everything else down the stack."""

    def __init__(self, app: ASGIApp, *, endpoint: McpEndpoint) -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            await self.endpoint(scope, receive, send)
            return
        await self.app(scope, receive, send)
