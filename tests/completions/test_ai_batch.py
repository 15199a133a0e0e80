"""POST /ai/batch: results in input order, per-item failures, the concurrency limit (counted
at the provider, not timed), the whole-batch quota check, idempotency, bad input."""

from __future__ import annotations

from typing import Any

import connexion
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.main import create_app
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.problems import assert_problem, assert_problem_type

URL = "/api/v1/ai/batch"


def usage(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage)).all())


def test_results_in_order_with_per_item_failures(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    requests = [
        {"prompt": "first"},
        {"prompt": "second", "model": "not-allowed"},
        {"prompt": "third", "response_schema": "TextSummary"},
        {"prompt": "x" * 40_000},  # over AI_MAX_PROMPT_CHARS
    ]
    response = client.post(URL, json={"requests": requests}, headers=member.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    data = body["data"]
    assert [(r["index"], r["status"]) for r in data["results"]] == [
        (0, "ok"),
        (1, "error"),
        (2, "ok"),
        (3, "error"),
    ]
    assert data["results"][0]["completion"]["text"].endswith("first")
    assert data["results"][1]["problem"]["code"] == "unsupported_model"
    assert_problem_type(data["results"][1]["problem"])
    assert data["results"][1]["problem"]["status"] == 400
    assert data["results"][2]["completion"]["object"]["key_points"]
    assert data["results"][3]["problem"]["code"] == "prompt_too_long"
    assert (data["succeeded"], data["failed"]) == (2, 2)
    assert body["message"] == "2 of 4 succeeded"
    tokens = [
        r["completion"]["usage"]["total_tokens"] for r in data["results"] if r["status"] == "ok"
    ]
    assert data["usage"]["total_tokens"] == sum(tokens)
    assert len(usage(app)) == 2  # provider calls only for the runnable ones


def test_concurrency_never_exceeds_the_limit(make_settings: Any, llm: LLMServer) -> None:
    llm.default = Reply(delay_s=0.15)
    app = create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key="sk-batch",
            ai_base_url=llm.openai_base_url,
            ai_batch_concurrency=3,
        )
    )
    client = app.test_client()
    who = account(app, client, "batch@example.com")
    requests = [{"prompt": f"q{i}", "cache": False} for i in range(12)]
    response = client.post(URL, json={"requests": requests}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["succeeded"] == 12
    assert len(llm.calls("/chat/completions")) == 12
    assert llm.max_in_flight == 3  # never more, and the limit was used


def test_the_quota_is_checked_for_the_whole_batch(make_settings: Any) -> None:
    app = create_app(make_settings(ai_daily_tokens_user=1000, ai_max_output_tokens=100))
    client = app.test_client()
    who = account(app, client, "quota@example.com")
    small = {"requests": [{"prompt": "hi", "max_tokens": 10}] * 5}
    assert client.post(URL, json=small, headers=who.headers).status_code == 200
    big = {"requests": [{"prompt": "hi"}] * 20}  # 20 x (1 + 4 + 100) estimated > what is left
    body = assert_problem(client.post(URL, json=big, headers=who.headers), 429, "ai_quota_exceeded")
    assert "This batch may use up to 2100 tokens" in body["detail"]
    # Identical items of one batch run side by side, so each may call the provider.
    assert len(usage(app)) == 5


def test_batch_size_limit_from_settings(make_settings: Any) -> None:
    app = create_app(make_settings(ai_batch_max=2))
    client = app.test_client()
    who = account(app, client, "limit@example.com")
    three = {"requests": [{"prompt": "a"}, {"prompt": "b"}, {"prompt": "c"}]}
    body = assert_problem(
        client.post(URL, json=three, headers=who.headers), 422, "validation_error"
    )
    assert body["errors"][0]["field"] == "requests"


def test_batches_are_idempotent(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    ask = {"requests": [{"prompt": "one", "cache": False}, {"prompt": "two", "cache": False}]}
    headers = {**member.headers, "Idempotency-Key": "batch-1"}
    first = client.post(URL, json=ask, headers=headers)
    again = client.post(URL, json=ask, headers=headers)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(usage(app)) == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"requests": []},
        {"requests": [{"prompt": "a"}] * 51},
        {"requests": [{}]},
        {"requests": [{"prompt": "a", "messages": [{"role": "user", "content": "b"}]}]},
        {"requests": "all"},
        {"requests": [{"prompt": "a"}], "extra": 1},
    ],
)
def test_malformed_batches_are_refused_whole(
    app: connexion.FlaskApp, client: TestClient, member: Account, body: dict[str, Any]
) -> None:
    response = client.post(URL, json=body, headers=member.headers)
    assert response.status_code in (400, 422), response.text
    assert usage(app) == []


def test_readonly_may_not_batch(client: TestClient, reader: Account) -> None:
    assert_problem(
        client.post(URL, json={"requests": [{"prompt": "a"}]}, headers=reader.headers),
        403,
        "forbidden",
    )
