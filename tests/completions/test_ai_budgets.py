"""Budgets are caps (issue 19): each provider call reserves its worst case (prompt estimate
plus max_tokens, and its price) before it is made and settles to what it used, in Redis
when configured and in the database otherwise. Through the real OpenAI and Anthropic SDKs
against the local fake server; parallel requests go through the real app (ASGI) at once.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import connexion
import httpx
import pytest
from httpx_sse import connect_sse
from sqlmodel import select
from starlette.testclient import TestClient

from app.accounts.principal import Principal
from app.ai.budget_table import AIBudgetCounter
from app.completions.models import AIUsage
from app.main import create_app
from tests.ai_providers import provider_settings
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.problems import assert_problem

COMPLETE = "/api/v1/ai/completions"
USAGE = "/api/v1/ai/usage"
PARALLEL = 32


def openai_app(make_settings: Any, llm: LLMServer, **extra: Any) -> connexion.FlaskApp:
    return create_app(
        make_settings(
            ai_provider="openai",
            openai_api_key="sk-budget",
            ai_base_url=llm.openai_base_url,
            ai_max_retries=0,
            **extra,
        )
    )


def rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())  # type: ignore[arg-type]


def quota(client: TestClient, who: Account) -> dict[str, Any]:
    response = client.get(USAGE, headers=who.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["quota"]
    return result


async def _at_once(app: Any, headers: dict[str, str], n: int) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://budget") as client:
        return await asyncio.gather(
            *(
                client.post(
                    COMPLETE,
                    json={"prompt": f"q{i}", "max_tokens": 40, "cache": False},
                    headers=headers,
                    timeout=60,
                )
                for i in range(n)
            )
        )


def test_parallel_requests_never_take_used_today_past_the_quota(
    make_settings: Any, llm: LLMServer
) -> None:
    """Before: all 32 were let through (only recorded usage was checked) and used_today
    reached 32 x 28 = 896 against 300."""
    llm.default = Reply(delay_s=0.3, prompt_tokens=8, completion_tokens=20)
    app = openai_app(make_settings, llm, ai_daily_tokens_user=300)
    client = app.test_client()
    who = account(app, client, "parallel@example.com")
    responses = asyncio.run(_at_once(app, who.headers, PARALLEL))
    statuses = sorted(r.status_code for r in responses)
    ok = [r for r in responses if r.status_code == 200]
    assert set(statuses) == {200, 429}, statuses
    for refused in (r for r in responses if r.status_code == 429):
        assert refused.json()["code"] == "ai_quota_exceeded"
        assert 1 <= int(refused.headers["retry-after"]) <= 86_400
    # 45 tokens reserved per call (5 estimated + 40): at most 6 fit at once in 300.
    assert len(ok) >= 6 and llm.max_in_flight <= 6
    assert len(llm.calls("/chat/completions")) == len(ok)
    state = quota(client, who)
    assert state["used_today"] == 28 * len(ok) <= 300
    assert state["reserved"] == 0 and state["limit"] == 300
    assert state["used_today"] == sum(r.prompt_tokens + r.completion_tokens for r in rows(app))


def test_one_large_request_is_refused_before_the_call(make_settings: Any, llm: LLMServer) -> None:
    """Before: a 32,000-character prompt with max_tokens 32768 was charged 8,012 tokens
    against a quota of 300."""
    app = openai_app(make_settings, llm, ai_daily_tokens_user=300, ai_max_output_tokens_user=32_768)
    client = app.test_client()
    who = account(app, client, "large@example.com")
    big = {"prompt": "x" * 32_000, "max_tokens": 32_768}
    body = assert_problem(
        client.post(COMPLETE, json=big, headers=who.headers), 429, "ai_quota_exceeded"
    )
    assert "40772 tokens" in body["detail"]
    assert llm.calls("/chat/completions") == [] and rows(app) == []
    assert quota(client, who)["used_today"] == 0


def test_max_tokens_above_the_roles_ceiling_is_400(make_settings: Any, llm: LLMServer) -> None:
    app = openai_app(make_settings, llm, ai_max_output_tokens=256, ai_max_output_tokens_admin=4096)
    client = app.test_client()
    who = account(app, client, "ceiling@example.com")
    over = client.post(COMPLETE, json={"prompt": "hi", "max_tokens": 257}, headers=who.headers)
    body = assert_problem(over, 400, "max_tokens_too_large")
    assert body["errors"][0]["field"] == "max_tokens" and "256" in body["detail"]
    assert client.post(COMPLETE, json={"prompt": "hi"}, headers=who.headers).status_code == 200
    assert llm.requests[-1].body["max_tokens"] == 256  # the default, within the ceiling
    admin = account(app, client, "ceiling-admin@example.com", "admin")
    fine = client.post(COMPLETE, json={"prompt": "hi", "max_tokens": 4096}, headers=admin.headers)
    assert fine.status_code == 200, fine.text
    assert len(llm.calls("/chat/completions")) == 2


def test_a_users_daily_dollars_are_a_cap(make_settings: Any, llm: LLMServer) -> None:
    # gpt-4o-mini: $0.15 / $0.60 per million. Worst case 5 + 40 tokens = 24.75 micro-dollars
    # (reserved as 25); each call really costs 8 x 0.15 + 20 x 0.60 = 13.2 (recorded as 13).
    llm.default = Reply(prompt_tokens=8, completion_tokens=20)
    app = openai_app(make_settings, llm, ai_daily_tokens_user=0, ai_daily_usd_user="0.0001")
    client = app.test_client()
    who = account(app, client, "dollars@example.com")
    statuses = [
        client.post(
            COMPLETE, json={"prompt": f"d{i}", "max_tokens": 40}, headers=who.headers
        ).status_code
        for i in range(10)
    ]
    # 13 x n + 25 <= 100 while n <= 5: six calls fit, then every one is refused.
    assert statuses == [200] * 6 + [429] * 4
    state = quota(client, who)
    assert (state["usd_limit"], state["usd_used_today"], state["usd_reserved"]) == (
        "0.000100",
        "0.000078",
        "0.000000",
    )
    assert sum(r.cost_usd for r in rows(app)) == Decimal("0.000078")


def test_an_api_keys_daily_dollars_are_a_cap(make_settings: Any, llm: LLMServer) -> None:
    llm.default = Reply(prompt_tokens=8, completion_tokens=20)
    app = openai_app(make_settings, llm)
    client = app.test_client()
    who = account(app, client, "keycap@example.com")
    keys = "/api/v1/auth/api-keys"
    zero = client.post(keys, json={"name": "none", "daily_usd": "0"}, headers=who.headers)
    assert_problem(zero, 422, "validation_error")
    bad = client.post(keys, json={"name": "bad", "daily_usd": "-1"}, headers=who.headers)
    assert bad.status_code in (400, 422)
    created = client.post(
        keys, json={"name": "capped", "daily_usd": "0.00005"}, headers=who.headers
    )
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert data["daily_usd"] == "0.000050"
    listed = client.get(keys, headers=who.headers).json()["data"]["items"]
    assert [k["daily_usd"] for k in listed] == ["0.000050"]
    with_key = {"X-API-Key": data["key"]}
    ask = {"prompt": "k", "max_tokens": 40}
    # 25 reserved, 13 spent per call: 13 + 25 <= 50, 26 + 25 > 50.
    statuses = [client.post(COMPLETE, json=ask, headers=with_key).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.post(COMPLETE, json=ask, headers=with_key)
    assert (
        "this API key's daily AI budget"
        in assert_problem(refused, 429, "ai_quota_exceeded")["detail"]
    )
    # The key's cap is the key's: the owner's session is not limited by it.
    assert client.post(COMPLETE, json=ask, headers=who.headers).status_code == 200
    assert [r.api_key_id for r in rows(app)] == [data["id"], data["id"], None]
    # All or nothing: the refused calls left nothing on the owner's own counter either.
    state = quota(client, who)
    assert (state["used_today"], state["reserved"]) == (3 * 28, 0)


def test_an_unknown_price_is_refused_under_a_dollar_budget(
    make_settings: Any, llm: LLMServer
) -> None:
    extra = {"ai_allowed_models": "openai:mystery-model", "ai_daily_usd_user": "1"}
    app = openai_app(make_settings, llm, **extra)
    client = app.test_client()
    who = account(app, client, "mystery@example.com")
    ask = {"prompt": "hi", "model": "mystery-model", "provider": "openai"}
    body = assert_problem(
        client.post(COMPLETE, json=ask, headers=who.headers), 400, "unknown_price"
    )
    assert "openai:mystery-model" in body["detail"]
    assert llm.calls("/chat/completions") == []
    known = client.post(COMPLETE, json={"prompt": "hi"}, headers=who.headers)
    assert known.status_code == 200, known.text
    allowed = openai_app(make_settings, llm, ai_allow_unknown_prices=True, **extra)
    client = allowed.test_client()
    other = account(allowed, client, "mystery-ok@example.com")
    assert client.post(COMPLETE, json=ask, headers=other.headers).status_code == 200
    # Without a dollar budget the price does not matter.
    free = openai_app(make_settings, llm, ai_allowed_models="openai:mystery-model")
    client = free.test_client()
    third = account(free, client, "mystery-free@example.com")
    assert client.post(COMPLETE, json=ask, headers=third.headers).status_code == 200


def test_a_failed_call_settles_its_reservation(make_settings: Any, llm: LLMServer) -> None:
    llm.script(Reply(status=500), Reply(json="not json"), Reply(json="not json"), Reply(json="{}"))
    app = openai_app(make_settings, llm, ai_daily_tokens_user=1000, ai_validation_retries=2)
    client = app.test_client()
    who = account(app, client, "settle@example.com")
    failed = client.post(COMPLETE, json={"prompt": "x", "max_tokens": 40}, headers=who.headers)
    assert_problem(failed, 502, "ai_provider_error")
    state = quota(client, who)
    assert (state["used_today"], state["reserved"]) == (0, 0)
    # Three invalid answers: each repair reserved its own worst case, all settled.
    ask = {"prompt": "x", "max_tokens": 40, "response_schema": "TextSummary"}
    assert_problem(client.post(COMPLETE, json=ask, headers=who.headers), 502, "ai_invalid_output")
    state = quota(client, who)
    assert (state["used_today"], state["reserved"]) == (3 * 18, 0)


def test_a_call_that_never_settles_keeps_its_reservation(
    make_settings: Any, llm: LLMServer
) -> None:
    """What a worker killed mid-call leaves: the reservation stays charged (and shown)."""
    app = openai_app(make_settings, llm, ai_daily_tokens_user=100)
    client = app.test_client()
    who = account(app, client, "killed@example.com")
    budget = resources(app).ai.budget
    principal = Principal(user=who.user, method="bearer")
    budget.reserve(
        principal,
        provider="openai",
        model="gpt-4o-mini",
        prompt_tokens=10,
        max_tokens=50,
        operation="job",
    )  # ... and the process dies before it settles
    state = quota(client, who)
    assert (state["used_today"], state["reserved"]) == (0, 60)
    ask = {"prompt": "x", "max_tokens": 40}  # 45 more would pass 100
    assert_problem(client.post(COMPLETE, json=ask, headers=who.headers), 429, "ai_quota_exceeded")
    assert llm.calls("/chat/completions") == []


def test_batch_usage_counts_every_attempt_of_every_item(make_settings: Any, llm: LLMServer) -> None:
    """Before: the failed item's three attempts were left out of the batch's totals."""
    llm.default = Reply(json="not json", prompt_tokens=8, completion_tokens=20)
    app = openai_app(make_settings, llm, ai_batch_concurrency=1)
    client = app.test_client()
    who = account(app, client, "batch-usage@example.com")
    requests = [
        {"prompt": "invalid", "response_schema": "TextSummary", "max_tokens": 40},
        {"prompt": "fine", "max_tokens": 40},
    ]
    response = client.post("/api/v1/ai/batch", json={"requests": requests}, headers=who.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [r["status"] for r in data["results"]] == ["error", "ok"]
    assert data["usage"] == {"prompt_tokens": 32, "completion_tokens": 80, "total_tokens": 112}
    (day,) = client.get(USAGE, headers=who.headers).json()["data"]["days"]
    assert (day["prompt_tokens"], day["completion_tokens"]) == (32, 80)
    assert data["cost_usd"] == day["cost_usd"] != "0.000000"
    assert {r.operation for r in rows(app)} == {"batch"}


def test_each_usage_row_names_its_operation(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    """Before: recipes were recorded as `completion`, streams as `completion_stream`."""
    assert client.post(COMPLETE, json={"prompt": "a"}, headers=member.headers).status_code == 200
    recipe = {"ingredients": ["egg", "flour"], "save": False}
    made = client.post("/api/v1/recipes/generate", json=recipe, headers=member.headers)
    assert made.status_code in (200, 201), made.text
    with connect_sse(
        client, "POST", f"{COMPLETE}/stream", json={"prompt": "s"}, headers=member.headers
    ) as source:
        list(source.iter_sse())
    batch = {"requests": [{"prompt": "b"}]}
    assert client.post("/api/v1/ai/batch", json=batch, headers=member.headers).status_code == 200
    assert [r.operation for r in rows(app)] == ["completion", "recipe", "stream", "batch"]


@pytest.mark.parametrize("provider", ["openai", "azure", "anthropic"])
def test_a_stream_without_an_answer_is_a_provider_error(
    make_settings: Any, llm: LLMServer, provider: str
) -> None:
    """Before: an Anthropic stream with no events ended with `done`, 0 tokens, outcome ok.
    Azure's empty stream still opens with its prompt-filter chunk (no choices)."""
    llm.default = Reply(no_events=True)
    app = create_app(make_settings(**{**provider_settings(provider, llm), "ai_max_retries": 0}))
    client = app.test_client()
    who = account(app, client, f"empty-{provider}@example.com")
    # Nothing was sent yet, so the failure is the response itself (as for any provider
    # error before the first event; after it, it would be an `event: error`), never `done`.
    response = client.post(
        f"{COMPLETE}/stream", json={"prompt": "say something"}, headers=who.headers
    )
    assert_problem(response, 502, "ai_provider_error")
    assert "ended the stream without an answer" in response.json()["detail"]
    (row,) = rows(app)
    assert (row.operation, row.outcome) == ("stream", "ai_provider_error")
    assert row.prompt_tokens > 0 and row.completion_tokens == 0  # the prompt, estimated
    assert quota(client, who)["reserved"] == 0


