"""Outermost ASGI middleware: request id, response headers, access log, last-resort 500.

It sits outside Connexion's own middleware so that every response, including the ones
Connexion produces for routing and validation errors, carries `X-Request-ID` and
`API-Version`, and every request yields exactly one access log line.
"""

from __future__ import annotations

import json
import time
from typing import Any

import structlog
from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.problems import PROBLEM_MEDIA_TYPE, problem_body
from app.http.request_id import HEADER, accept_or_generate

_HEADER_KEY = HEADER.lower().encode("latin-1")
access_log = structlog.get_logger("app.access")


class OutermostMiddleware:
    """Assigns the request id, stamps response headers and logs the request."""

    def __init__(self, app: ASGIApp, *, api_version: str) -> None:
        self.app = app
        self.api_version = api_version.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        incoming = next((v for k, v in headers if k == _HEADER_KEY), None)
        request_id = accept_or_generate(
            incoming.decode("latin-1") if incoming is not None else None
        )
        # Downstream code (Flask handlers, error handlers) reads the sanitised value.
        headers = [(k, v) for k, v in headers if k != _HEADER_KEY]
        headers.append((_HEADER_KEY, request_id.encode("latin-1")))
        scope["headers"] = headers
        # Connexion's routing middleware records the operationId into this dict.
        extensions: dict[str, Any] = scope.setdefault("extensions", {})

        status = 500
        started = False
        start = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                # Routed by now; the server span ends with the response's last body.
                routed = extensions.get("connexion_routing", {}).get("operation_id")
                _name_the_server_span(scope.get("method"), routed)
                started = True
                status = message["status"]
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != _HEADER_KEY]
                raw.append((_HEADER_KEY, request_id.encode("latin-1")))
                # The version middleware inside stamps the version it served; responses
                # that never reach it (a scrape, the last-resort 500) get the latest.
                if not any(k.lower() == b"api-version" for k, _ in raw):
                    raw.append((b"api-version", self.api_version))
                message = {**message, "headers": raw}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception:
                access_log.exception("unhandled_error_outside_app")
                if not started:
                    await self._send_internal_error(send_wrapper, request_id)
            finally:
                routing = extensions.get("connexion_routing", {})
                access_log.info(
                    "request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    operation_id=routing.get("operation_id"),
                    status=status,
                    duration_ms=round((time.perf_counter() - start) * 1000, 2),
                )

    @staticmethod
    async def _send_internal_error(send: Send, request_id: str) -> None:
        body = json.dumps(
            problem_body(
                status=500,
                code="internal_error",
                detail="An unexpected error occurred. Quote the request id when reporting it.",
                request_id=request_id,
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _name_the_server_span(method: str | None, operation_id: str | None) -> None:
    """With tracing on, the request's server span is named by its operation (known only
    once Connexion has routed it), e.g. `POST createItem`, not by its raw path."""
    span = trace.get_current_span()
    if operation_id and span.is_recording():
        span.update_name(f"{method} {operation_id}")
        span.set_attribute("app.operation_id", operation_id)
