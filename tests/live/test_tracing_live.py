"""Traces end to end over OTLP/HTTP (issue 24 item 1): the real server (`python -m app`)
with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at a receiver this test starts on 127.0.0.1
(tests/fakes/otlp_receiver.py decodes each `ExportTraceServiceRequest`), the production
exporter and batch span processor, and a completion answered by the fake OpenAI server
through the real SDK. Bounded: a few requests, every wait capped, the server stopped by
its PID and the receiver and fake provider shut down on exit."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.ai import genai_semconv as gen_ai
from tests.auth_helpers import PASSWORD, make_user
from tests.fakes.llm_server import LLMServer, Reply
from tests.fakes.otlp_receiver import CLIENT, SERVER, OTLPReceiver, Span

pytestmark = pytest.mark.live
EMAIL = "traced-live@example.com"
PROMPT = "Describe the secret ingredient zq-7731 in one line."
EXPORT_WAIT_S = 30.0


def _bearer(base: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def _wait_for(receiver: OTLPReceiver, done: Callable[[list[Span]], bool]) -> list[Span]:
    """The spans received once `done` holds for them (the batch processor exports every
    200 ms here); fails after EXPORT_WAIT_S."""
    deadline = time.monotonic() + EXPORT_WAIT_S
    while time.monotonic() < deadline:
        spans = list(receiver.spans)
        if done(spans):
            return spans
        time.sleep(0.1)
    names = sorted({s.name for s in receiver.spans})
    pytest.fail(f"spans not exported within {EXPORT_WAIT_S:.0f} s; received: {names}")


def _named(spans: list[Span], name: str, kind: int = SERVER) -> list[Span]:
    return [s for s in spans if s.name == name and s.kind == kind]


def _traced_run(app: Any, serve: Any, **extra: str) -> tuple[list[Span], dict[str, Any]]:
    """A completion and a 404 through a traced server; the spans received and the 404's
    problem body."""
    make_user(app, EMAIL)
    with OTLPReceiver() as receiver, LLMServer() as llm:
        llm.default = Reply(text="A pinch of zq-7731.", prompt_tokens=11, completion_tokens=7)
        settings = {
            "AI_PROVIDER": "openai",
            "OPENAI_API_KEY": "sk-traced-live",
            "AI_BASE_URL": llm.openai_base_url,
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_SERVICE_NAME": "traced-live",
            **extra,
        }
        with serve(**settings) as (base, _):
            headers = _bearer(base)
            url = f"{base}/api/v1/ai/completions"
            answered = httpx.post(url, json={"prompt": PROMPT}, headers=headers, timeout=30)
            assert answered.status_code == 200, answered.text
            missing = httpx.get(f"{base}/api/v1/items/987654", headers=headers, timeout=30)
            assert missing.status_code == 404, missing.text
            spans = _wait_for(
                receiver,
                lambda found: bool(
                    _named(found, "POST createCompletion")
                    and _named(found, "GET getItem")
                    and [s for s in found if s.attributes.get(gen_ai.OPERATION_NAME)]
                ),
            )
        assert llm.calls("/chat/completions")
    return spans, missing.json()


def test_a_completion_is_exported_as_one_trace(app: Any, serve: Any) -> None:
    spans, problem = _traced_run(app, serve)
    (server,) = _named(spans, "POST createCompletion")
    assert server.service == "traced-live"
    assert server.attributes["app.operation_id"] == "createCompletion"
    in_trace = [s for s in spans if s.trace_id == server.trace_id]

    # The database work of the request, as client spans of its trace.
    sql = [s for s in in_trace if s.attributes.get("db.system.name")]
    assert sql and all(s.kind == CLIENT for s in sql)
    assert all("db.query.text" in s.attributes for s in sql)

    # The provider call, with the GenAI conventions, and the SDK's HTTP request inside it.
    (call,) = [s for s in in_trace if s.attributes.get(gen_ai.OPERATION_NAME)]
    assert call.kind == CLIENT
    attrs = call.attributes
    assert attrs[gen_ai.OPERATION_NAME] == "chat"
    assert attrs[gen_ai.PROVIDER_NAME] == attrs[gen_ai.SYSTEM] == "openai"
    assert call.name == f"chat {attrs[gen_ai.REQUEST_MODEL]}"
    assert attrs[gen_ai.RESPONSE_MODEL]
    assert (attrs[gen_ai.USAGE_INPUT_TOKENS], attrs[gen_ai.USAGE_OUTPUT_TOKENS]) == (11, 7)
    assert attrs[gen_ai.RESPONSE_FINISH_REASONS] == ["stop"]
    assert attrs[gen_ai.ATTEMPT] == 1
    assert call.start_ns >= server.start_ns and call.end_ns <= server.end_ns
    outgoing = [s for s in in_trace if s.parent_span_id == call.span_id and s.kind == CLIENT]
    assert outgoing, "the SDK's HTTP request is a child of the GenAI span"

    # Nothing of the prompt or the answer anywhere unless OTEL_GENAI_CAPTURE_CONTENT=true.
    for span in spans:
        assert gen_ai.INPUT_MESSAGES not in span.attributes
        assert gen_ai.OUTPUT_MESSAGES not in span.attributes
        assert not [v for v in span.attributes.values() if "zq-7731" in str(v)], span

    # The 404's problem names its own trace, the one its server span was exported in.
    (lookup,) = _named(spans, "GET getItem")
    assert problem["code"] == "not_found"
    assert problem["trace_id"] == lookup.trace_id != server.trace_id


def test_prompt_text_is_exported_only_when_asked(app: Any, serve: Any) -> None:
    spans, _ = _traced_run(app, serve, OTEL_GENAI_CAPTURE_CONTENT="true")
    (call,) = [s for s in spans if s.attributes.get(gen_ai.OPERATION_NAME)]
    assert "zq-7731" in call.attributes[gen_ai.INPUT_MESSAGES]
    assert "A pinch of zq-7731." in call.attributes[gen_ai.OUTPUT_MESSAGES]
