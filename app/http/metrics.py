"""HTTP metrics, and `GET /metrics` (Prometheus text format), for the edge pass
(`app.http.edge`): it counts every request outside Connexion, so it sees every response,
routing and validation errors included, and serves scrapes after giving them a request id
(they get an access log line too). The operation label is the operationId Connexion's
router recorded in the scope, or `unmatched` for anything that matched no operation
(unknown paths, the docs): never the raw path. Scrapes are not counted themselves.

`/metrics` is served here, not by Flask: it holds no WSGI thread, and it stays outside the
API's spec like `/docs`. With `METRICS_TOKEN` set it needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac

import anyio.to_thread
from starlette.types import Scope, Send

from app.http.challenge import challenge
from app.http.problems import send_problem
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.infra import metrics

PATH = "/metrics"
UNMATCHED = "unmatched"
# Methods are labels as they are only when standard: a client can send any token.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")


def record(method: str, operation: str | None, status: int, seconds: float) -> None:
    """Count one request (scrapes are not counted)."""
    label = method if method in METHODS else "other"
    metrics.HTTP_REQUESTS.labels(label, operation or UNMATCHED, str(status)).inc()
    metrics.HTTP_DURATION.labels(operation or UNMATCHED).observe(seconds)


async def scrape(scope: Scope, send: Send, token: bytes | None) -> None:
    """Answer `GET /metrics` (`token`: the `Authorization` value it needs, if any)."""
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
    if token is not None and not hmac.compare_digest(headers.get(b"authorization", b""), token):
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
