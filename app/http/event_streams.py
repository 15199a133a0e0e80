"""Operations that answer with server-sent events, served on the event loop.

An operation whose handler is a coroutine function (`async def`) is served here, not by
Flask: Connexion has already routed it, the admission pass has authenticated it (the auth
pipeline, `app.http.auth_pipeline`) and Connexion has validated its body (this middleware
is the innermost one); here the pipeline's account step runs in a thread (as Flask's
before-request hook does), then the handler returns the stream's events (the types a
handler gets and returns: `app.http.stream_answers`; shutdown: `app.http.stream_shutdown`).
Like Flask, this finds the handler by routing and hands it what it asks for
(`StreamCall.get`), knowing neither the handler's package nor its events' type.

Why not Flask: a stream is open for the whole answer. Behind a2wsgi a WSGI generator holds
one of the `WSGI_THREADS` threads per stream and never learns that the client left
(a2wsgi keeps iterating after uvicorn drops the sends), so the provider would keep
generating, and billing, to the end. Here a stream holds no thread, the disconnect is seen
(`http.disconnect`) and cancels the stream, which closes the upstream request.

Framing: `event: <name>` + `data: <compact JSON>`; `: heartbeat` comments every
`AI_STREAM_HEARTBEAT_S` of silence; a DomainError mid-stream becomes `event: error` with
the problem document, and the stream ends. When a shutting-down server's drain is about
to end (`ServerShutdown.begin`, called by the gunicorn worker), streams still open end
with an `error` event `server_shutting_down` (send the request again) instead of being
cancelled by the server (which logs errors and leaves the client without `error` or
`done`).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any, Protocol

import anyio
import anyio.to_thread
import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts.principal import Principal
from app.errors import AuthenticationError, DomainError
from app.http import connexion_compat, validation
from app.http.auth_pipeline import AuthPipeline, admission_of
from app.http.problems import problem_body, status_for
from app.http.request_id import HEADER as REQUEST_ID_HEADER
from app.http.response_policy import PRIVATE_HEADERS
from app.http.stream_answers import (
    ANSWERS_WITH_A_STREAM,
    FramedStream,
    Framing,
    JsonAnswer,
    StreamCall,
    StreamEvent,
    StreamHandler,
)
from app.http.stream_shutdown import SHUTTING_DOWN, ProcessSlots, ServerShutdown
from app.infra.db import UnitOfWork
from app.infra.registry import Registry

log = structlog.get_logger(__name__)

MEDIA_TYPE = "text/event-stream"
HEARTBEAT = b": heartbeat\n\n"
CLOSE_TIMEOUT_S = 10.0


class UserSlots(Protocol):
    """Open streams per user (`hold` refuses past the per-user cap)."""

    def hold(self, user_id: int) -> AbstractAsyncContextManager[None]: ...


class EventStreamMiddleware:
    """Serves the operations in `handlers` (operationId -> coroutine handler)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        handlers: Mapping[str, StreamHandler],
        registry: Registry,
        unit_of_work: Callable[[], UnitOfWork],
        pipeline: AuthPipeline,
        slots: ProcessSlots,
        user_slots: UserSlots,
        heartbeat_s: float,
        api_version: str,
        shutdown: ServerShutdown | None = None,
    ) -> None:
        self.app = app
        self.handlers = dict(handlers)
        self.registry = registry
        self.unit_of_work = unit_of_work
        self.pipeline = pipeline
        self.slots = slots
        self.user_slots = user_slots
        self.shutdown = shutdown or ServerShutdown()
        self.heartbeat_s = heartbeat_s
        self.api_version = api_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        op = connexion_compat.operation_id(scope) if scope["type"] == "http" else None
        handler = self.handlers.get(op) if op is not None else None
        if handler is None or op is None:
            await self.app(scope, receive, send)
            return
        await _read_body(receive)  # drained, so `receive` next reports a disconnect
        validated, body = connexion_compat.validated_body(scope)
        if not validated:  # never parse a body the spec's validation did not accept
            raise validation.missing_body()
        # 503 stream_capacity_reached past AI_STREAM_MAX_OPEN (this process), then 429
        # too_many_streams past AI_STREAM_MAX_OPEN_PER_USER; both slots are given back
        # however the stream ends (done, error, the client leaving, shutdown). A handler
        # that answers some requests in one piece says which (`answers_with_a_stream`):
        # those hold no stream slot.
        streams = getattr(handler, ANSWERS_WITH_A_STREAM, None)
        stream = streams is None or bool(streams(body))
        with self.slots.hold() if stream else nullcontext():
            request_id = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
            principal = await anyio.to_thread.run_sync(self._authenticate, scope, op)
            held = self.user_slots.hold(principal.user_id) if stream else nullcontext()
            async with held:
                call = StreamCall(body, principal, self.registry, request_id)
                answer = await handler(call)  # refusals before the stream: ordinary problems
                if isinstance(answer, JsonAnswer):
                    await self._send_json(answer, send, request_id)
                elif isinstance(answer, FramedStream):
                    await self._serve(answer.events, receive, send, request_id, answer.framing)
                else:
                    await self._serve(answer, receive, send, request_id, Framing())

    def _authenticate(self, scope: Scope, op: str) -> Principal:
        """The auth pipeline's account step (what Flask's before-request hook runs), in a
        thread: the admission pass authenticated the request already."""
        with self.unit_of_work() as uow:
            principal = self.pipeline.principal(uow, admission_of(scope), op)
        if principal is None:  # a stream operation without security: not supported
            raise AuthenticationError(
                "not_authenticated", "Credentials are required.", invalid_token=False
            )
        return principal

    def _headers(self, media_type: str, request_id: str) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-type", media_type.encode()),
            *((k.lower().encode(), v.encode()) for k, v in PRIVATE_HEADERS.items()),
            (REQUEST_ID_HEADER.lower().encode(), request_id.encode("latin-1")),
            (b"api-version", self.api_version.encode("latin-1")),
        ]

    async def _send_json(self, answer: JsonAnswer, send: Send, request_id: str) -> None:
        body = json.dumps(answer.body, separators=(",", ":")).encode()
        headers = self._headers("application/json", request_id)
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _serve(
        self,
        events: AsyncGenerator[StreamEvent, None],
        receive: Receive,
        send: Send,
        request_id: str,
        framing: Framing,
    ) -> None:
        """Send the events as they come. The 200 goes out with the first event (or the
        first heartbeat), so a provider that refuses at once (401, 429, ...) is an ordinary
        problem response with its status; a failure after that is an `error` event."""
        start = {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                *self._headers(f"{MEDIA_TYPE}; charset=utf-8", request_id),
                (b"x-accel-buffering", b"no"),  # nginx: pass events through at once
            ],
        }
        lock = anyio.Lock()
        started = False
        last_sent = time.monotonic()
        failure: BaseException | None = None
        disconnected = False
        ended = False  # `done` sent: no heartbeat may follow it (usage is still recorded)

        async def emit(raw: bytes) -> None:
            nonlocal last_sent, started
            async with lock:
                if not started:
                    await send(start)
                    started = True
                await send({"type": "http.response.body", "body": raw, "more_body": True})
                last_sent = time.monotonic()

        async def heartbeats() -> None:
            while True:
                await anyio.sleep(max(0.0, last_sent + self.heartbeat_s - time.monotonic()))
                if not ended and time.monotonic() - last_sent >= self.heartbeat_s:
                    await emit(HEARTBEAT)

        async def watch_disconnect(scope: anyio.CancelScope) -> None:
            nonlocal disconnected
            if await _disconnected(receive):
                disconnected = True
                scope.cancel()  # the client left: stop the stream (closes the upstream)

        async with anyio.create_task_group() as tasks:
            with self.shutdown.watch(tasks.cancel_scope) as shutdown:
                tasks.start_soon(watch_disconnect, tasks.cancel_scope)
                tasks.start_soon(heartbeats)
                try:
                    try:
                        async for event in events:
                            await emit(framing.event(event))
                            ended = event.name == "done"
                    finally:
                        # Also when cancelled (the client left): shielded, so closing the
                        # upstream request and recording usage run to the end.
                        with anyio.CancelScope(shield=True), anyio.move_on_after(CLOSE_TIMEOUT_S):
                            await events.aclose()
                except Exception as exc:
                    failure = exc
                    if started:
                        await emit(framing.error(self._problem(failure, request_id)))
                tasks.cancel_scope.cancel()  # stop the heartbeats and the disconnect watch
        if disconnected:
            return
        if shutdown.fired and failure is None:
            failure = SHUTTING_DOWN  # a problem response if nothing was sent yet
            if started:
                await emit(framing.error(self._problem(failure, request_id)))
        await self._end(send, start, started, failure, framing.end)

    @staticmethod
    async def _end(
        send: Send, start: Message, started: bool, failure: BaseException | None, tail: bytes
    ) -> None:
        """The last body message: with the framing's end marker (`data: [DONE]`) when the
        stream ended well."""
        if failure is not None and not started:
            raise failure  # nothing sent yet: the error handlers answer with a problem
        if not started:  # the provider sent nothing at all (an empty answer and no usage)
            await send(start)
        body = tail if failure is None else b""
        await send({"type": "http.response.body", "body": body, "more_body": False})

    @staticmethod
    def _problem(exc: BaseException, request_id: str) -> dict[str, Any]:
        """An `error` event's data: the problem document the error would have had."""
        if not isinstance(exc, DomainError):
            log.error("ai_stream_internal_error", exc_info=exc)
            exc = DomainError(
                "An unexpected error occurred. Quote the request id when reporting it.",
                code="internal_error",
            )
        status = status_for(exc.code)
        if status >= 500:
            log.warning("ai_stream_failed", code=exc.code, detail=exc.detail)
        return problem_body(
            status=status,
            code=exc.code,
            detail=exc.detail,
            request_id=request_id,
            errors=exc.errors,
        )


async def _disconnected(receive: Receive) -> bool:
    """Wait for the client to leave (True), or False if the server cannot say."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return True
        if message["type"] == "http.request" and not message.get("more_body"):
            # The body again: this server cannot tell us about a disconnect (ASGI says
            # receive() waits for one); stop asking rather than spin.
            return False


async def _read_body(receive: Receive) -> bytes:
    """The request body (size-checked, parsed and validated by the middleware before)."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)
