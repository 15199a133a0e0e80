"""HTTP metrics, and `GET /metrics` (Prometheus text format), as one ASGI middleware.

It sits just inside the outermost middleware (so a scrape gets a request id and an access
log line too) and outside Connexion, so it sees every response, routing and validation errors
included. The operation label is the operationId Connexion's router recorded in the
scope, or `unmatched` for anything that matched no operation (unknown paths, the docs):
never the raw path. Scrapes are not counted themselves.

`/metrics` is served here, not by Flask: it holds no WSGI thread, and it stays outside the
API's spec like `/docs`. With `METRICS_TOKEN` set it needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.challenge import challenge
from app.http.problems import send_problem
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.infra import metrics

PATH = "/metrics"
UNMATCHED = "unmatched"
# Methods are labels as they are only when standard: a client can send any token.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, *, token: str | None) -> None:
        self.app = app
        self._token = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == PATH:
            await self._scrape(scope, send)
            return
        extensions: dict[str, Any] = scope.setdefault("extensions", {})
        status = 500  # an exception below, answered by the outermost middleware's last resort
        start = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        metrics.HTTP_IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            metrics.HTTP_IN_FLIGHT.dec()
            operation = extensions.get("connexion_routing", {}).get("operation_id") or UNMATCHED
            method = scope["method"] if scope["method"] in METHODS else "other"
            metrics.HTTP_REQUESTS.labels(method, operation, str(status)).inc()
            metrics.HTTP_DURATION.labels(operation).observe(time.perf_counter() - start)

    async def _scrape(self, scope: Scope, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        request_id = headers.get(_REQUEST_ID_KEY, b"").decode("latin-1")
        if scope["method"] not in ("GET", "HEAD"):
            await send_problem(
                send,
                status=405,
                code="method_not_allowed",
                detail=f"{scope['method']} is not allowed on {PATH}.",
                request_id=request_id,
                headers=[("Allow", "GET, HEAD")],
            )
            return
        if self._token is not None and not hmac.compare_digest(
            headers.get(b"authorization", b""), self._token
        ):
            await send_problem(
                send,
                status=401,
                code="not_authenticated",
                detail="The metrics need the bearer token set as METRICS_TOKEN.",
                request_id=request_id,
                headers=[("WWW-Authenticate", challenge())],
            )
            return
        # Multiprocess mode reads every worker's files: off the event loop.
        body = await anyio.to_thread.run_sync(metrics.render)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", metrics.CONTENT_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
