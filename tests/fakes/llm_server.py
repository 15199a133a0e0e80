"""A local HTTP server that speaks the OpenAI, Azure OpenAI and Anthropic wire formats, so
our providers are tested through the real SDKs (nothing of ours is patched).

    with LLMServer() as server:            # 127.0.0.1, a free port, stopped on exit
        server.script(Reply(text="hi"), Reply(status=429, headers={"retry-after": "0"}))
        base = server.openai_base_url      # or .azure_endpoint, .anthropic_base_url
        ...
        server.requests                    # what the SDK sent (path, headers, body)

Replies are served in order; with the script empty, every request gets `server.default`. A reply
with `json` answers structured requests (OpenAI json_schema content, Anthropic tool input); one
with `from_schema` answers the smallest instance of the schema the request sent (OpenAI
`response_format`, Anthropic's tool `input_schema`, or the schema quoted in a system message in
`instructions` mode), as a provider honouring that schema may: anything it allows, nothing more.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.instances import instance


class _Server(ThreadingHTTPServer):
    request_queue_size = 512  # hundreds of streams may connect at once


@dataclass
class Reply:
    text: str = "Hello from the fake LLM server."
    json: Any = None  # the structured answer (a dict), or a raw string that is not JSON
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Answer only once this many requests wait here together (proves they are in flight
    # at once, whatever the machine's load); a barrier that times out answers 500.
    barrier: threading.Barrier | None = None
    prompt_tokens: int = 11
    completion_tokens: int = 7
    finish_reason: str = "stop"  # OpenAI: stop|length|content_filter; Anthropic: end_turn...
    refusal: str | None = None
    error_message: str = "upstream says no: sk-secret-in-provider-error-body"
    stream_pause_s: float = 0.0  # between streamed events
    error_code: str | None = None  # OpenAI error `code` (e.g. context_length_exceeded)
    # Streams: wait for `hold` after `hold_after` events (OpenAI: the role chunk and the
    # first piece), and send an error event after `fail_after` answer pieces instead of the
    # rest (a mid-stream failure). Other requests wait for `hold` before answering at all
    # (a provider that hangs until the client's timeout, or until the test lets it go).
    hold: threading.Event | None = None
    hold_after: int = 2
    fail_after: int | None = None
    from_schema: bool = False  # answer the smallest instance of the schema that was sent
    # Garbage: this body as is (with `content_type`) instead of the provider's format, e.g.
    # a proxy's HTML error page or JSON of another shape.
    raw: bytes | None = None
    content_type: str = "application/json"
    # Streams: answer 200 and end without a single answer event (OpenAI: only `[DONE]`).
    no_events: bool = False


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: Any


class LLMServer:
    def __init__(self) -> None:
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        self.default = Reply()  # served when the script is empty
        self.in_flight = 0
        self.events_sent = 0  # streamed events written
        self.streams_cut = 0  # streams the client closed early
        self.max_in_flight = 0  # the most requests it was answering at once
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def azure_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- scripting -----------------------------------------------------------------
    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def _next(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else self.default

    def calls(self, suffix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?")[0].endswith(suffix)]

    # --- wire formats --------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                return

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            def _send_raw(self, status: int, raw: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _headers(self) -> dict[str, str]:
                return {k.lower(): v for k, v in self.headers.items()}

            def _stream(self, events: list[str], reply: Reply) -> None:
                """Server-sent events, one write each (`stream_pause_s` apart); stops
                quietly when the client goes away."""
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.close_connection = True
                try:
                    for n, event in enumerate(events):
                        self.wfile.write(event.encode())
                        self.wfile.flush()
                        server.events_sent += 1
                        if reply.hold is not None and n + 1 == reply.hold_after:
                            reply.hold.wait(timeout=60)
                        if reply.stream_pause_s:
                            time.sleep(reply.stream_pause_s)
                    if reply.hold is not None or reply.stream_pause_s:
                        # Give a client that already left the chance to be noticed.
                        self.wfile.write(b": end\n\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    server.streams_cut += 1

            def do_GET(self) -> None:
                server.requests.append(Seen("GET", self.path, self._headers(), None))
                if self.path.split("?")[0].endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake-model"}]}, {})
                else:
                    self._send(404, {"error": {"message": "no such path"}}, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                server.requests.append(Seen("POST", self.path, self._headers(), body))
                reply = server._next()
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._reply(reply, body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _reply(self, reply: Reply, body: Any) -> None:
                if reply.barrier is not None:
                    try:
                        reply.barrier.wait()
                    except threading.BrokenBarrierError:
                        self._send(500, {"error": {"message": "barrier broken"}}, {})
                        return
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                streamed = isinstance(body, dict) and body.get("stream")
                if reply.hold is not None and not streamed:
                    reply.hold.wait(timeout=60)
                path = self.path.split("?")[0]
                anthropic = path.endswith("/v1/messages")
                if not anthropic and _json_mode_without_the_word(body):
                    self._send(400, _JSON_MODE_ERROR, {})
                    return
                if reply.from_schema and isinstance(body, dict):
                    schema = _sent_schema(body, anthropic=anthropic)
                    if schema is not None:
                        reply = replace(reply, json=instance(schema))
                if reply.raw is not None:
                    self._send_raw(reply.status, reply.raw, reply.content_type)
                elif reply.status != 200:
                    self._send(reply.status, _error(reply, anthropic=anthropic), reply.headers)
                elif isinstance(body, dict) and body.get("stream"):
                    events = (
                        _anthropic_events(body, reply)
                        if anthropic
                        else _openai_events(body, reply, azure="/openai/deployments/" in path)
                    )
                    self._stream(events, reply)
                elif anthropic:
                    self._send(200, _anthropic_message(body, reply), reply.headers)
                elif path.endswith("/chat/completions"):
                    self._send(200, _openai_completion(body, reply), reply.headers)
                else:
                    self._send(404, {"error": {"message": "no such path"}}, {})

        return Handler


# OpenAI's answer to JSON mode without the word in the conversation (its documentation:
# "you must instruct the model to produce JSON yourself via a system or user message").
_JSON_MODE_ERROR = {
    "error": {
        "message": "'messages' must contain the word 'json' in some form, to use "
        "'response_format' of type 'json_object'.",
        "type": "invalid_request_error",
        "param": "messages",
        "code": None,
    }
}


def _json_mode_without_the_word(body: Any) -> bool:
    if not isinstance(body, dict) or (body.get("response_format") or {}).get("type") != (
        "json_object"
    ):
        return False
    said = json.dumps([m.get("content") for m in body.get("messages") or []])
    return "json" not in said.lower()


def _sent_schema(body: dict[str, Any], *, anthropic: bool) -> Any:
    """The JSON Schema a structured request asked for, however its dialect sends it."""
    if anthropic:
        tools = body.get("tools") or []
        return tools[0].get("input_schema") if tools else None
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    if fmt.get("type") == "json_object":
        # JSON mode promises an object, nothing more (a schema quoted in a message is only
        # advice to the model): the smallest answer it allows is `{}`.
        return {"type": "object"}
    for message in body.get("messages") or []:  # `instructions` mode: quoted in the prompt
        content = message.get("content")
        if message.get("role") == "system" and isinstance(content, str) and "{" in content:
            try:
                schema, _ = json.JSONDecoder().raw_decode(content[content.index("{") :])
            except ValueError:
                continue
            return schema
    return None


def _answer_text(reply: Reply) -> str:
    if reply.json is None:
        return reply.text
    return reply.json if isinstance(reply.json, str) else json.dumps(reply.json)


def _openai_completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": body.get("model", "unknown"),
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None if reply.refusal else _answer_text(reply),
                    "refusal": reply.refusal,
                },
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


def _anthropic_message(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    tools = body.get("tools") or []
    if tools and reply.json is not None and not isinstance(reply.json, str):
        content: list[dict[str, Any]] = [
            {"type": "tool_use", "id": "toolu_fake", "name": tools[0]["name"], "input": reply.json}
        ]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": _answer_text(reply)}]
        stop = {"stop": "end_turn", "length": "max_tokens"}.get(
            reply.finish_reason, reply.finish_reason
        )
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "unknown"),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": reply.prompt_tokens, "output_tokens": reply.completion_tokens},
    }


def _error(reply: Reply, *, anthropic: bool) -> dict[str, Any]:
    if anthropic:
        kinds = {
            400: "invalid_request_error",
            401: "authentication_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }
        kind = kinds.get(reply.status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": reply.error_message}}
    code = reply.error_code
    if code is None and reply.status == 400 and "filter" in reply.error_message:
        code = "content_filter"
    # OpenAI's error types: 429 `requests` (code rate_limit_exceeded), 5xx `server_error`.
    kind = "api_error"
    if reply.status == 429:
        kind, code = "requests", code or "rate_limit_exceeded"
    elif reply.status >= 500:
        kind = "server_error"
    return {"error": {"message": reply.error_message, "type": kind, "code": code}}


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


# Azure OpenAI opens every stream with the prompt's content-filter verdict: a chunk with no
# choices, an empty id and model (its docs: "prompt_filter_results" in the first chunk).
_AZURE_FILTER = {
    "id": "",
    "object": "",
    "created": 0,
    "model": "",
    "choices": [],
    "prompt_filter_results": [
        {
            "prompt_index": 0,
            "content_filter_results": {
                kind: {"filtered": False, "severity": "safe"}
                for kind in ("hate", "self_harm", "sexual", "violence")
            },
        }
    ],
}


def _openai_events(body: dict[str, Any], reply: Reply, *, azure: bool = False) -> list[str]:
    model = body.get("model", "unknown")
    opening = [f"data: {json.dumps(_AZURE_FILTER)}\n\n"] if azure else []
    if reply.no_events:
        return [*opening, "data: [DONE]\n\n"]

    def chunk(choices: list[Any], usage: Any = None) -> str:
        data = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": model,
            "choices": choices,
            "usage": usage,
        }
        return f"data: {json.dumps(data)}\n\n"

    events = [*opening, chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}}])]
    events += [
        chunk([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
        for piece in _pieces(_answer_text(reply))
    ]
    if reply.fail_after is not None:
        failure = {"error": {"message": reply.error_message, "type": "server_error"}}
        return [*events[: len(opening) + reply.fail_after + 1], f"data: {json.dumps(failure)}\n\n"]
    events.append(chunk([{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]))
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        }
        events.append(chunk([], usage))
    events.append("data: [DONE]\n\n")
    return events


def _anthropic_events(body: dict[str, Any], reply: Reply) -> list[str]:
    if reply.no_events:
        return []

    def event(kind: str, data: dict[str, Any]) -> str:
        return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n"

    stop = {"stop": "end_turn", "length": "max_tokens"}.get(
        reply.finish_reason, reply.finish_reason
    )
    message = {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "unknown"),
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": reply.prompt_tokens, "output_tokens": 1},
    }
    tool = (body.get("tool_choice") or {}).get("name")
    block = (
        {"type": "tool_use", "id": "toolu_fake", "name": tool, "input": {}}
        if tool
        else {"type": "text", "text": ""}
    )
    events = [
        event("message_start", {"message": message}),
        event("content_block_start", {"index": 0, "content_block": block}),
    ]
    events += [
        event(
            "content_block_delta",
            {
                "index": 0,
                "delta": (
                    {"type": "input_json_delta", "partial_json": p}
                    if tool
                    else {"type": "text_delta", "text": p}
                ),
            },
        )
        for p in _pieces(_answer_text(reply))
    ]
    if reply.fail_after is not None:
        failure = {"error": {"type": "overloaded_error", "message": reply.error_message}}
        return [*events[: reply.fail_after + 2], event("error", failure)]
    events += [
        event("content_block_stop", {"index": 0}),
        event(
            "message_delta",
            {
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": reply.completion_tokens},
            },
        ),
        event("message_stop", {}),
    ]
    return events
