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
