"""Reject request bodies over MAX_BODY_BYTES before anything parses them.

A declared Content-Length is checked up front. A chunked body (no Content-Length) is
read up to the limit and replayed, so a client cannot stream an unbounded body into the
JSON parser. Errors are raised as DomainErrors so the one error handler renders them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import DomainError


class BodySizeLimitMiddleware:
    """ASGI middleware enforcing a maximum request body size."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def _too_large(self) -> DomainError:
        return DomainError(
            f"The request body exceeds {self.max_body_bytes} bytes.", code="payload_too_large"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        declared = [v for k, v in scope.get("headers", []) if k == b"content-length"]
        if declared:
            if len(declared) > 1 or not declared[0].isdigit():
                raise DomainError("Content-Length must be one decimal integer.", code="bad_request")
            if int(declared[0]) > self.max_body_bytes:
                raise self._too_large()
            await self.app(scope, receive, send)
            return

        # No Content-Length: buffer (bounded) and replay.
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise self._too_large()
            if not message.get("more_body", False):
                break

        # Downstream (Connexion's body validator) decides "no body" from Content-Length, so
        # declare the length we now know instead of the chunked transfer.
        scope = dict(scope)
        scope["headers"] = [
            (k, v) for k, v in scope.get("headers", []) if k != b"transfer-encoding"
        ] + [(b"content-length", str(received).encode())]
        replay = iter(messages)

        async def replay_receive() -> Message:
            try:
                return next(replay)
            except StopIteration:
                return await receive()

        await self.app(scope, replay_receive, send)
