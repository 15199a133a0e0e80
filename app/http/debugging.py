"""Development aids on the request path, off unless configured (refused in production):

- `LOG_REQUEST_BODIES=true`: one `http_bodies` log record per request with the request and
  response bodies (JSON, at most `MAX_LOGGED_BYTES` each, streams left out) and headers,
  secrets redacted: passwords, tokens, keys, `Authorization`, `X-API-Key`, cookies.
- `PROFILE_REQUESTS=<share>`: that share of requests is profiled across threads
  (`app.infra.profiling`); the report lands in `PROFILE_DIR/<request id>.txt|.prof` and a
  `request_profiled` record names it.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.infra.profiling import profiled

log = structlog.get_logger("app.debug")

MAX_LOGGED_BYTES = 16 * 1024
REDACTED = "[redacted]"
# Keys whose values are secrets wherever they appear in a JSON body, compared in snake case
# (`apiKey` -> `api_key`): `password`, `new_password`, `refresh_token`, `client_secret`,
# `key`... but not `token_type` or `key_count`.
SECRET_KEY = re.compile(
    r"(^|_)(password|passwd|secret|token|key|authorization|cookie|credentials?)$|^password"
)
SECRET_HEADERS = frozenset(
    {"authorization", "x-api-key", "cookie", "set-cookie", "proxy-authorization"}
)


def redact(value: Any) -> Any:
    """`value` with every secret-looking member replaced (recursively)."""
    if isinstance(value, dict):
        return {k: REDACTED if _secret(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _secret(key: Any) -> bool:
    if not isinstance(key, str):
        return False
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower().replace("-", "_")
    return SECRET_KEY.search(snake) is not None


def _body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    if "json" in content_type:
        try:
            return redact(json.loads(raw[:MAX_LOGGED_BYTES]))
        except ValueError:
            pass
    text = raw[:MAX_LOGGED_BYTES].decode("utf-8", "replace")
    return f"{text}…" if len(raw) > MAX_LOGGED_BYTES else text


def _headers(headers: Headers) -> dict[str, str]:
    return {k: REDACTED if k in SECRET_HEADERS else v for k, v in headers.items()}


class DebugMiddleware:
    def __init__(
        self, app: ASGIApp, *, log_bodies: bool, profile_share: float, profile_dir: Path
    ) -> None:
        self.app = app
        self.log_bodies = log_bodies
        self.profile_share = profile_share
        self.profile_dir = profile_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.log_bodies or self.profile_share):
            await self.app(scope, receive, send)
            return
        if self.log_bodies:
            await self._logged(scope, receive, send)
        else:
            await self._maybe_profiled(scope, receive, send)

    async def _maybe_profiled(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.profile_share or random.random() >= self.profile_share:  # noqa: S311
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get(REQUEST_ID_HEADER, "") or "request"
        with profiled(self.profile_dir, request_id) as profile:
            await self.app(scope, receive, send)
        if profile is not None:
            log.info(
                "request_profiled",
                path=scope["path"],
                report=str(profile.text_path),
                pstats=str(profile.pstat_path),
            )

    async def _logged(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_chunks: list[bytes] = []
        response_chunks: list[bytes] = []
        response: dict[str, Any] = {}

        async def receive_logged() -> Message:
            message = await receive()
            if (
                message["type"] == "http.request"
                and sum(map(len, request_chunks)) < MAX_LOGGED_BYTES
            ):
                request_chunks.append(message.get("body", b""))
            return message

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = Headers(raw=list(message.get("headers", [])))
            elif message["type"] == "http.response.body":
                kind = response.get("headers", Headers()).get("content-type", "")
                small = sum(map(len, response_chunks)) < MAX_LOGGED_BYTES
                if "event-stream" not in kind and small:
                    response_chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self._maybe_profiled(scope, receive_logged, send_logged)
        finally:
            headers = Headers(scope=scope)
            out_headers: Headers = response.get("headers", Headers())
            log.info(
                "http_bodies",
                method=scope["method"],
                path=scope["path"],
                status=response.get("status"),
                request_headers=_headers(headers),
                request_body=_body(b"".join(request_chunks), headers.get("content-type", "")),
                response_headers=_headers(out_headers),
                response_body=_body(b"".join(response_chunks), out_headers.get("content-type", "")),
            )
