"""Call an ASGI app with raw headers that httpx refuses to send (newlines, bad lengths, NUL),
and raw paths that httpx would normalise (`//`, dot segments, `%2F`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class RawRequest:
    method: str
    raw_path: str  # as sent on the wire (percent-encoded); the scope's path is its decoding
    headers: Headers = field(default_factory=list)
    body: bytes = b""
    query: bytes = b""


@dataclass(frozen=True)
class RawResponse:
    request: RawRequest
    status: int
    header_list: Headers
    body: bytes

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.header_list)

    def json(self) -> Any:
        return json.loads(self.body)


def _scope(request: RawRequest) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": unquote(request.raw_path),  # what uvicorn does
        "raw_path": request.raw_path.encode(),
        "query_string": request.query,
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": list(request.headers),
    }


async def _call(app: Any, request: RawRequest) -> RawResponse:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": request.body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(request), receive, send)
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return RawResponse(request, sent[0]["status"], list(sent[0]["headers"]), body)


def call_many(app: Any, requests: Sequence[RawRequest]) -> list[RawResponse]:
    """Send `requests` one after another on one event loop (fast: no client, no sockets)."""

    async def run() -> list[RawResponse]:
        # One task per request, as a server does: context variables (Connexion keeps the
        # routed operation in one) never carry over from one request to the next.
        return [await asyncio.create_task(_call(app, r)) for r in requests]

    # On a thread of its own, as a server's event loop: the app's stack then starts as shallow
    # as under uvicorn, whatever runs the test (pytest-xdist's worker adds frames, and deeply
    # nested hostile JSON would otherwise meet the recursion limit earlier than in production).
    with ThreadPoolExecutor(max_workers=1) as loop_thread:
        return loop_thread.submit(asyncio.run, run()).result()


def raw_call(
    app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b""
) -> tuple[int, dict[bytes, bytes], Any]:
    """Return (status, headers, parsed JSON body) of one request."""
    (response,) = call_many(app, [RawRequest(method, path, headers, body)])
    return response.status, response.headers, response.json() if response.body else None
