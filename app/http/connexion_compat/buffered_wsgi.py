"""a2wsgi's bridge with one hand-off per response instead of one per message (checklist item 11).

a2wsgi's `WSGIResponder` makes the Flask thread wait on the event loop for every ASGI
message: the status line, each body chunk and the final empty chunk, three round trips for
a plain JSON answer, each one a wake-up of the loop and a wait for the GIL under load. The
WSGI thread is the scarce resource (`WSGI_THREADS` per process), so those waits cap a
process's throughput when a handler holds its thread for long (a 500 ms provider call):
with 64 threads the limit is 128 req/s and every millisecond of hand-off comes off it.

A response that declares a `Content-Length` up to `BUFFER_LIMIT` is already in memory
(Flask computed the length from it): the thread returns it whole and the coroutine sends
it, so the thread is free as soon as the handler is. Anything else (no length, as a
generator response has, or a large body) streams exactly as a2wsgi does, with its
back-pressure (a bounded queue drained by a sender task). PEP 3333 allows holding the
headers until the first non-empty body chunk, which is all the buffered path does.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable, Iterable
from typing import Any, cast

from a2wsgi.wsgi import Body, WSGIMiddleware, WSGIResponder, build_environ

BUFFER_LIMIT = 1024 * 1024  # bytes of a declared Content-Length sent in one piece

Message = dict[str, Any]


class BufferedWSGIResponder(WSGIResponder):
    """One request. The buffered path never touches a2wsgi's queue or sender task."""

    def __init__(self, app: Any, executor: Any, send_queue_size: int, send: Any) -> None:
        super().__init__(app, executor, send_queue_size)
        self._asgi_send = send
        self._sender: asyncio.Task[None] | None = None
        self._held: list[Message] = []  # the whole response while it is buffered
        self._held_bytes = 0
        self._buffered = True

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        environ = build_environ(scope, Body(self.loop, receive))
        context = contextvars.copy_context()
        run = functools.partial(context.run, self._run, environ, self.start_response)
        try:
            held: list[Message] = await self.loop.run_in_executor(self.executor, run)
            if self._sender is not None:
                await self.send_queue.put(None)
                await self._sender  # it may raise what `send` raised
            for message in held:
                await send(message)
            if self.exc_info is not None:
                raise self.exc_info[0].with_traceback(self.exc_info[1], self.exc_info[2])
        finally:
            if self._sender is not None and not self._sender.done():
                self._sender.cancel()

    def start_response(
        self,
        status: str,
        response_headers: list[tuple[str, str]],
        exc_info: Any = None,
    ) -> Callable[[bytes], None]:
        self.exc_info = exc_info
        if not self.response_started:
            self.response_started = True
            headers = [
                (name.strip().encode("latin1").lower(), value.strip().encode("latin1"))
                for name, value in response_headers
            ]
            self._buffered = _declared_length(headers) is not None
            self._emit(
                {
                    "type": "http.response.start",
                    "status": int(status.split(" ", 1)[0]),
                    "headers": headers,
                }
            )
        return lambda chunk: self._emit(
            {"type": "http.response.body", "body": chunk, "more_body": True}
        )

    def _run(self, environ: Any, start_response: Any) -> list[Message]:
        """a2wsgi's `wsgi`, returning the buffered response instead of sending it."""
        iterable: Iterable[bytes] = self.app(environ, start_response)
        try:
            for chunk in iterable:
                if chunk:
                    self._emit({"type": "http.response.body", "body": chunk, "more_body": True})
            self._emit({"type": "http.response.body", "body": b""})
        finally:
            getattr(iterable, "close", lambda: None)()
        return self._collapsed() if self._buffered else []

    def _emit(self, message: Message) -> None:
        if self._buffered:
            self._held.append(message)
            self._held_bytes += len(message.get("body", b""))
            if self._held_bytes <= BUFFER_LIMIT:
                return
            self._buffered = False  # longer than it said, or than we hold: stream the rest
            held, self._held = self._held, []
            for earlier in held[:-1]:
                self._stream(earlier)
        self._stream(message)

    def _stream(self, message: Message) -> None:
        """a2wsgi's path: the loop sends it, and the thread waits while the queue is full."""
        if self._sender is None:
            asyncio.run_coroutine_threadsafe(self._start_sender(), self.loop).result()
        self.send(cast(Any, message))

    async def _start_sender(self) -> None:
        self._sender = self.loop.create_task(self.sender(self._asgi_send))

    def _collapsed(self) -> list[Message]:
        """The status line and the body as one final message."""
        start, *bodies = self._held
        return [start, {"type": "http.response.body", "body": b"".join(m["body"] for m in bodies)}]


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
            return length if 0 <= length <= BUFFER_LIMIT else None
    return None


class BufferedWSGIMiddleware(WSGIMiddleware):
    """`a2wsgi.WSGIMiddleware` whose HTTP responses go through `BufferedWSGIResponder`."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            responder = BufferedWSGIResponder(self.app, self.executor, self.send_queue_size, send)
            await responder(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