def test_counters_live_in_redis_for_the_day_or_in_the_database(
    make_settings: Any, llm: LLMServer
) -> None:
    app = openai_app(make_settings, llm, ai_daily_tokens_user=1000)
    client = app.test_client()
    who = account(app, client, "where@example.com")
    ask = {"prompt": "x", "max_tokens": 40}
    assert client.post(COMPLETE, json=ask, headers=who.headers).status_code == 200
    res = resources(app)
    scope = f"user:{who.user.id}"
    if res.redis is not None:
        prefix = res.settings.redis.key_prefix
        (key,) = list(res.redis.scan_iter(match=f"{prefix}:ai:budget:*:{scope}"))
        assert res.redis.hmget(key, ["t", "m"]) == [b"18", b"6"]  # 11 + 7 tokens, $0.000006
        assert 86_400 < res.redis.ttl(key) <= 2 * 86_400  # its day, and one more
    else:
        with res.db.transaction() as session:
            (counter,) = session.exec(select(AIBudgetCounter)).all()
        assert (counter.scope, counter.tokens, counter.usd_micros) == (scope, 18, 6)


def test_a_counter_started_mid_day_counts_the_days_usage(
    make_settings: Any, llm: LLMServer
) -> None:
    """Budgets switched on (or Redis emptied) at noon do not hand out a fresh allowance."""
    app = openai_app(make_settings, llm, ai_daily_tokens_user=300)
    client = app.test_client()
    who = account(app, client, "midday@example.com")
    with resources(app).db.transaction() as session:
        session.add(
            AIUsage(
                user_id=who.user.id,
                operation="completion",
                provider="openai",
                model="gpt-4o-mini",
                prompt_tokens=200,
                completion_tokens=60,
                outcome="ok",
            )
        )
    ask = {"prompt": "x", "max_tokens": 40}  # 260 + 45 > 300
    assert_problem(client.post(COMPLETE, json=ask, headers=who.headers), 429, "ai_quota_exceeded")
    ask["max_tokens"] = 30  # 260 + 35 <= 300
    assert client.post(COMPLETE, json=ask, headers=who.headers).status_code == 200
    state = quota(client, who)
    assert (state["used_today"], state["reserved"]) == (278, 0)


def test_a_job_with_an_unknown_price_is_refused_at_submission(
    make_settings: Any, llm: LLMServer
) -> None:
    """A job that can never be reserved (no known price under a dollar budget) is refused
    when it is submitted, as a completion would be. Before: 202, then the job failed."""
    extra = {"ai_allowed_models": "openai:mystery-model", "ai_daily_usd_user": "1"}
    app = openai_app(make_settings, llm, jobs_backend="inprocess", **extra)
    try:
        client = app.test_client()
        who = account(app, client, "mystery-job@example.com")
        work = {"prompt": "hi", "model": "mystery-model", "provider": "openai"}
        body = {"kind": "completion", "completion": work}
        response = client.post("/api/v1/ai/jobs", json=body, headers=who.headers)
        assert_problem(response, 400, "unknown_price")
        listed = client.get("/api/v1/ai/jobs", headers=who.headers).json()["data"]
        assert listed["total"] == 0
        assert llm.calls("/chat/completions") == []
    finally:
        resources(app).close()
