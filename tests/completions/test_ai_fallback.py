"""Provider fallback (AI_FALLBACKS) and circuit breakers, through the real SDKs against two
local fake servers: `primary` speaks for openai (the chosen provider), `standby` for
anthropic (the fallback). Retryable failures (503 with an error body, 500, 429 with
retry-after, a provider that hangs past the timeout) fall back; request errors, refusals
and invalid answers never do. Each provider tried is its own usage row; the breaker opens,
half-opens (one probe) and closes, visibly in /health and /metrics; a stream falls back
only before its first event."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import connexion
import pytest
from httpx_sse import connect_sse
from sqlmodel import select
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.main import create_app
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.metrics_text import parse, value
from tests.problems import assert_problem

URL = "/api/v1/ai/completions"
KEY = "sk-test-fallback-key"
STANDBY = ("anthropic", "claude-haiku-4-5")
SUMMARY = {"summary": "Rain falls.", "key_points": ["rain"], "confidence_score": 0.8}


@pytest.fixture
def primary() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def standby() -> Iterator[LLMServer]:
    with LLMServer() as server:
        server.default = Reply(text="From the standby", prompt_tokens=5, completion_tokens=3)
        yield server


@pytest.fixture
def hang() -> Iterator[threading.Event]:
    """Held replies wait for this; set at the end so no server thread outlives the test."""
    event = threading.Event()
    yield event
    event.set()


Make = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


@pytest.fixture
def make(make_settings: Any, primary: LLMServer, standby: LLMServer) -> Make:
    def build(**extra: Any) -> tuple[connexion.FlaskApp, TestClient, Account]:
        values = {
            "ai_provider": "openai",
            "openai_api_key": KEY,
            "ai_base_url": primary.openai_base_url,
            "anthropic_api_key": KEY,
            "anthropic_base_url": standby.anthropic_base_url,
            "ai_fallbacks": ":".join(STANDBY),
            "ai_max_retries": 0,  # SDK retries are tested with the providers; keep it fast
            "ai_timeout_s": 5,
            **extra,
        }
        app = create_app(make_settings(**values))
        client = app.test_client()
        return app, client, account(app, client, "fallback@example.com")

    return build


def rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())


def fallback_warning(data: dict[str, Any], warnings: list[dict[str, Any]]) -> dict[str, Any]:
    (found,) = [w for w in warnings if w["code"] == "provider_fallback"]
    assert found["details"]["provider"] == data["provider"]
    return found


def breaker(client: TestClient, provider: str) -> dict[str, Any]:
    response = client.get("/api/v1/health")
    ai = response.json()["data"]["checks"]["ai_service"]
    (found,) = [b for b in ai["breakers"] if b["provider"] == provider]
    return found


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (Reply(status=503, error_message="The engine is currently overloaded"), "ai_rate_limited"),
        (Reply(status=500), "ai_provider_error"),
        (Reply(status=429, headers={"retry-after": "0"}), "ai_rate_limited"),
        (None, "ai_timeout"),  # hangs past AI_TIMEOUT_S
    ],
    ids=["503", "500", "429", "hang"],
)
def test_a_retryable_failure_falls_back(
    make: Make,
    primary: LLMServer,
    standby: LLMServer,
    hang: threading.Event,
    fault: Reply | None,
    code: str,
) -> None:
    primary.default = fault or Reply(hold=hang)
    app, client, who = make(ai_timeout_s=0.5 if fault is None else 5)
    response = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    data = body["data"]
    assert (data["provider"], data["model"], data["text"]) == (*STANDBY, "From the standby")
    warning = fallback_warning(data, body["warnings"])
    assert warning["details"]["failed"] == [
        {"provider": "openai", "model": "gpt-4o-mini", "code": code}
    ]
    assert "openai" in warning["message"]
    assert data["usage"] == {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}
    # Every provider tried is its own usage row.
    failed, answered = rows(app)
    assert (failed.provider, failed.model, failed.outcome, failed.operation) == (
        "openai",
        "gpt-4o-mini",
        code,
        "completion",
    )
    assert (answered.provider, answered.model, answered.outcome) == (*STANDBY, "ok")
    assert (answered.prompt_tokens, answered.completion_tokens) == (5, 3)
    assert failed.request_id == answered.request_id == response.headers["x-request-id"]
    assert (len(primary.calls("/chat/completions")), len(standby.calls("/messages"))) == (1, 1)


def test_sdk_retries_come_before_the_fallback(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=503, headers={"retry-after-ms": "1"})
    _, client, who = make(ai_max_retries=2)
    response = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    assert response.json()["data"]["provider"] == "anthropic"
    assert (len(primary.calls("/chat/completions")), len(standby.calls("/messages"))) == (3, 1)


@pytest.mark.parametrize(
    ("reply", "ask", "status", "code"),
    [
        (Reply(status=400, error_message="bad request"), {}, 502, "ai_provider_error"),
        (Reply(status=404, error_message="no such model"), {}, 502, "ai_provider_error"),
        (Reply(status=401), {}, 502, "ai_provider_auth"),
        (Reply(refusal="I can't help with that."), {}, 422, "ai_refused"),
        (
            Reply(json="{not json"),
            {"response_schema": "TextSummary"},
            502,
            "ai_invalid_output",
        ),
    ],
    ids=["400", "404", "401", "refusal", "invalid-output"],
)
def test_no_fallback_on_request_errors_refusals_or_invalid_output(
    make: Make,
    primary: LLMServer,
    standby: LLMServer,
    reply: Reply,
    ask: dict[str, Any],
    status: int,
    code: str,
) -> None:
    primary.default = reply
    app, client, who = make(ai_breaker_failures=1)
    response = client.post(URL, json={"prompt": "Name a mug", **ask}, headers=who.headers)
    assert_problem(response, status, code)
    assert standby.calls("/messages") == []
    assert [(r.provider, r.outcome) for r in rows(app)] == [("openai", code)]
    # The provider answered: not a failure of the provider, so the breaker stays closed.
    assert breaker(client, "openai")["state"] == "closed"


def test_breaker_opens_half_opens_and_closes(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    open_s = 1.0
    primary.default = Reply(status=503)
    app, client, who = make(ai_breaker_failures=2, ai_breaker_open_s=open_s)
    before = parse(client.get("/metrics").text)

    def ask() -> dict[str, Any]:
        response = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    ask()
    assert breaker(client, "openai") == {
        "provider": "openai",
        "state": "closed",
        "failures": 1,
        "retry_after_s": None,
    }
    ask()  # the second consecutive failure opens it
    assert len(primary.calls("/chat/completions")) == 2
    # Open: skipped at once, no call; the warning says why.
    body = ask()
    assert len(primary.calls("/chat/completions")) == 2
    assert body["data"]["provider"] == "anthropic"
    assert fallback_warning(body["data"], body["warnings"])["details"]["failed"] == [
        {"provider": "openai", "model": "gpt-4o-mini", "code": "circuit_open"}
    ]
    seen = breaker(client, "openai")
    assert seen["state"] == "open" and 0 <= seen["retry_after_s"] <= open_s
    assert breaker(client, "anthropic")["state"] == "closed"
    samples = parse(client.get("/metrics").text)
    assert value(samples, "ai_breaker_state", provider="openai") == 2
    assert value(samples, "ai_breaker_state", provider="anthropic") == 0
    # Half-open: one probe; it fails, so the breaker opens again.
    time.sleep(open_s)
    ask()
    assert len(primary.calls("/chat/completions")) == 3
    assert breaker(client, "openai")["state"] == "open"
    ask()
    assert len(primary.calls("/chat/completions")) == 3
    # The provider is back: the next probe closes the breaker.
    time.sleep(open_s)
    primary.default = Reply(text="The primary is back")
    body = ask()
    assert (body["data"]["provider"], body["data"]["text"]) == ("openai", "The primary is back")
    assert [w["code"] for w in body["warnings"]] == []
    assert breaker(client, "openai")["state"] == "closed"
    after = parse(client.get("/metrics").text)

    def moved(state: str) -> float:
        name = "ai_breaker_transitions_total"
        return value(after, name, provider="openai", state=state) - value(
            before, name, provider="openai", state=state
        )

    assert (moved("open"), moved("half_open"), moved("closed")) == (2, 2, 1)
    assert value(after, "ai_breaker_state", provider="openai") == 0
    outcomes = [(r.provider, r.outcome) for r in rows(app)]
    assert outcomes.count(("openai", "ai_rate_limited")) == 3  # skipped calls leave no row
    assert outcomes.count(("anthropic", "ok")) == 5


def test_no_provider_left_is_503_with_retry_after(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=503, headers={"retry-after": "7"})
    standby.default = Reply(status=529)  # Anthropic: overloaded
    app, client, who = make()
    response = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    body = assert_problem(response, 503, "ai_provider_unavailable")
    assert "openai:gpt-4o-mini (ai_rate_limited)" in body["detail"]
    assert "anthropic:claude-haiku-4-5 (ai_rate_limited)" in body["detail"]
    assert int(response.headers["retry-after"]) >= 1
    assert [(r.provider, r.outcome) for r in rows(app)] == [
        ("openai", "ai_rate_limited"),
        ("anthropic", "ai_rate_limited"),
    ]


def test_an_open_breaker_skips_a_lone_provider_at_once(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=500)
    app, client, who = make(ai_fallbacks="", ai_breaker_failures=1, ai_breaker_open_s=60)
    first = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    assert_problem(first, 502, "ai_provider_error")  # a lone provider keeps its own error
    second = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    body = assert_problem(second, 503, "ai_provider_unavailable")
    assert "openai:gpt-4o-mini (circuit_open)" in body["detail"]
    assert 1 <= int(second.headers["retry-after"]) <= 60
    assert len(primary.calls("/chat/completions")) == 1  # no call, no timeout paid
    assert len(rows(app)) == 1


def test_a_stream_falls_back_before_its_first_event(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=503)
    app, client, who = make()
    ask = {"prompt": "Name a mug"}
    with connect_sse(client, "POST", f"{URL}/stream", json=ask, headers=who.headers) as source:
        assert source.response.status_code == 200
        events = list(source.iter_sse())
    assert [e.event for e in events] == ["delta", "delta", "delta", "done"]
    assert "".join(e.json()["text"] for e in events[:-1]) == "From the standby"
    done = events[-1].json()
    assert (done["provider"], done["model"]) == STANDBY
    warning = fallback_warning(done, done["warnings"])
    assert warning["details"]["failed"] == [
        {"provider": "openai", "model": "gpt-4o-mini", "code": "ai_rate_limited"}
    ]
    assert [(r.provider, r.outcome, r.operation) for r in rows(app)] == [
        ("openai", "ai_rate_limited", "stream"),
        ("anthropic", "ok", "stream"),
    ]


def test_a_stream_with_no_provider_left_is_a_503_problem(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = standby.default = Reply(status=500)
    _, client, who = make()
    response = client.post(f"{URL}/stream", json={"prompt": "Hi"}, headers=who.headers)
    body = assert_problem(response, 503, "ai_provider_unavailable")
    assert "openai:gpt-4o-mini (ai_provider_error)" in body["detail"]
    assert "retry-after" in response.headers


def test_a_stream_never_falls_back_after_its_first_event(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(text="one two three four", fail_after=1)
    app, client, who = make()
    ask = {"prompt": "Name a mug"}
    with connect_sse(client, "POST", f"{URL}/stream", json=ask, headers=who.headers) as source:
        events = list(source.iter_sse())
    assert [e.event for e in events] == ["delta", "error"]
    assert events[-1].json()["code"] == "ai_provider_error"
    assert standby.calls("/messages") == []
    assert [r.provider for r in rows(app)] == ["openai"]


def test_a_structured_stream_falls_back_too(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=502)
    standby.default = Reply(json=SUMMARY)
    _, client, who = make()
    ask = {"prompt": "Summarise rain", "response_schema": "TextSummary"}
    with connect_sse(client, "POST", f"{URL}/stream", json=ask, headers=who.headers) as source:
        events = list(source.iter_sse())
    assert [e.event for e in events] == ["object", "done"]
    assert events[0].json()["object"] == SUMMARY
    assert events[1].json()["provider"] == "anthropic"


def test_batch_items_fall_back_the_same_way(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=503)
    app, client, who = make()
    requests = [{"prompt": "first"}, {"prompt": "second"}]
    response = client.post("/api/v1/ai/batch", json={"requests": requests}, headers=who.headers)
    assert response.status_code == 200, response.text
    results = response.json()["data"]["results"]
    assert [r["completion"]["provider"] for r in results] == ["anthropic", "anthropic"]
    assert all("provider_fallback" in [w["code"] for w in r["warnings"]] for r in results)
    assert sorted(r.provider for r in rows(app)) == ["anthropic", "anthropic", "openai", "openai"]


def test_recipes_and_jobs_fall_back_the_same_way(make: Make, primary: LLMServer) -> None:
    primary.default = Reply(status=503)
    # The fake provider as the fallback: it answers every schema, recipes included.
    app, client, who = make(ai_fallbacks="fake:fake-1", jobs_backend="inprocess")
    try:
        generated = client.post(
            "/api/v1/recipes/generate", json={"ingredients": ["tomatoes"]}, headers=who.headers
        )
        assert generated.status_code == 201, generated.text
        recipe = generated.json()["data"]
        assert (recipe["provider"], recipe["model"]) == ("fake", "fake-1")
        assert "provider_fallback" in [w["code"] for w in generated.json()["warnings"]]
        body = {"kind": "completion", "completion": {"prompt": "Say hello."}}
        job = client.post("/api/v1/ai/jobs", json=body, headers=who.headers).json()["data"]
        deadline = time.monotonic() + 15
        while job["status"] not in {"succeeded", "failed"}:
            assert time.monotonic() < deadline, job
            time.sleep(0.05)
            job = client.get(f"/api/v1/ai/jobs/{job['id']}", headers=who.headers).json()["data"]
        assert job["status"] == "succeeded", job
        assert job["result"]["provider"] == "fake"
        assert [(r.provider, r.outcome) for r in rows(app)] == [
            ("openai", "ai_rate_limited"),
            ("fake", "ok"),
            ("openai", "ai_rate_limited"),
            ("fake", "ok"),
        ]
    finally:
        resources(app).close()


# --- budgets: each provider tried reserves at its own price -------------------------------
PRICED = {"openai:gpt-4o-mini": [1, 1], "anthropic:claude-haiku-4-5": [1000, 1000]}


def quota(client: TestClient, who: Account) -> dict[str, Any]:
    response = client.get("/api/v1/ai/usage", headers=who.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["quota"]
    return result


@pytest.mark.parametrize("stream", [False, True], ids=["completion", "stream"])
def test_a_fallback_that_does_not_fit_the_budget_at_its_price_is_refused(
    make: Make, primary: LLMServer, standby: LLMServer, stream: bool
) -> None:
    """The chosen provider's worst case fits a $0.01 day ($1 per million tokens); the
    fallback's ($1000 per million) does not: after the 503, the fallback is refused before
    any call (429), the first attempt is settled and nothing stays reserved."""
    primary.default = Reply(status=503)
    app, client, who = make(ai_prices=PRICED, ai_daily_usd_user="0.01")
    url = f"{URL}/stream" if stream else URL
    response = client.post(url, json={"prompt": "Name a mug"}, headers=who.headers)
    assert_problem(response, 429, "ai_quota_exceeded")
    assert standby.requests == []
    assert [(r.provider, r.outcome) for r in rows(app)] == [("openai", "ai_rate_limited")]
    left = quota(client, who)
    assert (left["reserved"], left["usd_reserved"]) == (0, "0.000000")


def test_a_fallback_that_fits_is_charged_at_its_own_price(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    primary.default = Reply(status=503)
    app, client, who = make(ai_prices=PRICED, ai_daily_usd_user="5")
    response = client.post(URL, json={"prompt": "Name a mug"}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["provider"] == "anthropic"
    (failed, answered) = rows(app)
    assert (failed.provider, answered.provider) == ("openai", "anthropic")
    assert answered.cost_usd is not None
    left = quota(client, who)
    assert left["reserved"] == 0
    assert left["used_today"] == sum(r.prompt_tokens + r.completion_tokens for r in rows(app))
    assert left["usd_used_today"] == f"{answered.cost_usd + (failed.cost_usd or 0):.6f}"


def test_a_stream_whose_chosen_provider_is_skipped_reserves_only_for_the_fallback(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    """The chosen provider's breaker is open, so its planned reservation is given back
    before the fallback reserves its own: one stream's worst case fits the day twice
    over, two at once would not. Before: both were held, and the stream was refused 429."""
    primary.default = Reply(status=503)
    app, client, who = make(ai_breaker_failures=1, ai_breaker_open_s=60, ai_daily_tokens_user=200)
    ask = {"prompt": "Name a mug", "max_tokens": 100}
    first = client.post(URL, json=ask, headers=who.headers)
    assert first.status_code == 200 and breaker(client, "openai")["state"] == "open"
    with connect_sse(client, "POST", f"{URL}/stream", json=ask, headers=who.headers) as source:
        assert source.response.status_code == 200, source.response.read()
        events = list(source.iter_sse())
    done = events[-1].json()
    assert (events[-1].event, done["provider"]) == ("done", "anthropic")
    assert len(primary.calls("/chat/completions")) == 1  # skipped: no call
    left = quota(client, who)
    assert left["reserved"] == 0
    assert left["used_today"] == sum(r.prompt_tokens + r.completion_tokens for r in rows(app))


def test_a_cached_fallback_answer_is_recorded_as_who_answered_it(
    make: Make, primary: LLMServer, standby: LLMServer
) -> None:
    """A cache hit on an answer the fallback gave: its usage row names the provider that
    answered, as the response does (cost 0, no provider called). Before: the row named the
    chosen provider, which never answered."""
    primary.default = Reply(status=503)
    app, client, who = make()
    ask = {"prompt": "Name a mug", "temperature": 0}
    first = client.post(URL, json=ask, headers=who.headers).json()
    second = client.post(URL, json=ask, headers=who.headers).json()
    assert (first["data"]["cached"], second["data"]["cached"]) == (False, True)
    assert second["data"]["provider"] == first["data"]["provider"] == "anthropic"
    assert second["data"]["cost_usd"] == "0.000000"
    assert len(standby.calls("/messages")) == 1
    hit = rows(app)[-1]
    assert hit.cached
    assert (hit.provider, hit.model) == STANDBY


@pytest.mark.parametrize("stream", [False, True], ids=["completion", "stream"])
def test_a_fallback_with_no_known_price_is_passed_over_under_a_dollar_budget(
    make: Make, primary: LLMServer, standby: LLMServer, stream: bool
) -> None:
    """Under a dollar budget, a fallback whose price is unknown cannot be reserved: it is
    passed over (not called, no usage row) for the next one, and named in the warning.
    Before: the request ended 400 `unknown_price`, a request error the caller neither
    caused nor can fix (the chosen model has a price; an operator configured the fallback)."""
    primary.default = Reply(status=503)
    app, client, who = make(
        ai_fallbacks="anthropic:house-model-7,fake:fake-1",
        ai_prices=PRICED,
        ai_daily_usd_user="5",
    )
    url = f"{URL}/stream" if stream else URL
    response = client.post(url, json={"prompt": "Name a mug"}, headers=who.headers)
    assert response.status_code == 200, response.text
    if stream:
        *_, last = response.text.strip().split("\n\n")
        data = json.loads(last.split("data: ", 1)[1])
        warnings = data["warnings"]
    else:
        data, warnings = response.json()["data"], response.json()["warnings"]
    assert data["provider"] == "fake"
    assert fallback_warning(data, warnings)["details"]["failed"] == [
        {"provider": "openai", "model": "gpt-4o-mini", "code": "ai_rate_limited"},
        {"provider": "anthropic", "model": "house-model-7", "code": "unknown_price"},
    ]
    assert standby.requests == []
    assert [r.provider for r in rows(app)] == ["openai", "fake"]
    assert quota(client, who)["reserved"] == 0
