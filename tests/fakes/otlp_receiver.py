"""A local OTLP/HTTP trace receiver: what a collector is to the exporter, on 127.0.0.1.

    with OTLPReceiver() as receiver:           # a free port, stopped on exit
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
        ...
        receiver.spans                         # every span received, decoded (Span rows)

It accepts `POST /v1/traces` with a protobuf `ExportTraceServiceRequest` (gzip or not, as
the exporter's `OTEL_EXPORTER_OTLP_COMPRESSION` says) and answers the empty
`ExportTraceServiceResponse`; anything else gets 404 (a wrong path) or 400 (a body that is
not such a message). With `keep=False` it only counts (the benchmark's discarding sink,
bench/otlp_sink.py); `GET /stats` says how many requests, bytes and spans it took.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

PATH = "/v1/traces"
PROTOBUF = "application/x-protobuf"
SERVER, CLIENT = 2, 3  # opentelemetry.proto.trace.v1.Span.SpanKind


@dataclass(frozen=True)
class Span:
    """One received span, with ids as lowercase hex and attributes as plain values."""

    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_span_id: str
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    service: str | None


def _value(value: AnyValue) -> Any:
    which = value.WhichOneof("value")
    if which == "array_value":
        return [_value(v) for v in value.array_value.values]
    if which == "kvlist_value":
        return {kv.key: _value(kv.value) for kv in value.kvlist_value.values}
    return getattr(value, which) if which else None


def decode(body: bytes) -> list[Span]:
    """The spans of one export request (raises DecodeError for anything else)."""
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    found = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append(
                    Span(
                        name=span.name,
                        kind=span.kind,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        start_ns=span.start_time_unix_nano,
                        end_ns=span.end_time_unix_nano,
                        attributes={a.key: _value(a.value) for a in span.attributes},
                        service=resource.get("service.name"),
                    )
                )
    return found


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class OTLPReceiver:
    def __init__(self, *, keep: bool = True, port: int = 0) -> None:
        self.keep = keep
        self.spans: list[Span] = []
        self.requests = self.bytes = self.span_count = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), self._handler())
        self.port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OTLPReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def serve_forever(self) -> None:
        """Serve in this thread (the benchmark's sink process) until interrupted."""
        self._server.serve_forever()

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"requests": self.requests, "bytes": self.bytes, "spans": self.span_count}

    def _received(self, body: bytes) -> None:
        spans = decode(body) if self.keep else []
        with self._lock:
            self.requests += 1
            self.bytes += len(body)
            if self.keep:
                self.spans.extend(spans)
                self.span_count += len(spans)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                body = json.dumps(receiver.stats()).encode()
                self._answer(200, body, "application/json")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != PATH:
                    self._answer(404, b"", "text/plain")
                    return
                try:
                    if self.headers.get("Content-Encoding") == "gzip":
                        body = gzip.decompress(body)
                    receiver._received(body)
                except (DecodeError, OSError, EOFError):
                    self._answer(400, b"not an ExportTraceServiceRequest", "text/plain")
                    return
                ok = ExportTraceServiceResponse().SerializeToString()
                self._answer(200, ok, PROTOBUF)

        return Handler
