"""Admit request bodies: reject those over MAX_BODY_BYTES before anything parses them,
and give their media type one spelling (`app.http.media_types`) before routing.

A declared Content-Length is checked up front. A chunked body (no Content-Length) is
read up to the limit and replayed, so a client cannot stream an unbounded body into the
JSON parser. A repeated Content-Type is refused: layers would disagree on which one counts
(Werkzeug joins them). Errors are raised as DomainErrors so the one error handler renders
them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import DomainError
from app.http.media_types import canonical_content_type

_LENGTH = b"content-length"
_TYPE = b"content-type"


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

        scope, declared = _admit_headers(scope)
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
        ] + [(_LENGTH, str(received).encode())]
        replay = iter(messages)

        async def replay_receive() -> Message:
            try:
                return next(replay)
            except StopIteration:
                return await receive()

        await self.app(scope, replay_receive, send)


def _admit_headers(scope: Scope) -> tuple[Scope, list[bytes]]:
    """The scope with its one Content-Type in the canonical spelling, and the declared
    Content-Length values (one pass over the headers)."""
    declared: list[bytes] = []
    types: list[bytes] = []
    for name, value in scope.get("headers", []):
        if name == _LENGTH:
            declared.append(value)
        elif name == _TYPE:
            types.append(value)
    if types:
        if len(types) > 1:
            raise DomainError("Send one Content-Type header.", code="bad_request")
        canonical = canonical_content_type(types[0])
        if canonical != types[0]:
            scope = dict(scope)
            scope["headers"] = [(k, canonical if k == _TYPE else v) for k, v in scope["headers"]]
    return scope, declared
