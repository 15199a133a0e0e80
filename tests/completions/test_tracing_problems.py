"""The trace id in problem bodies (issue 24 item 1): with tracing on, every problem
document (RFC 9457) carries `trace_id`, the id of the request's server span, wherever it is
rendered (the framework's 404, a validation 422, the security 401, a handler's domain error,
a stream's `event: error`); with tracing off, or outside any traced request, no such key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.testclient import TestClient

from app.http.problems import problem_body
from app.main import create_app
from tests.auth_helpers import Account, account
from tests.fakes.llm_server import LLMServer, Reply
from tests.traced import hex_trace_id, server_span, tracing_on

TRACE_ID = re.compile(r"^[0-9a-f]{32}$")  # the spec's Problem.trace_id pattern
STREAM = "/api/v1/ai/completions/stream"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with tracing_on() as exporter:
        yield exporter


@pytest.fixture
def traced(make_settings: Any, spans: InMemorySpanExporter) -> tuple[TestClient, Account]:
    app = create_app(make_settings())
    client = TestClient(app)
    who = account(app, client, "traced-problems@example.com")
    return client, who


def _requests(who: Account) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """One request per problem source: (method, path, extra arguments)."""
    return {
        "not_found": ("GET", "/api/v1/no-such-route", {}),
        "validation_error": ("POST", "/api/v1/items", {"json": {}, "headers": who.headers}),
        "not_authenticated": ("GET", "/api/v1/users/me", {}),
        "item_not_found": ("GET", "/api/v1/items/987654", {"headers": who.headers}),
    }


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("not_found", 404, "not_found"),
        ("validation_error", 422, "validation_error"),
        ("not_authenticated", 401, "not_authenticated"),
        ("item_not_found", 404, "not_found"),
    ],
)
def test_a_problem_carries_the_trace_id_of_its_server_span(
    traced: tuple[TestClient, Account],
    spans: InMemorySpanExporter,
    name: str,
    status: int,
    code: str,
) -> None:
    client, who = traced
    method, path, extra = _requests(who)[name]
    spans.clear()
    response = client.request(method, path, **extra)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert TRACE_ID.match(problem["trace_id"]), problem
    assert problem["trace_id"] == hex_trace_id(server_span(spans))
    assert problem["request_id"] == response.headers["x-request-id"]


def test_each_request_has_its_own_trace_id(
    traced: tuple[TestClient, Account], spans: InMemorySpanExporter
) -> None:
    client, _ = traced
    first = client.get("/api/v1/users/me").json()["trace_id"]
    second = client.get("/api/v1/users/me").json()["trace_id"]
    assert first != second


def test_an_incoming_traceparent_is_continued_in_the_problem(
    traced: tuple[TestClient, Account], spans: InMemorySpanExporter
) -> None:
    client, _ = traced
    parent = "4bf92f3577b34da6a3ce929d0e0e4736"
    header = f"00-{parent}-00f067aa0ba902b7-01"
    problem = client.get("/api/v1/users/me", headers={"traceparent": header}).json()
    assert problem["trace_id"] == parent
    # A malformed traceparent is ignored: a fresh trace, still a valid id.
    spans.clear()
    response = client.get("/api/v1/users/me", headers={"traceparent": "00-zz-bad-01"})
    assert response.status_code == 401
    assert TRACE_ID.match(response.json()["trace_id"])
    assert response.json()["trace_id"] == hex_trace_id(server_span(spans))


def test_a_sampled_out_trace_is_not_quoted(
    traced: tuple[TestClient, Account], spans: InMemorySpanExporter
) -> None:
    """A caller's traceparent that says "not sampled" (flags 00): the default parent-based
    sampler records nothing, so there is no trace to look up, and no `trace_id`."""
    client, _ = traced
    header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
    spans.clear()
    response = client.get("/api/v1/users/me", headers={"traceparent": header})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "trace_id" not in response.json()
    assert not [s.name for s in spans.get_finished_spans() if s.kind.name == "SERVER"]


def test_an_untraced_path_has_no_trace_id(
    traced: tuple[TestClient, Account], spans: InMemorySpanExporter
) -> None:
    """The liveness probe is excluded from tracing: no span context, so no `trace_id`."""
    client, _ = traced
    response = client.post("/api/v1/health/live")
    assert response.status_code == 405, response.text
    assert response.json()["code"] == "method_not_allowed"
    assert "trace_id" not in response.json()


def test_outside_a_request_there_is_no_trace_id(spans: InMemorySpanExporter) -> None:
    body = problem_body(status=404, code="not_found", detail=None, request_id="r1")
    assert "trace_id" not in body


def test_a_stream_error_event_carries_the_trace_id(
    make_settings: Any, llm: LLMServer, spans: InMemorySpanExporter
) -> None:
    app = create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key="sk-traced",
            ai_base_url=llm.openai_base_url,
            ai_max_retries=0,
        )
    )
    client = TestClient(app)
    who = account(app, client, "traced-stream@example.com")
    llm.script(Reply(text="one two three", fail_after=1))
    spans.clear()
    response = client.post(STREAM, json={"prompt": "x"}, headers=who.headers)
    assert response.status_code == 200
    assert "event: error" in response.text
    data = response.text.split("event: error\ndata: ", 1)[1].split("\n", 1)[0]
    problem = json.loads(data)
    assert problem["code"] == "ai_provider_error"
    assert problem["trace_id"] == hex_trace_id(server_span(spans))


def test_with_tracing_off_no_problem_has_a_trace_id(make_settings: Any) -> None:
    app = create_app(make_settings())
    client = TestClient(app)
    who = account(app, client, "untraced-problems@example.com")
    for method, path, extra in _requests(who).values():
        response = client.request(method, path, **extra)
        assert response.status_code in (401, 404, 422), response.text
        assert "trace_id" not in response.json()
        assert response.json()["request_id"] == response.headers["x-request-id"]


def test_a_failed_batch_items_problem_carries_the_trace_id(
    traced: tuple[TestClient, Account], spans: InMemorySpanExporter
) -> None:
    client, who = traced
    requests = [{"prompt": "fine"}, {"prompt": "refused", "model": "no-such-model"}]
    spans.clear()
    response = client.post("/api/v1/ai/batch", json={"requests": requests}, headers=who.headers)
    assert response.status_code == 200, response.text
    ok, failed = response.json()["data"]["results"]
    assert ok["status"] == "ok" and failed["status"] == "error"
    assert failed["problem"]["code"] == "unsupported_model"
    assert failed["problem"]["trace_id"] == hex_trace_id(server_span(spans))
