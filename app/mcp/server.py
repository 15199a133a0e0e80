"""The MCP server: the spec's `x-mcp` operations as tools, over the official SDK's
streamable HTTP transport (stateless, JSON responses). `app.mcp.endpoint` admits each
message (its credential, the caller's role) and imports this module on the first one.

A tool call is the HTTP request of its operation, sent through this app's whole stack in
process (`app.mcp.dispatch`): authentication, roles, rate limits, quotas, validation,
idempotency, audit, metrics and logs apply exactly as over REST, as that caller. The
credential never leaves this server: the in-process call is to the same resource server that
it was issued for, and no other service sees it.

DNS-rebinding protection (a check of `Host`/`Origin` meant for unauthenticated local
servers) is off: every request carries an explicit credential header, which a page in a
browser cannot add to a cross-origin request without CORS, which this app does not allow.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

from app.mcp.dispatch import STATE_KEY, Dispatcher, McpCaller, Reply
from app.mcp.tools import ToolSpec


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


class McpServer:
    """The SDK's low-level server with this API's tools, and its transport."""

    def __init__(
        self, tools: Mapping[str, ToolSpec], dispatcher: Dispatcher, *, version: str
    ) -> None:
        self.tools = tools
        self.dispatcher = dispatcher
        server: Server[Any] = Server(
            "flask-llm-api",
            version=version,
            instructions="Tools are this API's operations; each acts as the authenticated caller.",
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )
        self.server = server

    @asynccontextmanager
    async def running(self) -> AsyncIterator[StreamableHTTPASGIApp]:
        """The transport, while its session manager runs (a manager runs only once)."""
        manager = StreamableHTTPSessionManager(
            app=self.server,
            json_response=True,
            stateless=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        async with manager.run():
            yield StreamableHTTPASGIApp(manager)

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
