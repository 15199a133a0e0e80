"""POST /ai/completions/stream through the real Connexion app, parsed with httpx-sse: the
events and their `data` (checked against the spec's x-events schemas via the generated
models), usage rows, structured answers (never partial JSON; repaired), failures before
the stream (problem responses, statuses as for /ai/completions) and during it (`error`
events), heartbeats, the open-stream limit, and every bad input.

Disconnects and 200 concurrent streams need a real server: tests/live/test_ai_stream_live.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import connexion
import pytest
from httpx_sse import ServerSentEvent, connect_sse
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.completions.stream_slots import StreamCapacityError, StreamSlots
from app.main import create_app
from generated import models as api
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.problems import assert_problem, assert_problem_type

URL = "/api/v1/ai/completions/stream"
MakeApp = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


def stream(client: TestClient, who: Account, body: Any) -> tuple[Any, list[ServerSentEvent]]:
    with connect_sse(client, "POST", URL, json=body, headers=who.headers) as source:
        assert source.response.status_code == 200, source.response.read()
        return source.response, list(source.iter_sse())


def rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())


def test_text_streams_as_deltas_then_done(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    ask = {"prompt": "Name a blue mug", "system": "Be brief.", "cache": False}
    response, events = stream(client, member, ask)
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"  # an authenticated response
    assert response.headers["vary"] == "Authorization, X-API-Key"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.headers["api-version"] == "1.0.0"
    names = [e.event for e in events]
    assert names[-1] == "done" and set(names[:-1]) == {"delta"} and len(names) > 2
    text = "".join(api.StreamDelta.model_validate(e.json()).text for e in events[:-1])
    # The same answer as the one-shot endpoint gives.
    whole = client.post("/api/v1/ai/completions", json=ask, headers=member.headers)
    assert text == whole.json()["data"]["text"]
    done = api.StreamDone.model_validate(events[-1].json())
    assert (done.provider, done.model, done.finish_reason, done.attempts) == (
        "fake",
        "fake-1",
        "stop",
        1,
    )
    assert done.usage.total_tokens == done.usage.prompt_tokens + done.usage.completion_tokens > 0
    assert done.cost_usd == "0.000000" and done.warnings == []
    streamed, _one_shot = rows(app)
    assert (streamed.operation, streamed.outcome, streamed.user_id) == (
        "stream",
        "ok",
        member.user.id,
    )
    assert (streamed.prompt_tokens, streamed.completion_tokens) == (
        done.usage.prompt_tokens,
        done.usage.completion_tokens,
    )
    assert streamed.request_id == response.headers["x-request-id"]


def test_structured_answers_arrive_whole_and_valid(client: TestClient, member: Account) -> None:
    _, events = stream(client, member, {"prompt": "water cycle", "response_schema": "TextSummary"})
    assert [e.event for e in events] == ["object", "done"]  # no partial JSON as deltas
    obj = api.StreamObject.model_validate(events[0].json())
    assert obj.response_schema == "TextSummary"
    api.TextSummary.model_validate(obj.object)


def test_invalid_structured_answers_are_repaired(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_fake_invalid_answers=1)
    _, events = stream(client, who, {"prompt": "recipe", "response_schema": "TextSummary"})
    assert [e.event for e in events] == ["object", "done"]
    done = events[1].json()
    assert done["attempts"] == 2
    assert [w["code"] for w in done["warnings"]] == ["validation_warning"]
    (row,) = rows(app)
    assert (row.attempts, row.outcome) == (2, "ok")


def test_an_answer_that_never_validates_is_a_problem(ai_app: MakeApp) -> None:
    """Nothing was sent yet (structured answers send nothing before they are valid), so the
    failure is an ordinary problem response, as on POST /ai/completions."""
    app, client, who = ai_app(ai_fake_invalid_answers=5, ai_validation_retries=1)
    refused = client.post(
        URL, json={"prompt": "x", "response_schema": "TextSummary"}, headers=who.headers
    )
    body = assert_problem(refused, 502, "ai_invalid_output")
    assert {e["field"].split(".")[0] for e in body["errors"]} == {"attempt1", "attempt2"}
    (row,) = rows(app)
    assert (row.outcome, row.attempts, row.operation) == (
        "ai_invalid_output",
        2,
        "stream",
    )


@pytest.mark.parametrize(
    ("status", "code", "http_status"),
    [(429, "ai_rate_limited", 503), (401, "ai_provider_auth", 502), (504, "ai_timeout", 504)],
)
def test_a_provider_refusing_at_once_is_a_problem(
    ai_app: MakeApp, status: int, code: str, http_status: int
) -> None:
    app, client, who = ai_app(ai_fake_fail_status=status)
    refused = client.post(URL, json={"prompt": "x"}, headers=who.headers)
    assert_problem(refused, http_status, code)
    if code == "ai_rate_limited":
        assert refused.headers["retry-after"] == "1"
    (row,) = rows(app)
    assert (row.outcome, row.completion_tokens) == (code, 0)


def test_a_provider_failing_mid_stream_sends_an_error_event(make_settings: Any) -> None:
    with LLMServer() as llm:
        llm.script(Reply(text="one two three four five six", fail_after=2))
        app = create_app(
            make_settings(
                ai_provider="openai",
                openai_api_key="sk-stream",
                ai_base_url=llm.openai_base_url,
                ai_max_retries=0,
            )
        )
        client = app.test_client()
        who = account(app, client, "mid@example.com", "user")
        response, events = stream(client, who, {"prompt": "count"})
    assert [e.event for e in events] == ["delta", "delta", "error"]  # and no `done`
    assert "".join(e.json()["text"] for e in events[:2]) == "one two"
    problem = api.Problem.model_validate(events[2].json())
    assert (problem.status, problem.code) == (502, "ai_provider_error")
    assert_problem_type(events[2].json())
    assert problem.request_id == response.headers["x-request-id"]
    assert "sk-secret" not in events[2].data  # the provider's error body is not echoed
    (row,) = rows(app)
    assert row.outcome == "ai_provider_error"
    assert row.completion_tokens > 0  # what arrived before the failure is accounted for


def test_quiet_streams_carry_heartbeats(ai_app: MakeApp) -> None:
    _, client, who = ai_app(ai_stream_heartbeat_s=0.05, ai_fake_stream_pause_ms=200)
    response = client.post(URL, json={"prompt": "one two three"}, headers=who.headers)
    assert response.status_code == 200
    assert ": heartbeat\n\n" in response.text
    # Comments never sit inside an event: every block is a comment or a whole event.
    blocks = [b for b in response.text.split("\n\n") if b]
    assert all(b == ": heartbeat" or b.startswith("event: ") for b in blocks), blocks
    assert blocks[-1].startswith("event: done")


def test_api_keys_can_stream(client: TestClient, member: Account) -> None:
    created = client.post(
        "/api/v1/auth/api-keys", json={"name": "streamer"}, headers=member.headers
    )
    key = created.json()["data"]["key"]
    with connect_sse(
        client, "POST", URL, json={"prompt": "hi"}, headers={"X-API-Key": key}
    ) as source:
        assert source.response.status_code == 200
        assert [e.event for e in source.iter_sse()][-1] == "done"
    revoked = client.delete(
        f"/api/v1/auth/api-keys/{created.json()['data']['id']}", headers=member.headers
    )
    assert revoked.status_code == 204
    assert_problem(
        client.post(URL, json={"prompt": "hi"}, headers={"X-API-Key": key}),
        401,
        "api_key_revoked",
    )


def test_open_streams_are_bounded_per_process(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    slots = resources(app).streams
    assert slots.limit == 1000 and slots.open == 0
    with slots.hold():
        slots.limit = 1  # the one held above fills the process
        refused = client.post(URL, json={"prompt": "x"}, headers=member.headers)
        slots.limit = 1000
    assert_problem(refused, 503, "stream_capacity_reached")
    assert refused.headers["retry-after"] == "1"
    assert slots.open == 0
    assert client.post(URL, json={"prompt": "x"}, headers=member.headers).status_code == 200
    assert slots.open == 0  # released when the stream ended


def test_stream_slots_release_on_errors() -> None:
    slots = StreamSlots(1)

    def fail_while_holding() -> None:
        with slots.hold():
            with pytest.raises(StreamCapacityError) as refused, slots.hold():
                pass
            assert refused.value.code == "stream_capacity_reached"
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_while_holding()
    assert slots.open == 0


# --- refused before the stream: ordinary problems --------------------------------------
def test_credentials_are_required(client: TestClient) -> None:
    assert_problem(client.post(URL, json={"prompt": "x"}), 401, "not_authenticated")
    bad = {"Authorization": "Bearer not.a.token"}
    assert_problem(client.post(URL, json={"prompt": "x"}, headers=bad), 401, "token_malformed")


def test_readonly_may_not_spend_tokens(ai_app: MakeApp) -> None:
    _, client, reader = ai_app(role="readonly")
    assert_problem(client.post(URL, json={"prompt": "x"}, headers=reader.headers), 403, "forbidden")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"prompt": ""},
        {"prompt": "x", "messages": [{"role": "user", "content": "y"}]},
        {"prompt": "x", "surprise": 1},
        {"prompt": "x", "max_tokens": 0},
        {"prompt": "x", "temperature": 3},
        {"prompt": "x", "response_schema": "NoSuchSchema"},
        {"messages": []},
        [],
    ],
)
def test_invalid_bodies_are_422(client: TestClient, member: Account, body: Any) -> None:
    assert_problem(client.post(URL, json=body, headers=member.headers), 422, "validation_error")


def test_not_json_is_refused(client: TestClient, member: Account) -> None:
    headers = {**member.headers, "Content-Type": "text/plain"}
    assert_problem(client.post(URL, content=b"hi", headers=headers), 415, "unsupported_media_type")
    broken = {**member.headers, "Content-Type": "application/json"}
    assert_problem(client.post(URL, content=b"{nope", headers=broken), 400, "malformed_json")


def test_models_outside_the_allow_list_are_refused(client: TestClient, member: Account) -> None:
    refused = client.post(URL, json={"prompt": "x", "model": "gpt-9"}, headers=member.headers)
    assert_problem(refused, 400, "unsupported_model")


def test_prompts_over_the_limit_are_413(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_max_prompt_chars=10)
    refused = client.post(URL, json={"prompt": "x" * 11}, headers=who.headers)
    assert_problem(refused, 413, "prompt_too_long")
    assert rows(app) == []  # refused before any provider call


def test_bodies_over_the_limit_are_413(ai_app: MakeApp) -> None:
    _, client, who = ai_app(max_body_bytes=1024)
    refused = client.post(URL, json={"prompt": "x" * 2000}, headers=who.headers)
    assert_problem(refused, 413, "payload_too_large")


def test_the_daily_quota_applies_to_streams(ai_app: MakeApp) -> None:
    _, client, who = ai_app(ai_daily_tokens_user=60)
    for n in range(20):  # each stream reserves its worst case (prompt + max_tokens) first
        with connect_sse(
            client,
            "POST",
            URL,
            json={"prompt": f"spend {n}", "max_tokens": 20},
            headers=who.headers,
        ) as source:
            if source.response.status_code != 200:
                break
            list(source.iter_sse())
    quota = client.get("/api/v1/ai/usage", headers=who.headers).json()["data"]["quota"]
    assert 0 < quota["used_today"] <= 60 and quota["reserved"] == 0
    refused = client.post(URL, json={"prompt": "one more", "max_tokens": 20}, headers=who.headers)
    assert_problem(refused, 429, "ai_quota_exceeded")
    assert int(refused.headers["retry-after"]) >= 1


def test_event_data_is_one_json_line(client: TestClient, member: Account) -> None:
    """A newline in the answer never breaks the framing: `data` is compact JSON."""
    response = client.post(
        URL, json={"prompt": "line one\nline two\n\nevent: fake"}, headers=member.headers
    )
    for block in filter(None, response.text.split("\n\n")):
        event_line, data_line = block.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        json.loads(data_line.removeprefix("data: "))
