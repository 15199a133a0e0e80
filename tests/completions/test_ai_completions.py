"""POST /ai/completions with the fake provider: text and structured answers, repair,
warnings, usage rows, the allow-list, size limits, roles, and every provider failure
rendered as its problem (the fake misbehaves on purpose through settings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.ai.metrics import CompletionEvent
from app.completions.models import AIUsage
from app.infra.cache import RedisCache
from app.infra.redis import make_redis
from tests.auth_helpers import Account, account, resources
from tests.problems import assert_problem

URL = "/api/v1/ai/completions"
MakeApp = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


def usage_rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())


def test_text_completion_with_usage_recorded(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    response = client.post(
        URL, json={"prompt": "Name a blue mug", "system": "Be brief."}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    data = body["data"]
    assert data["provider"] == "fake" and data["model"] == "fake-1"
    assert data["text"].startswith("Fake answer") and "Name a blue mug" in data["text"]
    assert data["object"] is None and data["response_schema"] is None
    assert data["finish_reason"] == "stop" and data["attempts"] == 1 and data["cached"] is False
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert data["cost_usd"] == "0.000000"
    assert body["warnings"] == []
    (row,) = usage_rows(app)
    assert (row.user_id, row.provider, row.model, row.outcome) == (
        member.user.id,
        "fake",
        "fake-1",
        "ok",
    )
    assert (row.prompt_tokens, row.completion_tokens) == (
        usage["prompt_tokens"],
        usage["completion_tokens"],
    )
    assert row.request_id == response.headers["x-request-id"]


def test_the_same_request_gives_the_same_answer(client: TestClient, member: Account) -> None:
    ask = {"messages": [{"role": "user", "content": "Same question"}]}
    first = client.post(URL, json=ask, headers=member.headers).json()["data"]["text"]
    assert client.post(URL, json=ask, headers=member.headers).json()["data"]["text"] == first


@pytest.mark.parametrize("schema", ["TextSummary", "GeneratedRecipe"])
def test_structured_answers_match_their_schema(
    client: TestClient, member: Account, schema: str
) -> None:
    response = client.post(
        URL,
        json={"prompt": "Tomato soup please", "response_schema": schema},
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["text"] is None and data["response_schema"] == schema
    model = getattr(__import__("generated.models", fromlist=[schema]), schema)
    model.model_validate(data["object"])  # valid against the spec component


def test_an_invalid_answer_is_repaired_and_flagged(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_fake_invalid_answers=1)
    response = client.post(
        URL, json={"prompt": "Summarise", "response_schema": "TextSummary"}, headers=who.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["attempts"] == 2
    assert [w["code"] for w in body["warnings"]] == ["validation_warning"]
    (row,) = usage_rows(app)
    assert row.attempts == 2 and row.outcome == "ok"
    assert row.errors and row.errors[0]["field"].startswith("attempt1.")


def test_answers_that_stay_invalid_are_a_502_listing_every_attempt(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_fake_invalid_answers=99, ai_validation_retries=2)
    response = client.post(
        URL, json={"prompt": "Summarise", "response_schema": "TextSummary"}, headers=who.headers
    )
    body = assert_problem(response, 502, "ai_invalid_output")
    fields = [e["field"] for e in body["errors"]]
    assert [f.split(".")[0] for f in fields] == ["attempt1", "attempt2", "attempt3"]
    assert {e["location"] for e in body["errors"]} == {"output"}
    (row,) = usage_rows(app)
    assert (row.outcome, row.attempts) == ("ai_invalid_output", 3)
    assert row.prompt_tokens > 0  # every attempt's tokens are counted


@pytest.mark.parametrize(
    ("status", "http_status", "code"),
    [
        (401, 502, "ai_provider_auth"),
        (429, 503, "ai_rate_limited"),
        (504, 504, "ai_timeout"),
        (451, 422, "ai_refused"),
        (500, 502, "ai_provider_error"),
    ],
)
def test_provider_failures_are_problems_and_recorded(
    ai_app: MakeApp, status: int, http_status: int, code: str
) -> None:
    app, client, who = ai_app(ai_fake_fail_status=status)
    response = client.post(URL, json={"prompt": "hi"}, headers=who.headers)
    assert_problem(response, http_status, code)
    if code == "ai_rate_limited":
        assert int(response.headers["retry-after"]) >= 1
    (row,) = usage_rows(app)
    assert (row.outcome, row.prompt_tokens, row.attempts) == (code, 0, 0)


@pytest.mark.parametrize(
    "ask",
    [
        {"prompt": "hi", "provider": "openai"},
        {"prompt": "hi", "model": "gpt-4o"},
        {"prompt": "hi", "provider": "fake", "model": "fake-2"},
    ],
)
def test_models_off_the_allow_list_are_refused(
    app: connexion.FlaskApp, client: TestClient, member: Account, ask: dict[str, Any]
) -> None:
    body = assert_problem(
        client.post(URL, json=ask, headers=member.headers), 400, "unsupported_model"
    )
    assert "fake:fake-1" in body["detail"]
    assert usage_rows(app) == []


def test_an_allowed_second_model_may_be_chosen(ai_app: MakeApp) -> None:
    _, client, who = ai_app(ai_allowed_models="fake:fake-large")
    ask = {"prompt": "hi", "model": "fake-large"}
    response = client.post(URL, json=ask, headers=who.headers)
    assert response.status_code == 200 and response.json()["data"]["model"] == "fake-large"


def test_prompts_over_the_limits_are_413(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_max_prompt_chars=100, ai_context_tokens=300)
    too_long = client.post(URL, json={"prompt": "x" * 101}, headers=who.headers)
    assert_problem(too_long, 413, "prompt_too_long")
    # Fits the character limit, but not the context with the requested output.
    over_context = client.post(
        URL, json={"prompt": "x" * 100, "max_tokens": 290}, headers=who.headers
    )
    assert_problem(over_context, 413, "prompt_too_long")
    assert usage_rows(app) == []


@pytest.mark.parametrize(
    "ask",
    [
        {"prompt": "a", "messages": [{"role": "user", "content": "b"}]},
        {"system": "only a system prompt"},
        {"messages": [{"role": "system", "content": "system goes in `system`"}]},
    ],
)
def test_conversation_shape_errors_are_422(
    app: connexion.FlaskApp, client: TestClient, member: Account, ask: dict[str, Any]
) -> None:
    assert_problem(client.post(URL, json=ask, headers=member.headers), 422, "validation_error")
    assert usage_rows(app) == []


def test_system_goes_before_messages(client: TestClient, member: Account) -> None:
    ask = {
        "system": "Be brief.",
        "messages": [
            {"role": "user", "content": "First question"},
            {"role": "assistant", "content": "First answer"},
            {"role": "user", "content": "Second question"},
        ],
    }
    response = client.post(URL, json=ask, headers=member.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["text"].endswith("Second question")


@pytest.mark.parametrize(
    "ask",
    [
        {},
        {"prompt": ""},
        {"prompt": "a\u0000b"},
        {"prompt": "hi", "temperature": 2.5},
        {"prompt": "hi", "max_tokens": 0},
        {"prompt": "hi", "response_schema": "User"},
        {"prompt": "hi", "provider": "nope"},
        {"prompt": "hi", "stream": True},
        {"messages": []},
        {"messages": [{"role": "tool", "content": "x"}]},
        {"prompt": 5},
    ],
)
def test_malformed_requests_are_rejected_before_any_call(
    app: connexion.FlaskApp, client: TestClient, member: Account, ask: dict[str, Any]
) -> None:
    response = client.post(URL, json=ask, headers=member.headers)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert usage_rows(app) == []


def test_readonly_may_not_spend_tokens(client: TestClient, reader: Account) -> None:
    assert_problem(
        client.post(URL, json={"prompt": "hi"}, headers=reader.headers), 403, "forbidden"
    )


def test_anonymous_is_401(client: TestClient) -> None:
    assert_problem(client.post(URL, json={"prompt": "hi"}), 401, "not_authenticated")


def test_warnings_for_truncation_tokens_and_confidence(ai_app: MakeApp) -> None:
    _, client, who = ai_app(ai_high_token_usage=5, ai_low_confidence=0.95)
    text = client.post(URL, json={"prompt": "word " * 50, "max_tokens": 3}, headers=who.headers)
    assert text.status_code == 200, text.text
    assert text.json()["data"]["finish_reason"] == "length"
    assert [w["code"] for w in text.json()["warnings"]] == ["truncated", "high_token_usage"]
    structured = client.post(
        URL, json={"prompt": "Summarise", "response_schema": "TextSummary"}, headers=who.headers
    )
    codes = [w["code"] for w in structured.json()["warnings"]]
    assert "low_confidence" in codes  # the fake reports 0.9, under the 0.95 threshold


def test_deleting_a_user_keeps_their_usage(
    app: connexion.FlaskApp, client: TestClient, admin: Account, member: Account
) -> None:
    assert client.post(URL, json={"prompt": "hi"}, headers=member.headers).status_code == 200
    assert (
        client.delete(f"/api/v1/users/{member.user.id}", headers=admin.headers).status_code == 204
    )
    (row,) = usage_rows(app)
    assert row.user_id is None and row.outcome == "ok"


def test_identical_requests_hit_the_cache_at_no_cost(ai_app: MakeApp) -> None:
    app, client, who = ai_app()
    ask = {"prompt": "Cache me", "response_schema": "TextSummary", "temperature": 0}
    first = client.post(URL, json=ask, headers=who.headers).json()
    second = client.post(URL, json=ask, headers=who.headers).json()
    assert first["data"]["cached"] is False and second["data"]["cached"] is True
    assert second["data"]["object"] == first["data"]["object"]
    assert (first["data"]["attempts"], second["data"]["attempts"]) == (1, 0)
    assert second["data"]["usage"]["total_tokens"] == 0 and second["data"]["cost_usd"] == "0.000000"
    assert [w["code"] for w in second["warnings"]] == ["cached"]
    first_row, hit_row = usage_rows(app)
    assert (first_row.cached, hit_row.cached) == (False, True)
    assert hit_row.prompt_tokens == hit_row.completion_tokens == 0
    # Another parameter, `cache: false`, or a temperature above 0: not from the cache.
    no_temperature = {k: v for k, v in ask.items() if k != "temperature"}
    for other in (
        {**ask, "max_tokens": 100},
        {**ask, "cache": False},
        {**ask, "temperature": 0.7},
        no_temperature,  # the provider's default temperature: answers vary
    ):
        assert client.post(URL, json=other, headers=who.headers).json()["data"]["cached"] is False
    # Still not stored by the `cache: false` or sampled requests above.
    for other in ({**ask, "temperature": 0.7}, no_temperature):
        assert client.post(URL, json=other, headers=who.headers).json()["data"]["cached"] is False


def test_the_cache_is_per_user_by_default(ai_app: MakeApp) -> None:
    app, client, who = ai_app()
    other = account(app, client, "other-ai@example.com")
    ask = {"prompt": "Mine alone", "temperature": 0}
    assert client.post(URL, json=ask, headers=who.headers).json()["data"]["cached"] is False
    assert client.post(URL, json=ask, headers=other.headers).json()["data"]["cached"] is False


def test_a_global_cache_is_shared_and_errors_are_never_cached(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_cache_scope="global", ai_fake_invalid_answers=99)
    other = account(app, client, "other-ai@example.com")
    ask = {"prompt": "Shared", "response_schema": "TextSummary"}
    assert client.post(URL, json=ask, headers=who.headers).status_code == 502
    assert client.post(URL, json=ask, headers=who.headers).status_code == 502  # asked again
    text = {"prompt": "Shared", "temperature": 0}
    assert client.post(URL, json=text, headers=who.headers).json()["data"]["cached"] is False
    assert client.post(URL, json=text, headers=other.headers).json()["data"]["cached"] is True


def test_the_daily_quota_refuses_with_the_reset_time(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_daily_tokens_user=60)
    # Each call reserves its worst case (prompt estimate + max_tokens) before it is made,
    # so the quota refuses the call that might not fit, not the one after the overshoot.
    spent = 0
    for n in range(20):
        spend = {"prompt": f"spend {n}", "temperature": 0, "max_tokens": 20}
        response = client.post(URL, json=spend, headers=who.headers)
        if response.status_code != 200:
            break
        spent += 1
    assert spent >= 1
    quota = client.get("/api/v1/ai/usage", headers=who.headers).json()["data"]["quota"]
    assert quota["used_today"] + quota["reserved"] <= 60 and quota["reserved"] == 0
    refused = client.post(URL, json={"prompt": "one more", "max_tokens": 20}, headers=who.headers)
    body = assert_problem(refused, 429, "ai_quota_exceeded")
    assert "resets at" in body["detail"] and body["detail"].count("T00:00:00Z") == 1
    assert 1 <= int(refused.headers["retry-after"]) <= 86_400
    # A cache hit costs no quota, so an exhausted user still gets cached answers.
    cached = {"prompt": "spend 0", "temperature": 0, "max_tokens": 20}
    again = client.post(URL, json=cached, headers=who.headers)
    assert again.status_code == 200 and again.json()["data"]["cached"] is True
    # Admins have no quota by default.
    admin = account(app, client, "admin-ai@example.com", "admin")
    assert client.post(URL, json={"prompt": "one more"}, headers=admin.headers).status_code == 200


def test_an_unreachable_redis_only_costs_the_completion_cache(
    ai_app: MakeApp, make_settings: Any
) -> None:
    app, client, who = ai_app()
    # The gateway's cache: the app's own Redis client kind, to a port nothing listens on.
    dead = make_redis(make_settings(redis_url="redis://127.0.0.1:1/0"))
    assert dead is not None
    resources(app).ai.cache = RedisCache(dead, "test-dead", ttl_seconds=60)
    ask = {"prompt": "No cache today"}
    for _ in range(2):
        response = client.post(URL, json=ask, headers=who.headers)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["cached"] is False
    assert len(usage_rows(app)) == 2


class Recording:
    """A metrics recorder that keeps what it is told (the hook the operations work fills)."""

    def __init__(self) -> None:
        self.events: list[CompletionEvent] = []

    def completion(self, event: CompletionEvent) -> None:
        self.events.append(event)


def test_every_completion_reaches_the_metrics_hook(ai_app: MakeApp) -> None:
    app, client, who = ai_app(ai_fake_invalid_answers=1)
    recording = Recording()
    resources(app).ai.metrics = recording
    ask = {"prompt": "measure me", "response_schema": "TextSummary", "temperature": 0}
    client.post(URL, json=ask, headers=who.headers)  # repaired once
    client.post(URL, json=ask, headers=who.headers)  # cache hit
    client.post(URL, json={"prompt": "x", "model": "nope"}, headers=who.headers)  # refused early
    first, hit = recording.events
    assert (first.provider, first.model, first.outcome, first.attempts) == (
        "fake",
        "fake-1",
        "ok",
        2,
    )
    assert first.prompt_tokens > 0 and not first.cached
    assert (hit.cached, hit.prompt_tokens, hit.duration_s) == (True, 0, 0)
