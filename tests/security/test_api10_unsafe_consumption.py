"""OWASP API10:2023 Unsafe Consumption of APIs: the LLM provider is a third party.

Through the real OpenAI SDK against the local fake provider: a structured answer that
breaks its schema is never returned or stored (repaired, else `502 ai_invalid_output`);
a provider answering garbage (HTML, truncated JSON, the wrong shape) is a clean 502, never
a 500; and a provider's error text, which may hold keys, hosts or stack traces, never
reaches the caller: problems name the provider and its status only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.main import create_app
from app.recipes.models import Recipe
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.security.spec_walk import BASE

PROVIDER_KEY = "sk-owasp-provider-key-0123456789"
LEAKY = "Traceback (most recent call last): db=postgres://admin:hunter2@10.0.0.5 key=sk-live-LEAKED"


@pytest.fixture(scope="module")
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def provider_app(make_settings: Any, llm: LLMServer) -> Iterator[connexion.FlaskApp]:
    app = create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key=PROVIDER_KEY,
            ai_base_url=llm.openai_base_url,
            ai_max_retries=0,
            ai_validation_retries=1,
            ai_cache_ttl_seconds=0,
        )
    )
    yield app
    resources(app).close()


@pytest.fixture
def caller(provider_app: connexion.FlaskApp) -> tuple[TestClient, Account]:
    client = provider_app.test_client(raise_server_exceptions=False)
    return client, account(provider_app, client, "consumer@example.com")


def _clean(response: Any, *also: str) -> None:
    for leak in (PROVIDER_KEY, "hunter2", "sk-live-LEAKED", "10.0.0.5", "Traceback", *also):
        assert leak not in response.text


def test_an_answer_that_breaks_its_schema_is_never_returned_or_stored(
    provider_app: connexion.FlaskApp, llm: LLMServer, caller: tuple[TestClient, Account]
) -> None:
    client, who = caller
    hostile = {"title": "<script>alert(1)</script>", "role": "admin", "cooking_time": -5}
    llm.script(*[Reply(json=hostile)] * 4)
    recipe = client.post(
        f"{BASE}/recipes/generate", json={"ingredients": ["egg"]}, headers=who.headers
    )
    summary = client.post(
        f"{BASE}/ai/completions",
        json={"prompt": "x", "response_schema": "TextSummary"},
        headers=who.headers,
    )
    for response in (recipe, summary):
        assert response.status_code == 502, response.text
        assert response.json()["code"] == "ai_invalid_output"
        assert "<script>" not in response.text
    with resources(provider_app).db.transaction() as session:
        assert session.exec(select(Recipe)).all() == []


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"id": "chatcmpl-trunc',
        b'{"choices": "not a list", "usage": {"prompt_tokens": -1}}',
        b"null",
    ],
    ids=["html", "truncated", "wrong-shape", "null"],
)
def test_garbage_from_the_provider_is_a_clean_502(
    llm: LLMServer, caller: tuple[TestClient, Account], raw: bytes
) -> None:
    client, who = caller
    llm.script(Reply(raw=raw))
    response = client.post(f"{BASE}/ai/completions", json={"prompt": "x"}, headers=who.headers)
    assert response.status_code == 502, response.text
    assert response.json()["code"] in ("ai_provider_error", "ai_invalid_output")
    _clean(response, "Bad Gateway", "chatcmpl-trunc")


@pytest.mark.parametrize("status", [400, 401, 404, 500, 503])
def test_provider_error_text_never_reaches_the_caller(
    llm: LLMServer, caller: tuple[TestClient, Account], status: int
) -> None:
    client, who = caller
    llm.script(Reply(status=status, error_message=LEAKY))
    response = client.post(f"{BASE}/ai/completions", json={"prompt": "x"}, headers=who.headers)
    assert 400 <= response.status_code < 600 and response.status_code != 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    _clean(response)


def test_a_provider_failing_mid_stream_sends_a_sanitised_error_event(
    llm: LLMServer, caller: tuple[TestClient, Account]
) -> None:
    client, who = caller
    llm.script(Reply(text="one two three", fail_after=1, error_message=LEAKY))
    response = client.post(
        f"{BASE}/ai/completions/stream", json={"prompt": "x"}, headers=who.headers
    )
    assert response.status_code == 200
    assert "event: error" in response.text
    _clean(response)


def test_garbage_from_anthropic_is_a_clean_502_too(make_settings: Any, llm: LLMServer) -> None:
    app = create_app(
        make_settings(
            ai_provider="anthropic",
            anthropic_api_key=PROVIDER_KEY,
            anthropic_base_url=llm.anthropic_base_url,
            ai_max_retries=0,
            ai_cache_ttl_seconds=0,
        )
    )
    client = app.test_client(raise_server_exceptions=False)
    who = account(app, client, "claude-consumer@example.com")
    for raw in (b"<html>oops</html>", b'{"content": 7}'):
        llm.script(Reply(raw=raw))
        response = client.post(f"{BASE}/ai/completions", json={"prompt": "x"}, headers=who.headers)
        assert response.status_code == 502, response.text
        assert response.json()["code"] == "ai_provider_error"
        _clean(response, "oops")
    resources(app).close()
