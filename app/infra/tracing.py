"""OpenTelemetry traces, off unless configured: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`..._TRACES_ENDPOINT`) sends spans over OTLP/HTTP, `OTEL_TRACES_EXPORTER=console` prints
them; with neither (or `OTEL_SDK_DISABLED=true`) no provider is installed, every span is
OpenTelemetry's no-op, and the default costs nothing.

On: one trace per request (the ASGI server span, named by operationId once routed), the
database (SQLAlchemy), Redis and outgoing HTTP (httpx, and httpx2: the OpenAI and Anthropic
SDKs' client) as child spans, the GenAI client spans of `app.ai.tracing`, and Celery jobs
continuing the trace of the request that queued them. The exporter and sampler read the
standard `OTEL_*` variables themselves.
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry import trace

SERVICE_NAME = "spec-first-flask-llm-api"
_state: dict[str, bool] = {"installed": False}


def wanted(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none":
        return False
    endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    return bool(endpoint) or exporter in {"otlp", "console"}


def install() -> bool:
    """Install the tracer provider and the library instrumentations once per process, if
    configured; returns whether tracing is on."""
    if _state["installed"]:
        return True
    if not wanted():
        return False
    from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
    from opentelemetry.sdk.trace.export import (  # noqa: PLC0415
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SpanExporter,
    )

    exporter: SpanExporter
    if os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter,
        )

        exporter = OTLPSpanExporter()
    service = os.environ.get("OTEL_SERVICE_NAME", SERVICE_NAME)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    activate(provider)
    return True


def activate(provider: Any) -> None:
    """Make `provider` the process's tracer provider and instrument the libraries (what
    `install` does with the configured exporter; tests pass an in-memory one)."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor  # noqa: PLC0415
    from opentelemetry.instrumentation.httpx import (  # noqa: PLC0415
        HTTPX2ClientInstrumentor,
        HTTPXClientInstrumentor,
    )
    from opentelemetry.instrumentation.redis import RedisInstrumentor  # noqa: PLC0415

    if trace.get_tracer_provider() is not provider:  # set once per process (tests re-activate)
        trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    HTTPX2ClientInstrumentor().instrument()  # the OpenAI and Anthropic SDKs' HTTP client
    RedisInstrumentor().instrument()
    CeleryInstrumentor().instrument()  # type: ignore[no-untyped-call]
    _state["installed"] = True


def current_trace_id() -> str | None:
    """The current trace's id (32 lowercase hex digits) when tracing is on and a sampled
    span is current (a request's, a job's), else None: what a problem body quotes, to be
    looked up in the tracing UI (a sampled-out trace is not there)."""
    if not _state["installed"]:
        return None
    context = trace.get_current_span().get_span_context()
    if not (context.is_valid and context.trace_flags.sampled):
        return None
    return format(context.trace_id, "032x")


def log_ids(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: the current trace and span ids on every log line (when a span
    is recording), so a log line leads to its trace."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def trace_engine(engine: Any) -> None:
    """A client span per SQL statement on `engine`. Written here because the official
    SQLAlchemy instrumentation (0.66b2) refuses SQLAlchemy 2.1; the statement text is
    recorded, never its parameters."""
    from sqlalchemy import event  # noqa: PLC0415

    tracer = trace.get_tracer("app.db")
    system = engine.dialect.name

    @event.listens_for(engine, "before_cursor_execute")
    def _start(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        operation = statement.split(None, 1)[0].upper() if statement.strip() else "SQL"
        span = tracer.start_span(
            f"{operation} {system}",
            kind=trace.SpanKind.CLIENT,
            attributes={"db.system.name": system, "db.query.text": statement[:2000]},
        )
        _conn.info.setdefault("otel_spans", []).append(span)

    @event.listens_for(engine, "after_cursor_execute")
    def _end(_conn: Any, *_args: Any) -> None:
        spans = _conn.info.get("otel_spans")
        if spans:
            spans.pop().end()

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        spans = context.connection.info.get("otel_spans") if context.connection else None
        if spans:
            span = spans.pop()
            span.set_status(
                trace.Status(trace.StatusCode.ERROR, type(context.original_exception).__name__)
            )
            span.end()
