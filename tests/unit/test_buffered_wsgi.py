"""The WSGI bridge hands a response with a known, small length over in one piece, and
streams everything else as a2wsgi does (chunk by chunk, with back-pressure)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.http.connexion_compat.buffered_wsgi import BUFFER_LIMIT, BufferedWSGIMiddleware

StartResponse = Callable[..., Any]


def _scope(method: str = "GET") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/x",
        "raw_path": b"/x",
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }


def _serve(app: Any, *, on_message: Callable[[dict[str, Any]], None] | None = None) -> list[Any]:
    """Run one request through the bridge; return the ASGI messages it sent."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if on_message is not None:
            on_message(message)

    async def main() -> None:
        bridge = BufferedWSGIMiddleware(app, workers=2)
        try:
            await asyncio.wait_for(bridge(_scope(), receive, send), timeout=10)
        finally:
            bridge.executor.shutdown(wait=False)

    asyncio.run(main())
    return sent


def _body(sent: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_response_with_a_small_declared_length_is_sent_as_one_message() -> None:
    def app(_environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("201 Created", [("Content-Length", "11"), ("X-A", "b")])
        return [b"hello", b" ", b"world"]

    sent = _serve(app)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 201
    assert (b"x-a", b"b") in sent[0]["headers"]
    assert sent[1]["body"] == b"hello world"
    assert not sent[1].get("more_body", False)


def test_the_thread_is_free_before_the_response_is_sent() -> None:
    # The buffered path: the handler's thread has returned by the time the loop sends.
    finished = threading.Event()

    def app(_environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Length", "2")])
        yield b"ok"
        finished.set()

    seen: list[bool] = []
    _serve(app, on_message=lambda _m: seen.append(finished.is_set()))
    assert seen == [True, True]


def test_a_response_without_a_length_streams_each_chunk_as_it_comes() -> None:
    # A generator (server-sent data, a download) must reach the client chunk by chunk: the
    # second chunk is produced only once the first one has been sent.
    first_sent = threading.Event()

    def app(_environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"first"
        assert first_sent.wait(5), "the first chunk was held back"
        yield b"second"

    def on_message(message: dict[str, Any]) -> None:
        if message.get("body") == b"first":
            first_sent.set()

    sent = _serve(app, on_message=on_message)
    assert sent[0]["type"] == "http.response.start"
    assert [m.get("body") for m in sent[1:]] == [b"first", b"second", b""]
    assert sent[-1].get("more_body", False) is False


def test_a_large_declared_length_streams() -> None:
    big = b"x" * (BUFFER_LIMIT + 1)

    def app(_environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Length", str(len(big)))])
        return [big[:10], big[10:]]

    sent = _serve(app)
    assert len(sent) == 4  # start, two chunks, the end
    assert _body(sent) == big


def test_a_body_longer_than_declared_switches_to_streaming_in_order() -> None:
    chunks = [b"a" * 1000, b"b" * BUFFER_LIMIT, b"c" * 10]

    def app(_environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "1000")])
        return chunks

    sent = _serve(app)
    assert sent[0]["type"] == "http.response.start"
    assert _body(sent) == b"".join(chunks)
    assert sent[-1].get("more_body", False) is False


@pytest.mark.parametrize("length", ["abc", "-1"])
def test_a_malformed_length_streams(length: str) -> None:
    def app(_environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Length", length)])
        return [b"data"]

    sent = _serve(app)
    assert len(sent) == 3
    assert _body(sent) == b"data"


def test_an_error_before_the_response_reaches_the_server() -> None:
    def app(_environ: dict[str, Any], _start_response: StartResponse) -> list[bytes]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        _serve(app)


def test_the_iterable_is_closed() -> None:
    closed = threading.Event()

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            yield b"ok"

        def close(self) -> None:
            closed.set()

    def app(_environ: dict[str, Any], start_response: StartResponse) -> Body:
        start_response("200 OK", [("Content-Length", "2")])
        return Body()

    assert _body(_serve(app)) == b"ok"
    assert closed.is_set()
