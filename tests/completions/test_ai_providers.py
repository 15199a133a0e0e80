"""The openai, azure and anthropic providers through their real SDKs, over HTTP, against
the local fake server (tests/fakes/llm_server.py): request mapping, structured output,
repair, retries on 429, timeouts, auth errors, refusals, usage from the provider's counts,
and no provider key or provider error body in any response or log line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.main import create_app
from tests.ai_providers import KEY, provider_settings
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.problems import assert_problem

URL = "/api/v1/ai/completions"
SUMMARY = {"summary": "Rain falls.", "key_points": ["rain"], "confidence_score": 0.8}


Make = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


@pytest.fixture
def make(make_settings: Any, llm: LLMServer) -> Make:
    def build(provider: str, **extra: Any) -> tuple[connexion.FlaskApp, TestClient, Account]:
        app = create_app(make_settings(**{**provider_settings(provider, llm), **extra}))
        client = app.test_client()
        return app, client, account(app, client, f"{provider}@example.com")

    return build


def rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())


PROVIDERS = ["openai", "azure", "anthropic"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_text_completion(make: Make, llm: LLMServer, provider: str) -> None:
    app, client, who = make(provider)
    llm.script(Reply(text="Blue Bell", prompt_tokens=21, completion_tokens=3))
    response = client.post(
        URL,
        json={"prompt": "Name a mug", "system": "Be brief.", "temperature": 0.2},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["provider"], data["text"]) == (provider, "Blue Bell")
    assert data["usage"] == {"prompt_tokens": 21, "completion_tokens": 3, "total_tokens": 24}
    (row,) = rows(app)
    assert (row.provider, row.prompt_tokens, row.completion_tokens) == (provider, 21, 3)
    (seen,) = llm.requests
    if provider == "anthropic":
        assert "temperature" not in seen.body  # the Messages API (SDK 2.x) has none
        assert seen.path == "/v1/messages"
        assert seen.headers["authorization"] == f"Bearer {KEY}"  # SDK 2.x: bearer auth
        assert seen.body["system"] == "Be brief."  # the system prompt is a parameter
        assert seen.body["messages"] == [{"role": "user", "content": "Name a mug"}]
    else:
        assert seen.body["temperature"] == 0.2
        assert seen.body["messages"][0] == {"role": "system", "content": "Be brief."}
        if provider == "azure":
            assert seen.path.startswith("/openai/deployments/my-deployment/chat/completions")
            assert "api-version=" in seen.path and seen.headers["api-key"] == KEY
        else:
            assert seen.path == "/v1/chat/completions"
            assert seen.headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_structured_output_uses_the_native_mode(make: Make, llm: LLMServer, provider: str) -> None:
    _, client, who = make(provider)
    llm.script(Reply(json=SUMMARY))
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary"}
    response = client.post(URL, json=ask, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["object"] == SUMMARY
    (seen,) = llm.requests
    if provider == "anthropic":
        assert seen.body["tool_choice"] == {"type": "tool", "name": "TextSummary"}
        schema = seen.body["tools"][0]["input_schema"]
        assert schema["required"] == ["summary", "key_points", "confidence_score"]
    else:
        fmt = seen.body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        strict = fmt["json_schema"]["schema"]
        assert strict["additionalProperties"] is False
        assert sorted(strict["required"]) == sorted(strict["properties"])
        assert strict["properties"]["summary"]["maxLength"] == 5000  # strict mode carries it


@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_then_repaired(make: Make, llm: LLMServer, provider: str) -> None:
    app, client, who = make(provider)
    llm.script(Reply(json="{not json", prompt_tokens=5), Reply(json=SUMMARY, prompt_tokens=9))
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary"}
    response = client.post(URL, json=ask, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attempts"] == 2
    assert response.json()["data"]["usage"]["prompt_tokens"] == 14  # both attempts
    repair = llm.requests[1].body["messages"]
    assert "does not match the JSON Schema `TextSummary`" in repair[-1]["content"]
    (row,) = rows(app)
    assert row.attempts == 2 and row.prompt_tokens == 14


@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_twice_is_a_502(make: Make, llm: LLMServer, provider: str) -> None:
    app, client, who = make(provider, ai_validation_retries=1)
    llm.script(Reply(json={"summary": 5}), Reply(json="[]"))
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary"}
    body = assert_problem(client.post(URL, json=ask, headers=who.headers), 502, "ai_invalid_output")
    assert {e["field"].split(".")[0] for e in body["errors"]} == {"attempt1", "attempt2"}
    assert rows(app)[0].outcome == "ai_invalid_output"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_then_success_is_retried_by_the_sdk(make: Make, llm: LLMServer, provider: str) -> None:
    _, client, who = make(provider)
    llm.script(Reply(status=429, headers={"retry-after": "0"}), Reply(text="ok now"))
    response = client.post(URL, json={"prompt": "hi"}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["text"] == "ok now"
    assert len(llm.requests) == 2


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_after_retries_is_503_with_retry_after(
    make: Make, llm: LLMServer, provider: str
) -> None:
    _, client, who = make(provider, ai_max_retries=1)
    busy = Reply(status=429, headers={"retry-after": "0"})
    llm.script(busy, busy)
    response = client.post(URL, json={"prompt": "hi"}, headers=who.headers)
    assert_problem(response, 503, "ai_rate_limited")
    assert int(response.headers["retry-after"]) >= 1
    assert len(llm.requests) == 2


@pytest.mark.parametrize("provider", PROVIDERS)
def test_timeout_is_504(make: Make, llm: LLMServer, provider: str) -> None:
    app, client, who = make(provider, ai_timeout_s=0.3, ai_max_retries=0)
    llm.script(Reply(delay_s=1.5))
    assert_problem(client.post(URL, json={"prompt": "hi"}, headers=who.headers), 504, "ai_timeout")
    assert rows(app)[0].outcome == "ai_timeout"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_auth_failure_is_502_and_leaks_nothing(
    make: Make, llm: LLMServer, provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, client, who = make(provider)
    llm.script(Reply(status=401))
    response = client.post(URL, json={"prompt": "a secret prompt 1234"}, headers=who.headers)
    assert_problem(response, 502, "ai_provider_auth")
    for needle in (KEY, "sk-secret-in-provider-error-body", "upstream says no"):
        assert needle not in response.text
        assert needle not in caplog.text
    assert "a secret prompt 1234" not in caplog.text


@pytest.mark.parametrize("provider", ["openai", "azure"])
def test_refusal_is_422(make: Make, llm: LLMServer, provider: str) -> None:
    _, client, who = make(provider)
    llm.script(Reply(refusal="I can't help with that."))
    assert_problem(client.post(URL, json={"prompt": "x"}, headers=who.headers), 422, "ai_refused")


def test_anthropic_refusal_is_422(make: Make, llm: LLMServer) -> None:
    _, client, who = make("anthropic")
    llm.script(Reply(finish_reason="refusal"))
    assert_problem(client.post(URL, json={"prompt": "x"}, headers=who.headers), 422, "ai_refused")


def test_azure_content_filter_is_422(make: Make, llm: LLMServer) -> None:
    _, client, who = make("azure")
    llm.script(Reply(status=400, error_message="content filter triggered"))
    assert_problem(client.post(URL, json={"prompt": "x"}, headers=who.headers), 422, "ai_refused")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_truncation_and_low_rate_limits_are_warned(
    make: Make, llm: LLMServer, provider: str
) -> None:
    _, client, who = make(provider)
    prefix = "anthropic-ratelimit-requests-" if provider == "anthropic" else ""
    headers = (
        {f"{prefix}remaining": "2", f"{prefix}limit": "100"}
        if provider == "anthropic"
        else {"x-ratelimit-remaining-requests": "2", "x-ratelimit-limit-requests": "100"}
    )
    llm.script(Reply(text="cut", finish_reason="length", headers=headers))
    response = client.post(URL, json={"prompt": "hi", "max_tokens": 5}, headers=who.headers)
    assert response.status_code == 200, response.text
    # An Azure deployment name is no model name: nothing prices it unless AI_PRICES does.
    unpriced = ["unknown_price"] if provider == "azure" else []
    codes = [w["code"] for w in response.json()["warnings"]]
    assert codes == ["truncated", *unpriced, "rate_limit_warning"]


def test_instructions_mode_extracts_json_from_prose(make: Make, llm: LLMServer) -> None:
    _, client, who = make("openai", ai_structured_output="instructions")
    llm.script(Reply(text="Sure! ```json\n" + str(SUMMARY).replace("'", '"') + "\n``` Enjoy."))
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary"}
    response = client.post(URL, json=ask, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["object"] == SUMMARY
    (seen,) = llm.requests
    assert "response_format" not in seen.body
    assert "TextSummary" in seen.body["messages"][0]["content"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_cache_hit_makes_no_upstream_call(make: Make, llm: LLMServer, provider: str) -> None:
    # Anthropic (SDK 2.x) takes no temperature, so its answers are cached only on request.
    app, client, who = make(provider, ai_cache_nonzero_temperature=provider == "anthropic")
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary", "temperature": 0}
    llm.script(Reply(json=SUMMARY))
    first = client.post(URL, json=ask, headers=who.headers)
    second = client.post(URL, json=ask, headers=who.headers)
    assert first.json()["data"]["object"] == second.json()["data"]["object"] == SUMMARY
    assert second.json()["data"]["cached"] is True
    assert len(llm.requests) == 1
    assert [(r.cached, r.prompt_tokens) for r in rows(app)] == [(False, 11), (True, 0)]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_health_checks_the_provider_once_per_ttl(make: Make, llm: LLMServer, provider: str) -> None:
    _, client, _ = make(provider, ai_health_ttl_seconds=3600)
    for _ in range(3):
        body = client.get("/api/v1/health").json()
        ai = body["data"]["checks"]["ai_service"]
        assert (ai["status"], ai["required"], ai["detail"]) == (
            "up",
            False,
            f"provider: {provider}; open streams: 0",
        )
    assert len(llm.calls("/models")) == 1  # one free models call, then the cached answer


def test_an_unreachable_provider_is_down_but_not_unready(make_settings: Any) -> None:
    with LLMServer() as gone:
        url = gone.openai_base_url
    settings = {"ai_provider": "openai", "openai_api_key": KEY, "ai_base_url": url}
    app = create_app(make_settings(**settings, ai_max_retries=0, ai_timeout_s=1))
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["data"]["checks"]["ai_service"]["status"] == "down"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_truncated_structured_answer_is_422_without_repair(
    make: Make, llm: LLMServer, provider: str
) -> None:
    app, client, who = make(provider)
    llm.script(Reply(json='{"summary": "cut sh', finish_reason="length"))
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary", "max_tokens": 5}
    body = assert_problem(
        client.post(URL, json=ask, headers=who.headers), 422, "ai_output_truncated"
    )
    assert "max_tokens (5)" in body["detail"]
    assert len(llm.requests) == 1  # no repair with the same limit
    assert rows(app)[0].outcome == "ai_output_truncated"


@pytest.mark.parametrize(
    ("provider", "reply"),
    [
        ("openai", Reply(status=400, error_code="context_length_exceeded")),
        ("azure", Reply(status=400, error_code="context_length_exceeded")),
        ("anthropic", Reply(status=400, error_message="prompt is too long: 210000 tokens")),
    ],
)
def test_the_models_own_context_limit_is_413(
    make: Make, llm: LLMServer, provider: str, reply: Reply
) -> None:
    _, client, who = make(provider)
    llm.script(reply)
    response = client.post(URL, json={"prompt": "long"}, headers=who.headers)
    assert_problem(response, 413, "prompt_too_long")
    assert "upstream says no" not in response.text


@pytest.mark.parametrize(("provider", "status"), [("anthropic", 529), ("openai", 503)])
def test_an_overloaded_provider_is_a_retryable_503(
    make: Make, llm: LLMServer, provider: str, status: int
) -> None:
    _, client, who = make(provider, ai_max_retries=0)
    llm.script(Reply(status=status, headers={"retry-after": "7"}))
    response = client.post(URL, json={"prompt": "hi"}, headers=who.headers)
    assert_problem(response, 503, "ai_rate_limited")
    assert response.headers["retry-after"] == "7"


RECIPE = {
    "title": "Egg",
    "ingredients": [{"item": "egg", "amount": 1, "unit": "piece"}],
    "instructions": [{"step": 1, "text": "Boil it."}],
    "cooking_time": 10,
    "difficulty": "easy",
    "confidence_score": 0.9,
}


def test_a_model_answer_with_nul_is_repaired_not_blamed_on_the_caller(
    make: Make, llm: LLMServer
) -> None:
    _, client, who = make("openai")
    llm.script(Reply(json={**RECIPE, "title": "Egg\u0000"}), Reply(json=RECIPE))
    response = client.post(
        "/api/v1/recipes/generate", json={"ingredients": ["egg"]}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["recipe"]["title"] == "Egg"
    assert response.json()["data"]["attempts"] == 2


def test_property_names_that_are_schema_keywords_survive_the_transforms() -> None:
    from app.ai.schemas import _plain, _strict  # noqa: PLC0415 - the transforms themselves

    schema = {
        "type": "object",
        "required": ["pattern"],
        "properties": {
            "pattern": {"type": "string", "maxLength": 5, "example": "x"},
            "example": {"type": "integer", "minimum": 1},
        },
    }
    plain = _plain(schema, {})
    assert set(plain["properties"]) == {"pattern", "example"}
    assert "example" not in plain["properties"]["pattern"]  # the keyword still goes
    strict = _strict(plain)
    assert set(strict["properties"]) == {"pattern", "example"}
    assert strict["required"] == ["pattern", "example"]
    assert strict["properties"]["pattern"]["maxLength"] == 5  # strict mode carries it


def test_a_recipe_over_the_time_limit_is_flagged(make: Make, llm: LLMServer) -> None:
    _, client, who = make("openai")
    llm.script(Reply(json={**RECIPE, "cooking_time": 90}))
    ask = {"ingredients": ["egg"], "cooking_time_max": 30}
    response = client.post("/api/v1/recipes/generate", json=ask, headers=who.headers)
    assert response.status_code == 201, response.text
    (warning,) = response.json()["warnings"]
    assert warning["code"] == "validation_warning"
    assert warning["details"] == {"cooking_time": 90, "max": 30}


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    "garbage",
    [
        Reply(raw=b"<html>502 Bad Gateway</html>", content_type="text/html"),
        Reply(raw=b"<html>not json</html>"),
        Reply(raw=b"null"),
        Reply(raw=b'{"choices": [{"message": null}], "content": 5}'),
    ],
    ids=["html", "html-as-json", "null", "wrong-shape"],
)
def test_a_garbage_answer_is_a_502_not_a_500(
    make: Make, llm: LLMServer, provider: str, garbage: Reply
) -> None:
    _, client, who = make(provider, ai_max_retries=0)
    llm.script(garbage)
    response = client.post(URL, json={"prompt": "hi", "cache": False}, headers=who.headers)
    assert_problem(response, 502, "ai_provider_error")
