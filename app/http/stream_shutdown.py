"""Streams and the server's shutdown: each open stream registers with `ServerShutdown`,
which the gunicorn worker fires as its drain is about to end, so streams still open end
with an `error` event `server_shutting_down` instead of being cut; `settle_streams` waits
(bounded) for cancelled streams to record their usage before the pools close."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

import anyio

from app.errors import DomainError


class ProcessSlots(Protocol):
    """Open streams in this process (`hold` refuses past the cap)."""

    @property
    def open(self) -> int: ...

    def hold(self) -> AbstractContextManager[None]: ...


# Where the server's shutdown notice is kept (`flask_app.extensions`), for the worker.
SHUTDOWN_KEY = "server_shutdown"
SHUTTING_DOWN = DomainError(
    "The server is shutting down; send the request again (another instance will answer it).",
    code="server_shutting_down",
)


@dataclass(eq=False)  # hashed by identity: kept in a set while its stream is open
class ShutdownNotice:
    """One stream's registration: cancelling `scope` stops it; `fired` says shutdown did."""

    scope: anyio.CancelScope
    fired: bool = False

    def fire(self) -> None:
        self.fired = True
        self.scope.cancel()  # like a disconnect: closes the upstream, records usage


class ServerShutdown:
    """The server's notice that it stopped accepting connections: each open stream
    registers its cancel scope, and `begin` stops them all (called on the event loop)."""

    def __init__(self) -> None:
        self.started = False
        self._notices: set[ShutdownNotice] = set()

    def begin(self) -> None:
        self.started = True
        for notice in list(self._notices):
            notice.fire()

    @contextmanager
    def watch(self, scope: anyio.CancelScope) -> Iterator[ShutdownNotice]:
        notice = ShutdownNotice(scope)
        self._notices.add(notice)
        try:
            if self.started:
                notice.fire()
            yield notice
        finally:
            self._notices.discard(notice)


async def settle_streams(streams: ProcessSlots, seconds: float) -> None:
    """At shutdown, wait (bounded) until cancelled streams have closed their upstream and
    recorded their usage: the server cancels streams still open at its drain deadline and
    goes straight on to the app's shutdown, which closes the pools those records need."""
    with anyio.move_on_after(seconds):
        while streams.open:
            await anyio.sleep(0.05)
