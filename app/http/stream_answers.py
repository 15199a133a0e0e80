"""What a stream operation's handler gets and returns: the call (validated body, caller,
process-wide objects by type), and its answer (events, framed events, or one JSON body).
Served by `app.http.event_streams`."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from app.accounts.principal import Principal
from app.infra.registry import Registry

T = TypeVar("T")

# A stream handler's attribute: `body -> bool`, whether this request is answered as a stream.
ANSWERS_WITH_A_STREAM = (
    "answers_with_a_stream"  # closing the upstream and recording usage, after a disconnect
)


class StreamEvent(Protocol):
    """One event of a stream: its name and its data (sent as compact JSON)."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class StreamCall:
    """What a stream handler gets: the validated body, the authenticated caller and the
    process-wide objects by type (`get`). The handler calls its services itself (blocking
    work goes to a thread there), and returns the events; nothing calls back into this
    layer but the events' iteration."""

    body: Any
    principal: Principal
    registry: Registry
    request_id: str

    def get(self, kind: type[T]) -> T:
        return self.registry.get(kind)


def frame(event: str, data: Mapping[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


@dataclass(frozen=True)
class Framing:
    """How events go on the wire: this API's named events by default; another protocol's
    (the OpenAI-compatible endpoint's `data:`-only chunks and `[DONE]`) when a handler
    says so."""

    event: Callable[[StreamEvent], bytes] = lambda e: frame(e.name, e.data)
    error: Callable[[dict[str, Any]], bytes] = lambda problem: frame("error", problem)
    end: bytes = b""  # after the last event of a stream that ended well


@dataclass(frozen=True)
class FramedStream:
    events: AsyncGenerator[StreamEvent, None]
    framing: Framing


@dataclass(frozen=True)
class JsonAnswer:
    """A handler's answer that is not a stream (e.g. `stream: false`): one JSON body."""

    body: Mapping[str, Any]
    status: int = 200


StreamHandler = Callable[
    [StreamCall], Awaitable[AsyncGenerator[StreamEvent, None] | FramedStream | JsonAnswer]
]
