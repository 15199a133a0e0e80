"""Costs through the real SDKs against the local fake server: a model genai-prices knows is
priced from its table, `AI_PRICES` overrides it, and a model nobody prices costs null (not
0) with an `unknown_price` warning, in completions, streams, batches and recipes, in the
usage rows and in `/ai/usage` (known costs summed, unpriced requests counted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import connexion
import pytest
from httpx_sse import connect_sse
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.main import create_app
from generated import models as api
from tests.ai_providers import provider_settings
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply

COMPLETE = "/api/v1/ai/completions"
UNKNOWN = {
    "code": "unknown_price",
    "message": "No price is known for openai:local-llama, so the cost is null; set AI_PRICES "
    "to price it.",
    "details": {"provider": "openai", "model": "local-llama"},
}
Make = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


@pytest.fixture
def llm(llm: LLMServer) -> LLMServer:
    """The shared fake server (tests/conftest.py), answering with known token counts."""
    llm.default = Reply(text="Hi.", prompt_tokens=1000, completion_tokens=500)
    return llm


@pytest.fixture
def make(make_settings: Any, llm: LLMServer) -> Make:
    def build(provider: str = "openai", **extra: Any) -> tuple[Any, TestClient, Account]:
        app = create_app(make_settings(**{**provider_settings(provider, llm), **extra}))
        client = app.test_client()
        return app, client, account(app, client, f"{provider}-prices@example.com")

    return build


def costs(app: connexion.FlaskApp) -> list[Any]:
    with resources(app).db.transaction() as session:
        return [r.cost_usd for r in session.exec(select(AIUsage).order_by(AIUsage.id)).all()]


def test_a_known_model_is_priced_from_genai_prices(make: Make) -> None:
    app, client, who = make()  # gpt-4o-mini: $0.15 / $0.60 per million tokens
    response = client.post(COMPLETE, json={"prompt": "hi"}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["cost_usd"] == "0.000450"  # 1000 x 0.15 + 500 x 0.60
    assert response.json()["warnings"] == []
    assert [str(c) for c in costs(app)] == ["0.000450"]


def test_ai_prices_override_and_price_a_deployment(make: Make) -> None:
    _, client, who = make("azure", ai_prices={"azure:my-deployment": [1, 2]})
    response = client.post(COMPLETE, json={"prompt": "hi"}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["cost_usd"] == "0.002000"
    assert response.json()["warnings"] == []


def test_an_unknown_price_is_null_with_a_warning_not_zero(make: Make) -> None:
    app, client, who = make(ai_model="local-llama")  # an OpenAI-compatible server's model
    response = client.post(COMPLETE, json={"prompt": "hi"}, headers=who.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["cost_usd"] is None
    assert body["warnings"] == [UNKNOWN]
    assert costs(app) == [None]
    (day,) = client.get("/api/v1/ai/usage", headers=who.headers).json()["data"]["days"]
    assert (day["cost_usd"], day["unpriced_requests"], day["requests"]) == ("0.000000", 1, 1)


def test_an_unknown_price_in_a_stream(make: Make) -> None:
    app, client, who = make(ai_model="local-llama")
    body = {"prompt": "hi", "cache": False}
    with connect_sse(
        client, "POST", "/api/v1/ai/completions/stream", json=body, headers=who.headers
    ) as source:
        events = list(source.iter_sse())
    done = api.StreamDone.model_validate(events[-1].json())
    assert done.cost_usd is None
    assert [w.model_dump(exclude_none=True) for w in done.warnings] == [UNKNOWN]
    assert costs(app) == [None]


def test_an_unknown_price_makes_the_batch_cost_null(make: Make) -> None:
    _, client, who = make(ai_model="local-llama")
    batch = {"requests": [{"prompt": "one"}, {"prompt": "two"}]}
    response = client.post("/api/v1/ai/batch", json=batch, headers=who.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["cost_usd"] is None and data["usage"]["total_tokens"] == 3000
    for result in data["results"]:
        assert result["completion"]["cost_usd"] is None and result["warnings"] == [UNKNOWN]


def test_an_unknown_price_on_a_recipe(make: Make, llm: LLMServer) -> None:
    llm.default = Reply(from_schema=True)
    _, client, who = make("anthropic", ai_model="claude-unpriced-1")
    response = client.post(
        "/api/v1/recipes/generate", json={"ingredients": ["egg"]}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["cost_usd"] is None
    (warning,) = [w for w in response.json()["warnings"] if w["code"] == "unknown_price"]
    assert warning["details"] == {"provider": "anthropic", "model": "claude-unpriced-1"}


def test_a_cache_hit_costs_zero_whatever_the_price(make: Make) -> None:
    app, client, who = make(ai_model="local-llama")
    ask = {"prompt": "hi", "temperature": 0}
    client.post(COMPLETE, json=ask, headers=who.headers)
    hit = client.post(COMPLETE, json=ask, headers=who.headers).json()
    assert hit["data"]["cached"] is True and hit["data"]["cost_usd"] == "0.000000"
    assert [w["code"] for w in hit["warnings"]] == ["cached"]
    assert costs(app)[1] == 0
