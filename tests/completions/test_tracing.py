"""OpenTelemetry traces (issue 24 item 1, in part), recorded with the SDK's in-memory
exporter: one server span per request named by its operationId, a GenAI client span per
provider call (repairs as spans of their own), database spans inside the request's trace,
no prompt text unless OTEL_GENAI_CAPTURE_CONTENT=true, and trace ids in the log lines."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.testclient import TestClient

from app.ai import genai_semconv as gen_ai
from app.ai import tracing as ai_tracing
from app.infra import tracing
from app.main import create_app
from tests.auth_helpers import account
from tests.traced import EXPORTER, tracing_on


@pytest.fixture(scope="module", autouse=True)
def _traced() -> Iterator[None]:
    """The process's tracer provider (tests/traced.py) for this module; apps built by
    later tests in the same worker are untraced again (as by default)."""
    with tracing_on():
        yield


@pytest.fixture
def spans() -> InMemorySpanExporter:
    EXPORTER.clear()
    return EXPORTER


def _by_kind(found: tuple[ReadableSpan, ...], kind: SpanKind) -> list[ReadableSpan]:
    return [s for s in found if s.kind == kind]


@pytest.fixture
def repairing_app(make_settings: Any) -> Any:
    """Built in a fixture: building an app configures logging, before the test's capture."""
    return create_app(make_settings(ai_fake_invalid_answers=1))


def test_a_completion_is_one_trace_with_a_genai_span_per_call(
    repairing_app: Any, spans: InMemorySpanExporter, caplog: pytest.LogCaptureFixture
) -> None:
    app = repairing_app
    client = TestClient(app)
    who = account(app, client, "traced@example.com")
    spans.clear()
    with caplog.at_level(logging.INFO, logger="app.access"):
        response = client.post(
            "/api/v1/ai/completions",
            json={"prompt": "Summarise rain.", "response_schema": "TextSummary", "temperature": 0},
            headers=who.headers,
        )
    assert response.status_code == 200, response.text
    found = spans.get_finished_spans()
    (server,) = [s for s in _by_kind(found, SpanKind.SERVER) if s.name.endswith("createCompletion")]
    assert server.name == "POST createCompletion"
    calls = [s for s in _by_kind(found, SpanKind.CLIENT) if s.name == "chat fake-1"]
    assert [c.attributes[gen_ai.ATTEMPT] for c in calls] == [1, 2]  # the repair is its own span
    first = calls[0].attributes
    assert first[gen_ai.OPERATION_NAME] == "chat"
    assert first[gen_ai.PROVIDER_NAME] == first[gen_ai.SYSTEM] == "fake"
    assert first[gen_ai.REQUEST_MODEL] == "fake-1"
    assert first[gen_ai.OUTPUT_TYPE] == "json"
    assert calls[1].attributes[gen_ai.RESPONSE_MODEL] == "fake-1"
    assert calls[1].attributes[gen_ai.USAGE_OUTPUT_TOKENS] > 0
    assert tuple(calls[1].attributes[gen_ai.RESPONSE_FINISH_REASONS]) == ("stop",)
    assert gen_ai.INPUT_MESSAGES not in first  # no prompt text unless asked for
    # Everything is one trace: the provider calls and the database work under the request.
    trace_ids = {s.context.trace_id for s in calls} | {server.context.trace_id}
    assert len(trace_ids) == 1
    sql = [s for s in found if s.attributes.get("db.system.name")]
    assert sql
    assert {s.context.trace_id for s in sql} == trace_ids
    # The access log line carries the trace id.
    formatter = logging.getLogger().handlers[0].formatter
    assert formatter is not None
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name == "app.access"]
    assert any(line.get("trace_id") == format(server.context.trace_id, "032x") for line in lines)


def test_prompt_text_is_recorded_only_when_asked(
    make_settings: Any, spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ai_tracing.CAPTURE_ENV, "true")
    app = create_app(make_settings())
    client = TestClient(app)
    who = account(app, client, "captured@example.com")
    spans.clear()
    client.post("/api/v1/ai/completions", json={"prompt": "Say hi."}, headers=who.headers)
    (call,) = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert "Say hi." in str(call.attributes[gen_ai.INPUT_MESSAGES])
    assert "Fake answer" in str(call.attributes[gen_ai.OUTPUT_MESSAGES])


def test_a_stream_has_its_provider_span_and_failures_carry_their_code(
    make_settings: Any, spans: InMemorySpanExporter
) -> None:
    app = create_app(make_settings())
    client = TestClient(app)
    who = account(app, client, "streamed@example.com")
    spans.clear()
    with client.stream(
        "POST", "/api/v1/ai/completions/stream", json={"prompt": "Hi"}, headers=who.headers
    ) as response:
        assert response.status_code == 200
        body = "".join(response.iter_text())
    assert "event: done" in body
    (call,) = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert call.attributes[gen_ai.USAGE_OUTPUT_TOKENS] > 0

    failing = create_app(make_settings(ai_fake_fail_status=503))
    client = TestClient(failing)
    who = account(failing, client, "failing@example.com")
    spans.clear()
    response = client.post("/api/v1/ai/completions", json={"prompt": "x"}, headers=who.headers)
    code = response.json()["code"]
    assert response.status_code >= 500
    failed = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert failed
    assert failed[0].attributes[gen_ai.ERROR_TYPE] == code  # the problem's stable code
    assert failed[0].status.status_code.name == "ERROR"


def test_tracing_is_off_unless_configured() -> None:
    assert tracing.wanted({}) is False
    assert tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}) is True
    assert tracing.wanted({"OTEL_TRACES_EXPORTER": "console"}) is True
    assert (
        tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_SDK_DISABLED": "true"})
        is False
    )
    assert (
        tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_TRACES_EXPORTER": "none"})
        is False
    )
