"""A client span per provider call, with the GenAI semantic conventions (`genai_semconv`).

With no tracer provider configured (the default: tracing is off unless an OTLP endpoint is
set) the spans are OpenTelemetry's no-op spans: nothing is recorded or allocated beyond
that. Prompt and answer text go on a span only with `OTEL_GENAI_CAPTURE_CONTENT=true`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from app.ai import genai_semconv as gen_ai
from app.ai.types import ProviderRequest, ProviderResult

_tracer = trace.get_tracer("app.ai", schema_url=gen_ai.SCHEMA_URL)
CAPTURE_ENV = "OTEL_GENAI_CAPTURE_CONTENT"
T = TypeVar("T")


def capture_content() -> bool:
    return os.environ.get(CAPTURE_ENV, "").strip().lower() == "true"


@contextmanager
def provider_call(
    provider: str, request: ProviderRequest, *, attempt: int = 1, current: bool = True
) -> Iterator[Span]:
    """The span of one provider call (a repair or a fallback is a call, and a span, of its
    own); errors are recorded with their stable code as `error.type`."""
    attributes: dict[str, Any] = {
        gen_ai.OPERATION_NAME: "chat",
        gen_ai.PROVIDER_NAME: gen_ai.PROVIDER_VALUES.get(provider, provider),
        gen_ai.SYSTEM: gen_ai.PROVIDER_VALUES.get(provider, provider),
        gen_ai.REQUEST_MODEL: request.model,
        gen_ai.OUTPUT_TYPE: "json" if request.output is not None else "text",
        gen_ai.ATTEMPT: attempt,
    }
    if request.prompt_version is not None:
        attributes[gen_ai.PROMPT_VERSION] = request.prompt_version
    if request.max_tokens is not None:
        attributes[gen_ai.REQUEST_MAX_TOKENS] = request.max_tokens
    if request.temperature is not None:
        attributes[gen_ai.REQUEST_TEMPERATURE] = request.temperature
    if capture_content():
        attributes[gen_ai.INPUT_MESSAGES] = json.dumps(
            [{"role": m.role, "content": m.content} for m in request.messages]
        )
    # A streamed call spans yields of an async generator: not made the current span across
    # them (its context would be detached in another task's context), only around each step
    # that does not yield (`current_during`).
    span = _tracer.start_span(f"chat {request.model}", kind=SpanKind.CLIENT, attributes=attributes)
    try:
        if current:
            with trace.use_span(span, end_on_exit=False, record_exception=False):
                yield span
        else:
            yield span
    except BaseException as exc:
        code = getattr(exc, "code", None) or type(exc).__name__
        span.set_attribute(gen_ai.ERROR_TYPE, str(code))
        span.set_status(Status(StatusCode.ERROR, str(code)))
        raise
    finally:
        span.end()


def record_result(span: Span, result: ProviderResult) -> None:
    """What the provider answered: model, usage, finish reason (and text, if captured)."""
    span.set_attribute(gen_ai.RESPONSE_MODEL, result.model)
    span.set_attribute(gen_ai.USAGE_INPUT_TOKENS, result.prompt_tokens)
    span.set_attribute(gen_ai.USAGE_OUTPUT_TOKENS, result.completion_tokens)
    span.set_attribute(gen_ai.RESPONSE_FINISH_REASONS, [result.finish_reason])
    if capture_content():
        span.set_attribute(
            gen_ai.OUTPUT_MESSAGES,
            json.dumps([{"role": "assistant", "content": result.text}]),
        )


async def current_during(span: Span, step: Awaitable[T]) -> T:
    """Await `step` (e.g. a stream's next chunk) with `span` current, so the spans begun
    there (the SDK's HTTP request) are its children. Made current and reset within this
    one await, never across a generator's yield."""
    with trace.use_span(span, end_on_exit=False, record_exception=False):
        return await step
