"""A tool call as the HTTP request of its operation, sent through this app in process.

Going through the whole ASGI stack (not calling services directly) is what makes a tool
call behave exactly like the REST request: the same authentication, role and ownership
checks, rate limits, quotas, body validation, idempotency, audit trail, metrics and logs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from starlette.types import ASGIApp, Send

from app.mcp.tools import BODY, ToolSpec

INTERNAL_BASE = "http://mcp.internal"
PROBLEM_MEDIA_TYPE = "application/problem+json"
STATE_KEY = "mcp_caller"  # the admitted message's `McpCaller`, in its ASGI scope's state


@dataclass(frozen=True)
class McpCaller:
    """Who a message is from: the credential headers to send on, and the account's role."""

    headers: Mapping[str, str]
    role: str
    request_id: str


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    async def send_as_response(self, send: Send) -> None:
        """Answer the MCP request with this reply as it came (a problem, its challenge)."""
        raw = (
            json.dumps(self.body, separators=(",", ":")).encode() if self.body is not None else b""
        )
        keep = ("content-type", "www-authenticate", "retry-after", "x-request-id", "api-version")
        headers = [(k.encode(), v.encode("latin-1")) for k, v in self.headers.items() if k in keep]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": raw})


class ArgumentError(ValueError):
    """Arguments a tool call cannot be turned into a request with (a missing path value)."""


class Dispatcher:
    """Sends requests to the app it is bound to once the app exists (`bind`)."""

    def __init__(self, api_prefix: str) -> None:
        self.api_prefix = api_prefix
        self._app: ASGIApp | None = None

    def bind(self, app: ASGIApp) -> None:
        self._app = app

    async def _send(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str],
        client: Any,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Reply:
        if self._app is None:
            msg = "the MCP dispatcher is not bound to the app"
            raise RuntimeError(msg)
        address = (str(client[0]), int(client[1])) if client else ("127.0.0.1", 0)
        transport = httpx.ASGITransport(app=self._app, raise_app_exceptions=False, client=address)
        async with httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE) as http:
            response = await http.request(
                method,
                path,
                params=params,
                headers=dict(headers),
                content=json.dumps(body).encode() if body is not None else None,
            )
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = {"code": "invalid_response", "detail": response.text[:200]}
        return Reply(response.status_code, dict(response.headers), parsed)

    async def whoami(
        self, credentials: Mapping[str, str], *, request_id: str, client: Any
    ) -> Reply:
        """`GET /users/me` with the MCP request's credentials."""
        return await self._send(
            "GET",
            f"{self.api_prefix}/users/me",
            headers=_with_request_id(credentials, request_id),
            client=client,
        )

    async def call(
        self,
        tool: ToolSpec,
        arguments: Mapping[str, Any],
        credentials: Mapping[str, str],
        *,
        request_id: str,
        client: Any,
    ) -> Reply:
        path = tool.path
        query: dict[str, Any] = {}
        headers = _with_request_id(credentials, request_id)
        for param in tool.parameters:
            if param.name not in arguments:
                if param.required and param.location == "path":
                    return _argument_problem(f"The argument {param.name!r} is required.")
                continue
            value = arguments[param.name]
            if param.location == "path":
                path = path.replace("{" + param.name + "}", quote(str(value), safe=""))
            elif param.location == "query":
                query[param.name] = _query_value(value)
            elif param.location == "header":
                headers[param.name] = str(value)
        unknown = set(arguments) - {p.name for p in tool.parameters} - {BODY}
        if unknown:
            return _argument_problem(f"Unknown arguments: {', '.join(sorted(unknown))}.")
        body = arguments.get(BODY) if tool.has_body else None
        if body is not None:
            headers["content-type"] = "application/json"
        return await self._send(
            tool.method, path, headers=headers, client=client, params=query, body=body
        )


def _with_request_id(credentials: Mapping[str, str], request_id: str) -> dict[str, str]:
    headers = dict(credentials)
    if request_id:
        headers["x-request-id"] = request_id
    return headers


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_query_value(v) for v in value]
    return value


def _argument_problem(detail: str) -> Reply:
    return Reply(
        400,
        {"content-type": PROBLEM_MEDIA_TYPE},
        {
            "status": 400,
            "code": "invalid_parameter",
            "title": "Invalid parameter",
            "detail": detail,
        },
    )
