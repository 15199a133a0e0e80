"""A recipe from a provider that honours the schema it was sent, through the real SDKs:
the fake server answers the smallest instance of that schema (`step: 0` would be fine for a
schema without `minimum`), and the recipe is created with exactly one upstream call, in every
dialect (OpenAI strict json_schema, Azure, `instructions` mode, Anthropic forced tool use)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.main import create_app
from tests.ai_providers import provider_settings
from tests.auth_helpers import account
from tests.fakes.llm_server import LLMServer, Reply

GENERATE = "/api/v1/recipes/generate"
DIALECTS = {
    "openai": ("openai", {}),
    "azure": ("azure", {}),
    "instructions": ("openai", {"ai_structured_output": "instructions"}),
    "anthropic": ("anthropic", {}),
}


@pytest.fixture
def llm(llm: LLMServer) -> LLMServer:
    """The shared fake server (tests/conftest.py), answering from the requested schema."""
    llm.default = Reply(from_schema=True)
    return llm


def sent_schema(body: dict[str, Any]) -> dict[str, Any]:
    if "tools" in body:
        return dict(body["tools"][0]["input_schema"])
    if "response_format" in body:
        return dict(body["response_format"]["json_schema"]["schema"])
    system = body["messages"][0]["content"]
    return dict(json.JSONDecoder().raw_decode(system[system.index("{") :])[0])


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_recipe_takes_one_call_when_the_answer_honours_the_sent_schema(
    make_settings: Any, llm: LLMServer, dialect: str
) -> None:
    provider, extra = DIALECTS[dialect]
    app = create_app(make_settings(**{**provider_settings(provider, llm), **extra}))
    client = app.test_client()
    who = account(app, client, f"{dialect}@example.com")
    response = client.post(GENERATE, json={"ingredients": ["egg"]}, headers=who.headers)
    assert response.status_code == 201, response.text
    (call,) = llm.requests  # no repair: the answer was valid the first time
    data = response.json()["data"]
    assert data["attempts"] == 1 and data["saved_id"] is not None
    recipe = data["recipe"]
    # The smallest values the sent schema allows are the spec's own lower bounds.
    assert recipe["cooking_time"] == 1 and recipe["instructions"][0]["step"] == 1
    assert recipe["ingredients"][0]["amount"] == 0 and recipe["title"] == "a"
    step = sent_schema(call.body)["properties"]["instructions"]["items"]["properties"]["step"]
    assert step["minimum"] == 1
