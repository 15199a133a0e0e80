"""OpenTelemetry traces (issue 24 item 1, in part), recorded with the SDK's in-memory
exporter: one server span per request named by its operationId, a GenAI client span per
provider call (repairs as spans of their own), database spans inside the request's trace,
no prompt text unless OTEL_GENAI_CAPTURE_CONTENT=true, and trace ids in the log lines."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import select
from starlette.testclient import TestClient

from app.ai import genai_semconv as gen_ai
from app.ai import tracing as ai_tracing
from app.ai.prompts import recipe_v1
from app.completions.models import AIUsage
from app.evals.task import Runner, prompts
from app.infra import tracing
from app.main import create_app
from tests.auth_helpers import account, resources
from tests.fakes.llm_server import LLMServer, Reply
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


def test_the_prompt_version_labels_the_genai_span(
    make_settings: Any, spans: InMemorySpanExporter
) -> None:
    app = create_app(make_settings())
    client = TestClient(app)
    who = account(app, client, "versioned@example.com")
    spans.clear()
    response = client.post(
        "/api/v1/recipes/generate", json={"ingredients": ["egg", "rice"]}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["prompt_version"] == recipe_v1.VERSION
    calls = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert calls
    assert {c.attributes[gen_ai.PROMPT_VERSION] for c in calls} == {recipe_v1.VERSION}
    with resources(app).db.transaction() as session:
        rows = list(session.exec(select(AIUsage)).all())
    assert [r.prompt_version for r in rows] == [recipe_v1.VERSION]  # the same version

    # A user's own prompt is no versioned prompt of ours: no attribute, no empty string.
    spans.clear()
    client.post("/api/v1/ai/completions", json={"prompt": "Hi"}, headers=who.headers)
    (call,) = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert gen_ai.PROMPT_VERSION not in call.attributes


def test_an_eval_case_span_names_its_prompt_version(
    make_settings: Any, spans: InMemorySpanExporter
) -> None:
    app = create_app(make_settings())
    gateway = resources(app).ai
    runner = Runner(gateway, None, None, retries=0)
    prompt = prompts(gateway.schemas.names)["recipe"]
    schema = gateway.schemas.get(prompt.schema)
    spans.clear()
    outcome = runner.ask(prompt.messages({"ingredients": ["egg"]}), schema, prompt.version)
    assert outcome.error is None
    (call,) = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert call.attributes[gen_ai.PROMPT_VERSION] == "recipe/v1"
    # The LLM-as-judge call is not the prompt under test: no version on its span.
    spans.clear()
    runner.judge("Any recipe passes.", outcome.answer)
    (judged,) = [s for s in spans.get_finished_spans() if s.name == "chat fake-1"]
    assert gen_ai.PROMPT_VERSION not in judged.attributes


def test_a_streams_server_span_ends_when_the_stream_does(
    make_settings: Any, llm: LLMServer, spans: InMemorySpanExporter
) -> None:
    """The handler returns a stream at once; the server span must cover every event sent
    (the provider pauses between its pieces) and hold the provider call's span."""
    app = create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key="sk-traced",
            ai_base_url=llm.openai_base_url,
            ai_max_retries=0,
        )
    )
    who = account(app, TestClient(app), "stream-span@example.com")
    llm.default = Reply(text="one two three four", stream_pause_s=0.15)
    sent: list[tuple[int, dict[str, Any]]] = []
    body = json.dumps({"prompt": "count"}).encode()

    async def receive() -> dict[str, Any]:
        if not sent:
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(60)  # the client stays until the stream ends
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append((time.time_ns(), message))

    spans.clear()
    asyncio.run(asyncio.wait_for(app(_stream_scope(body, who.access), receive, send), 30))
    bodies = [(t, m) for t, m in sent if m["type"] == "http.response.body"]
    assert b"event: done" in b"".join(m.get("body", b"") for _, m in bodies)
    first_event, last_sent = bodies[0][0], bodies[-1][0]
    assert last_sent - first_event > 300_000_000  # the stream took its time (>= 3 pauses)
    found = spans.get_finished_spans()
    (server,) = _by_kind(found, SpanKind.SERVER)
    assert server.name == "POST createCompletionStream"
    assert server.end_time is not None and server.end_time >= last_sent
    (call,) = [s for s in found if s.name == "chat gpt-4o-mini"]
    assert call.parent is not None and server.context is not None
    assert call.parent.span_id == server.context.span_id  # the GenAI span is its child
    assert call.end_time is not None and call.end_time <= server.end_time
    assert call.attributes[gen_ai.USAGE_OUTPUT_TOKENS] > 0
    # No span per ASGI message: a stream would otherwise get one per event.
    assert not [s for s in found if s.name.endswith(("http send", "http receive"))]
    # The SDK's HTTP request to the provider is the GenAI span's child, as outside streams.
    (upstream,) = [
        s
        for s in _by_kind(found, SpanKind.CLIENT)
        if str(s.attributes.get("http.url", "")).endswith("/chat/completions")
    ]
    assert call.context is not None
    assert upstream.parent is not None and upstream.parent.span_id == call.context.span_id


def _stream_scope(body: bytes, token: str) -> dict[str, Any]:
    path = "/api/v1/ai/completions/stream"
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": [
            (b"content-type", b"application/json"),
            (b"accept", b"text/event-stream"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {token}".encode()),
        ],
    }
