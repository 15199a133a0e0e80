"""The edge pass: one ASGI middleware, outermost (inside tracing), doing for every request
what used to be five passes, in their order:

- the request id (`X-Request-ID`, accepted or generated) and one access log line, and the
  last-resort 500 for an exception nothing inside answered;
- the response policy (`app.http.response_policy`): security headers, private caching for
  credentialed requests, bodiless 204/304/HEAD;
- HTTP metrics, and `GET /metrics` itself (`app.http.metrics`);
- the API version headers of the version served (`app.http.api_versions`); paths outside
  the versioned API (`unversioned`: the scrape, the MCP endpoint) get the latest version's
  `API-Version` only;
- the X-RateLimit-* headers the admission pass decided on (`app.http.rate_limiting`),
  outside Connexion's exception middleware so error responses carry them too.

Every response, including the ones Connexion produces for routing and validation errors,
carries `X-Request-ID` and `API-Version`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from typing import Any

import structlog
from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http import metrics as http_metrics
from app.http.api_versions import ApiVersions, stamp_for, stamped
from app.http.problems import PROBLEM_MEDIA_TYPE, problem_body
from app.http.rate_limiting import STATE_KEY, RateLimitState
from app.http.request_id import HEADER, accept_or_generate
from app.http.response_policy import policy_send
from app.infra import metrics

_HEADER_KEY = HEADER.lower().encode("latin-1")
access_log = structlog.get_logger("app.access")


class EdgeMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        versions: ApiVersions,
        docs_prefix: str,
        metrics_token: str | None = None,
        unversioned: Collection[str] = (),
    ) -> None:
        self.app = app
        self.versions = versions
        self.latest = versions.latest.encode("latin-1")
        self.docs_prefix = docs_prefix
        self.metrics_token = f"Bearer {metrics_token}".encode() if metrics_token else None
        self.unversioned = frozenset({http_metrics.PATH, *unversioned})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _assign_request_id(scope)
        rid = request_id.encode("latin-1")
        # Connexion's routing middleware records the operationId into this dict.
        extensions: dict[str, Any] = scope.setdefault("extensions", {})
        path = scope["path"]
        scrape = path == http_metrics.PATH
        stamp = None if path in self.unversioned else stamp_for(self.versions, scope)
        rate = scope[STATE_KEY] = RateLimitState()
        outer = policy_send(scope, send, docs_prefix=self.docs_prefix)
        status = 500  # an exception below, answered by the last resort
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
                raw = rate.with_headers(list(message.get("headers", [])))
                if stamp is not None:
                    raw = stamped(raw, stamp)
                raw = [(k, v) for k, v in raw if k.lower() != _HEADER_KEY]
                raw.append((_HEADER_KEY, rid))
                if stamp is None and not any(k.lower() == b"api-version" for k, _ in raw):
                    raw.append((b"api-version", self.latest))
                message = {**message, "headers": raw}
            await outer(message)

        if not scrape:
            metrics.HTTP_IN_FLIGHT.inc()
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                if scrape:
                    await http_metrics.scrape(scope, send_wrapper, self.metrics_token)
                else:
                    await self.app(scope, receive, send_wrapper)
            except Exception:
                access_log.exception("unhandled_error_outside_app")
                if not started:
                    await _send_internal_error(send_wrapper, request_id)
            finally:
                elapsed = time.perf_counter() - start
                operation = extensions.get("connexion_routing", {}).get("operation_id")
                if not scrape:
                    metrics.HTTP_IN_FLIGHT.dec()
                    http_metrics.record(scope["method"], operation, status, elapsed)
                access_log.info(
                    "request",
                    method=scope.get("method"),
                    path=path,
                    operation_id=operation,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                )


def _assign_request_id(scope: Scope) -> str:
    """Accept the client's request id when it is safe, else make one; downstream code
    (Flask handlers, error handlers) reads the sanitised value from the request headers."""
    headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
    incoming = next((v for k, v in headers if k == _HEADER_KEY), None)
    request_id = accept_or_generate(incoming.decode("latin-1") if incoming is not None else None)
    headers = [(k, v) for k, v in headers if k != _HEADER_KEY]
    headers.append((_HEADER_KEY, request_id.encode("latin-1")))
    scope["headers"] = headers
    return request_id


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
