"""Tracing on, in a test: the process's one tracer provider (OpenTelemetry lets a process
set it once) with the SDK's in-memory exporter, shared by every traced test module, and
tracing off again afterwards so that apps built by later tests in the worker are untraced
(as by default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.instrumentation.httpx import HTTPX2ClientInstrumentor, HTTPXClientInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from app.infra import tracing

EXPORTER = InMemorySpanExporter()
PROVIDER = TracerProvider()
PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))


@contextmanager
def tracing_on() -> Iterator[InMemorySpanExporter]:
    """Apps built inside the block are traced into `EXPORTER` (cleared on entry)."""
    if not tracing._state["installed"]:
        tracing.activate(PROVIDER)
    EXPORTER.clear()
    try:
        yield EXPORTER
    finally:
        tracing._state["installed"] = False
        HTTPXClientInstrumentor().uninstrument()
        HTTPX2ClientInstrumentor().uninstrument()
        RedisInstrumentor().uninstrument()
        EXPORTER.clear()


def server_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    """The one request's server span among the finished spans."""
    (server,) = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    return server


def hex_trace_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")
