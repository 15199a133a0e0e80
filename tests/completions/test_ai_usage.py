"""GET /ai/usage (the caller's use per day and model, and today's quota) and GET /ai/stats
(admin totals, per model, heaviest users, cache hit and error rates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from tests.auth_helpers import Account, resources
from tests.problems import assert_problem

COMPLETE = "/api/v1/ai/completions"


def add_usage(app: connexion.FlaskApp, **fields: Any) -> None:
    row = {
        "operation": "completion",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "prompt_tokens": 100,
        "completion_tokens": 50,
        "cost_usd": Decimal("0.000045"),
        "outcome": "ok",
        **fields,
    }
    with resources(app).db.transaction() as session:
        session.add(AIUsage(**row))


def test_usage_per_day_and_model_with_quota(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    today = datetime.now(UTC)
    add_usage(app, user_id=member.user.id)
    add_usage(app, user_id=member.user.id, cached=True, prompt_tokens=0, completion_tokens=0)
    add_usage(app, user_id=member.user.id, outcome="ai_timeout", prompt_tokens=0)
    add_usage(app, user_id=member.user.id, created_at=today - timedelta(days=1))
    add_usage(app, user_id=member.user.id, created_at=today - timedelta(days=40))  # too old
    add_usage(app, user_id=member.user.id, model="local-llama", cost_usd=None)  # no price
    add_usage(app, user_id=None)  # someone deleted: not the caller's
    response = client.get("/api/v1/ai/usage?days=7", headers=member.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    days = data["days"]
    assert [d["day"] for d in days] == [
        today.date().isoformat(),
        today.date().isoformat(),
        (today - timedelta(days=1)).date().isoformat(),
    ]
    first, unpriced = days[0], days[1]  # today's, by provider and model
    assert (first["requests"], first["cached_requests"], first["failed_requests"]) == (3, 1, 1)
    assert (first["prompt_tokens"], first["completion_tokens"]) == (100, 100)
    assert (first["cost_usd"], first["unpriced_requests"]) == ("0.000135", 0)
    assert (unpriced["model"], unpriced["cost_usd"], unpriced["unpriced_requests"]) == (
        "local-llama",
        "0.000000",
        1,
    )
    quota = data["quota"]
    assert quota["used_today"] == 350 and quota["limit"] == 200_000
    assert quota["resets_at"].endswith("T00:00:00Z")


def test_stats_for_admins(
    app: connexion.FlaskApp, client: TestClient, admin: Account, member: Account
) -> None:
    add_usage(app, user_id=member.user.id)
    add_usage(app, user_id=member.user.id, cached=True, prompt_tokens=0, completion_tokens=0)
    add_usage(app, user_id=admin.user.id, provider="anthropic", model="claude-haiku-4-5")
    add_usage(app, user_id=admin.user.id, outcome="ai_invalid_output", prompt_tokens=500)
    add_usage(app, user_id=member.user.id, model="local-llama", cost_usd=None)  # no price
    data = client.get("/api/v1/ai/stats", headers=admin.headers).json()["data"]
    # The known costs summed; the unknown one counted apart, not taken as 0.
    assert data["totals"] == {
        "requests": 5,
        "prompt_tokens": 800,
        "completion_tokens": 200,
        "cost_usd": "0.000180",
        "unpriced_requests": 1,
    }
    assert (data["cache_hit_rate"], data["error_rate"]) == (0.2, 0.2)
    assert [(m["model"], m["requests"], m["unpriced_requests"]) for m in data["per_model"]] == [
        ("claude-haiku-4-5", 1, 0),
        ("gpt-4o-mini", 3, 0),
        ("local-llama", 1, 1),
    ]
    assert [u["user_id"] for u in data["per_user"]] == [admin.user.id, member.user.id]


def test_usage_follows_real_completions(client: TestClient, member: Account) -> None:
    for prompt in ("one", "two", "one"):  # the second "one" is a cache hit
        assert (
            client.post(
                COMPLETE, json={"prompt": prompt, "temperature": 0}, headers=member.headers
            ).status_code
            == 200
        )
    (day,) = client.get("/api/v1/ai/usage", headers=member.headers).json()["data"]["days"]
    assert (day["provider"], day["requests"], day["cached_requests"]) == ("fake", 3, 1)


def test_stats_are_admin_only(client: TestClient, member: Account, reader: Account) -> None:
    for who in (member, reader):
        assert_problem(client.get("/api/v1/ai/stats", headers=who.headers), 403, "forbidden")


@pytest.mark.parametrize("query", ["days=0", "days=367", "days=x", "days=1&extra=1"])
def test_bad_windows_are_400(client: TestClient, member: Account, query: str) -> None:
    response = client.get(f"/api/v1/ai/usage?{query}", headers=member.headers)
    assert_problem(response, 400, "invalid_parameter")


def test_empty_usage(client: TestClient, reader: Account) -> None:
    data = client.get("/api/v1/ai/usage", headers=reader.headers).json()["data"]
    assert data["days"] == [] and data["quota"]["limit"] == 0 and data["quota"]["used_today"] == 0
