"""The `/mcp` mount: the credential gate, and the MCP server started on the first message.

Every message needs a credential, the same ones the API takes (`Authorization: Bearer
<access token>` or `X-API-Key`): it is checked by calling `GET /users/me` with it, which also
gives the caller's role, so `tools/list` shows only the tools that role may call.

The MCP SDK (`app.mcp.server`) is imported, and its session manager started, when the first
admitted message arrives, not when the app is built: it is ~0.4 s of every process's
start-up (and its memory) that a deployment without agents never uses. The manager runs in
a task group of the app's lifespan, as it would if started there, and stops with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio
from anyio.abc import TaskGroup, TaskStatus
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.mcp.dispatch import STATE_KEY, Dispatcher, McpCaller, Reply
from app.mcp.tools import ToolSpec

PATH = "/mcp"
CREDENTIAL_HEADERS = ("authorization", "x-api-key")


class McpEndpoint:
    """The `/mcp` ASGI endpoint: admits a message with a credential, then hands it to the
    MCP server's transport (started on the first message of each lifespan)."""

    def __init__(self, tools: Sequence[ToolSpec], dispatcher: Dispatcher, *, version: str) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.dispatcher = dispatcher
        self.version = version
        self._group: TaskGroup | None = None
        self._stop: anyio.Event | None = None
        self._starting: anyio.Lock | None = None
        self.transport: ASGIApp | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """For the app's lifespan: the task group the MCP server will run in once started
        (a session manager runs only once, so each lifespan starts its own)."""
        stop = anyio.Event()
        async with anyio.create_task_group() as group:
            self._group, self._stop, self._starting = group, stop, anyio.Lock()
            try:
                yield
            finally:
                self._group = None
                self.transport = None
                stop.set()  # a started server leaves its `running()` and the group ends

    async def _transport(self) -> ASGIApp | None:
        """The MCP transport, started on first use (None outside the app's lifespan)."""
        if self.transport is None and self._group is not None and self._starting is not None:
            async with self._starting:
                if self.transport is None and self._group is not None:
                    self.transport = await self._group.start(self._serve)
        return self.transport

    async def _serve(self, *, task_status: TaskStatus[ASGIApp]) -> None:
        from app.mcp.server import McpServer  # noqa: PLC0415 - the SDK, on first use

        assert self._stop is not None
        server = McpServer(self.tools, self.dispatcher, version=self.version)
        async with server.running() as transport:
            task_status.started(transport)
            await self._stop.wait()

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
        transport = await self._transport()
        if transport is None:  # outside the app's lifespan (never in a server)
            await Reply(503, {}, None).send_as_response(send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        await transport(scope, receive, send)


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
