"""The OpenAI-compatible endpoint over each real provider SDK, against the local fake server
(tests/fakes/llm_server.py): `stop` and the client's own `json_schema` reach the provider in
its dialect (OpenAI/Azure `stop` and strict `response_format`, Anthropic `stop_sequences`
and forced tool use), and a schema-valid answer comes back in one upstream call."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.main import create_app
from tests.ai_providers import provider_settings
from tests.auth_helpers import account
from tests.fakes.llm_server import LLMServer, Reply

URL = "/api/v1/openai/chat/completions"
PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 40},
        "age": {"type": "integer", "minimum": 18, "maximum": 99},
        "nickname": {"type": "string"},
    },
    "required": ["name", "age"],
    "additionalProperties": False,
}


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.mark.parametrize("provider", ["openai", "azure", "anthropic"])
def test_stop_and_the_clients_schema_reach_the_provider(
    make_settings: Any, llm: LLMServer, provider: str
) -> None:
    app = create_app(make_settings(**provider_settings(provider, llm)))
    client = app.test_client()
    who = account(app, client, f"oai-{provider}@example.com")
    model = client.get("/api/v1/openai/models", headers=who.headers).json()["data"][0]["id"]

    llm.script(Reply(text="Blue Bell"))
    plain = client.post(
        URL,
        json={
            "model": model,
            "messages": [{"role": "user", "content": "Name a mug"}],
            "stop": ["\n\n", "END"],
        },
        headers=who.headers,
    )
    assert plain.status_code == 200, plain.text
    assert plain.json()["choices"][0]["message"]["content"] == "Blue Bell"
    sent = llm.requests[-1].body
    if provider == "anthropic":
        assert sent["stop_sequences"] == ["\n\n", "END"]
    else:
        assert sent["stop"] == ["\n\n", "END"]

    llm.script(Reply(from_schema=True))
    calls = len(llm.requests)
    structured = client.post(
        URL,
        json={
            "model": model,
            "messages": [{"role": "user", "content": "Invent a person."}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "person", "schema": PERSON},
            },
        },
        headers=who.headers,
    )
    assert structured.status_code == 200, structured.text
    assert len(llm.requests) == calls + 1  # valid at once: no repair call
    person = json.loads(structured.json()["choices"][0]["message"]["content"])
    assert 18 <= person["age"] <= 99
    assert 2 <= len(person["name"]) <= 40
    sent = llm.requests[-1].body
    if provider == "anthropic":
        (tool,) = sent["tools"]
        assert tool["name"] == "person"
        assert tool["input_schema"]["properties"]["age"]["minimum"] == 18
        assert sent["tool_choice"] == {"type": "tool", "name": "person"}
    else:
        schema = sent["response_format"]["json_schema"]
        assert schema["name"] == "person"
        assert schema["strict"] is True
        assert schema["schema"]["properties"]["age"]["maximum"] == 99


def test_an_invalid_schema_from_the_client_is_a_validation_error(make_settings: Any) -> None:
    app = create_app(make_settings())
    client = app.test_client()
    who = account(app, client, "oai-bad-schema@example.com")
    response = client.post(
        URL,
        json={
            "model": "fake-1",
            "messages": [{"role": "user", "content": "x"}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "bad", "schema": {"type": "nonsense"}},
            },
        },
        headers=who.headers,
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == problem["error"]["code"] == "validation_error"
    assert problem["error"]["param"] == "response_format.json_schema.schema"


def _ask(client: Any, who: Any, model: str, response_format: dict[str, Any], **extra: Any) -> Any:
    return client.post(
        URL,
        json={
            "model": model,
            "messages": [{"role": "user", "content": "Invent a person."}],
            "response_format": response_format,
            **extra,
        },
        headers=who.headers,
    )


@pytest.mark.parametrize("provider", ["openai", "azure", "anthropic"])
def test_json_mode_answers_a_json_object_in_one_call(
    make_settings: Any, llm: LLMServer, provider: str
) -> None:
    """`json_object` in each dialect, though the client's messages never say "JSON" (OpenAI
    refuses JSON mode without the word; the fake server does too)."""
    app = create_app(make_settings(**provider_settings(provider, llm)))
    client = app.test_client()
    who = account(app, client, f"oai-json-{provider}@example.com")
    model = client.get("/api/v1/openai/models", headers=who.headers).json()["data"][0]["id"]

    llm.script(Reply(json={"name": "Ada", "age": 36}))
    response = _ask(client, who, model, {"type": "json_object"})
    assert response.status_code == 200, response.text
    assert len(llm.requests) == 1  # one upstream call
    assert json.loads(response.json()["choices"][0]["message"]["content"]) == {
        "name": "Ada",
        "age": 36,
    }
    sent = llm.requests[-1].body
    if provider == "anthropic":
        (tool,) = sent["tools"]
        assert tool["input_schema"] == {"type": "object"}
        assert sent["tool_choice"] == {"type": "tool", "name": tool["name"]}
    else:
        assert sent["response_format"] == {"type": "json_object"}
        assert "JSON" in sent["messages"][0]["content"]


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_json_mode_repairs_an_answer_that_is_not_an_object(
    make_settings: Any, llm: LLMServer, provider: str
) -> None:
    app = create_app(make_settings(**provider_settings(provider, llm)))
    client = app.test_client()
    who = account(app, client, f"oai-json-repair-{provider}@example.com")
    model = client.get("/api/v1/openai/models", headers=who.headers).json()["data"][0]["id"]

    text_answer = Reply(text="[1, 2, 3]") if provider == "anthropic" else Reply(json="[1, 2, 3]")
    llm.script(text_answer, Reply(from_schema=True))
    repaired = _ask(client, who, model, {"type": "json_object"})
    assert repaired.status_code == 200, repaired.text
    assert json.loads(repaired.json()["choices"][0]["message"]["content"]) == {}
    assert len(llm.requests) == 2  # the answer, then one repair

    llm.script(*[text_answer] * 5)
    refused = _ask(client, who, model, {"type": "json_object"})
    assert refused.status_code == 502, refused.text
    assert refused.json()["code"] == refused.json()["error"]["code"] == "ai_invalid_output"


@pytest.mark.parametrize("provider", ["openai", "azure", "anthropic"])
def test_strict_false_sends_the_clients_schema_as_it_is(
    make_settings: Any, llm: LLMServer, provider: str
) -> None:
    """A free-form map survives `strict: false` (strict mode would close it)."""
    schema = {
        "type": "object",
        "properties": {"labels": {"type": "object", "additionalProperties": {"type": "string"}}},
        "required": ["labels"],
    }
    app = create_app(make_settings(**provider_settings(provider, llm)))
    client = app.test_client()
    who = account(app, client, f"oai-nonstrict-{provider}@example.com")
    model = client.get("/api/v1/openai/models", headers=who.headers).json()["data"][0]["id"]

    llm.script(Reply(json={"labels": {"colour": "blue", "size": "L"}}))
    fmt = {
        "type": "json_schema",
        "json_schema": {"name": "tagged", "schema": schema, "strict": False},
    }
    response = _ask(client, who, model, fmt)
    assert response.status_code == 200, response.text
    answer = json.loads(response.json()["choices"][0]["message"]["content"])
    assert answer == {"labels": {"colour": "blue", "size": "L"}}
    sent = llm.requests[-1].body
    if provider == "anthropic":
        assert sent["tools"][0]["input_schema"] == schema
    else:
        assert sent["response_format"]["json_schema"] == {
            "name": "tagged",
            "schema": schema,
            "strict": False,
        }

    llm.script(
        *[Reply(json={"labels": {"colour": 7}})] * 5
    )  # against the schema: repaired, refused
    invalid = _ask(client, who, model, fmt)
    assert invalid.status_code == 502, invalid.text
    assert invalid.json()["code"] == "ai_invalid_output"


def test_json_mode_takes_no_json_schema(make_settings: Any) -> None:
    app = create_app(make_settings())
    client = app.test_client()
    who = account(app, client, "oai-json-bad@example.com")
    fmt = {"type": "json_object", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    response = _ask(client, who, "fake-1", fmt)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["error"]["param"] == "response_format.json_schema"


def test_json_mode_on_the_fake_provider(make_settings: Any) -> None:
    app = create_app(make_settings())
    client = app.test_client()
    who = account(app, client, "oai-json-fake@example.com")
    response = _ask(client, who, "fake-1", {"type": "json_object"})
    assert response.status_code == 200, response.text
    assert isinstance(json.loads(response.json()["choices"][0]["message"]["content"]), dict)


def test_strict_and_non_strict_answers_are_cached_apart(make_settings: Any, llm: LLMServer) -> None:
    """The same schema asked strictly and not: two upstream dialects, two cache entries (a
    strict answer never has the extra fields a non-strict one may carry)."""
    app = create_app(make_settings(**provider_settings("openai", llm)))
    client = app.test_client()
    who = account(app, client, "oai-cache-strict@example.com")
    model = client.get("/api/v1/openai/models", headers=who.headers).json()["data"][0]["id"]

    def ask(strict: bool) -> Any:
        fmt = {
            "type": "json_schema",
            "json_schema": {"name": "person", "schema": PERSON, "strict": strict},
        }
        return _ask(client, who, model, fmt, temperature=0)

    llm.script(Reply(json={"name": "Ada", "age": 36}), Reply(json={"name": "Bob", "age": 40}))
    assert ask(strict=True).status_code == 200
    assert len(llm.requests) == 1
    second = ask(strict=False)
    assert second.status_code == 200, second.text
    assert len(llm.requests) == 2  # not the strict answer from the cache
    assert json.loads(second.json()["choices"][0]["message"]["content"])["name"] == "Bob"
    again = ask(strict=False)
    assert again.status_code == 200
    assert len(llm.requests) == 2  # the cache still answers the same request
    assert json.loads(again.json()["choices"][0]["message"]["content"])["name"] == "Bob"
