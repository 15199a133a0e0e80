"""GET /metrics: HTTP, AI, cache, rate-limit, pool and stream metrics after known traffic,
labelled by operationId (never a raw path), and the optional METRICS_TOKEN.

The metrics are process-wide (every app a test builds shares them), so each test compares
a scrape before its traffic with one after. The multi-worker case is
tests/live/test_metrics_live.py."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine
from starlette.testclient import TestClient

from app.completions.stream_slots import StreamSlots
from app.infra.metrics import instrument_pool
from app.main import create_app
from tests.auth_helpers import Account, account, make_user
from tests.metrics_text import Samples, delta, parse, value
from tests.problems import assert_problem

LIVE = "/api/v1/health/live"


def scrape(client: TestClient, **headers: str) -> Samples:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    return parse(response.text)


def test_requests_are_counted_by_operation_and_status(client: TestClient) -> None:
    before = scrape(client)
    for _ in range(3):
        assert client.get(LIVE).status_code == 200
    for path in ("/api/v1/no-such-thing", "/api/v1/users/12345/secret"):
        assert_problem(client.get(path), 404, "not_found")
    assert_problem(client.post(LIVE), 405, "method_not_allowed")
    assert client.request("BREW", LIVE).status_code == 405  # any token is a method
    after = scrape(client)

    ok = {"method": "GET", "operation": "getLiveness", "status": "200"}
    assert delta(before, after, "http_requests_total", **ok) == 3
    unmatched = {"method": "GET", "operation": "unmatched", "status": "404"}
    assert delta(before, after, "http_requests_total", **unmatched) == 2
    assert delta(before, after, "http_requests_total", method="POST", operation="unmatched",
                 status="405") == 1  # fmt: skip
    assert delta(before, after, "http_requests_total", method="other", operation="unmatched",
                 status="405") == 1  # fmt: skip
    assert delta(before, after, "http_request_duration_seconds_count", operation="getLiveness") == 3
    # The scrapes themselves are not counted, and requests leave the in-flight gauge.
    assert delta(before, after, "http_requests_in_flight") == 0  # other tests may leave some
    # No label value is a path, so unknown URLs cannot blow up the number of series.
    labels = {v for (_name, pairs) in after for _k, v in pairs}
    assert not any(v.startswith("/") for v in labels), sorted(v for v in labels if "/" in v)


def test_the_exposition_format(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert response.headers["api-version"] == "1.0.0"
    assert response.headers["x-request-id"]
    assert "# TYPE http_requests_total counter" in response.text
    assert "# TYPE http_request_duration_seconds histogram" in response.text
    assert client.head("/metrics").status_code == 200
    refused = assert_problem(client.post("/metrics"), 405, "method_not_allowed")
    assert "/metrics" in refused["detail"]


def test_metrics_token(make_settings: Any) -> None:
    client = create_app(make_settings(metrics_token="scrape-secret-0123")).test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "scrape-secret-0123"}):
        refused = client.get("/metrics", headers=headers)
        assert_problem(refused, 401, "not_authenticated")
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert scrape(client, Authorization="Bearer scrape-secret-0123")
    # The API itself does not need the token.
    assert client.get(LIVE).status_code == 200


def test_ai_completions_tokens_and_the_cache(client: TestClient, member: Account) -> None:
    ask = {"prompt": "Count me", "temperature": 0}
    before = scrape(client)
    first = client.post("/api/v1/ai/completions", json=ask, headers=member.headers)
    second = client.post("/api/v1/ai/completions", json=ask, headers=member.headers)
    assert first.status_code == second.status_code == 200, first.text
    assert second.json()["data"]["cached"] is True
    after = scrape(client)

    pair = {"provider": "fake", "model": "fake-1"}
    assert delta(before, after, "ai_requests_total", **pair, outcome="ok") == 1
    assert delta(before, after, "ai_requests_total", **pair, outcome="cached") == 1
    usage = first.json()["data"]["usage"]
    assert delta(before, after, "ai_tokens_total", **pair, kind="prompt") == usage["prompt_tokens"]
    assert (
        delta(before, after, "ai_tokens_total", **pair, kind="completion")
        == usage["completion_tokens"]
    )
    assert delta(before, after, "ai_request_duration_seconds_count", **pair) == 1
    assert delta(before, after, "cache_misses_total", cache="ai") == 1
    assert delta(before, after, "cache_hits_total", cache="ai") == 1
    op = {"method": "POST", "operation": "createCompletion", "status": "200"}
    assert delta(before, after, "http_requests_total", **op) == 2


def test_ai_cost_is_counted_at_the_price_tables_prices(make_settings: Any) -> None:
    # ai_cost_usd_total{provider,model}: what the usage rows record, cache hits excluded.
    app = create_app(make_settings(ai_prices={"fake:fake-1": [1000, 2000]}))
    client = app.test_client()
    who = account(app, client, "cost-metrics@example.com")
    ask = {"prompt": "Price me", "temperature": 0}
    before = scrape(client)
    first = client.post("/api/v1/ai/completions", json=ask, headers=who.headers)
    again = client.post("/api/v1/ai/completions", json=ask, headers=who.headers)
    assert first.status_code == again.status_code == 200, first.text
    assert again.json()["data"]["cached"] is True
    after = scrape(client)
    cost = float(first.json()["data"]["cost_usd"])
    assert cost > 0
    spent = delta(before, after, "ai_cost_usd_total", provider="fake", model="fake-1")
    assert spent == pytest.approx(cost)


def test_an_unpriced_completion_adds_no_cost(client: TestClient, member: Account) -> None:
    before = scrape(client)
    response = client.post(
        "/api/v1/ai/completions", json={"prompt": "Free?"}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    after = scrape(client)
    assert response.json()["data"]["cost_usd"] in (None, "0.000000")
    assert delta(before, after, "ai_cost_usd_total", provider="fake", model="fake-1") == 0


def test_a_refused_completion_counts_its_error_code(client: TestClient, member: Account) -> None:
    before = scrape(client)
    refused = client.post(
        "/api/v1/ai/completions",
        json={"prompt": "hi", "provider": "openai", "model": "gpt-x"},
        headers=member.headers,
    )
    assert_problem(refused, 400, "unsupported_model")
    after = scrape(client)
    # Refused before any provider call: no AI request, but the HTTP request with its status.
    assert not any(
        delta(before, after, name, **dict(labels)) for (name, labels) in after if "ai_" in name
    )
    op = {"method": "POST", "operation": "createCompletion", "status": "400"}
    assert delta(before, after, "http_requests_total", **op) == 1


def test_resource_cache_hits_and_misses(client: TestClient, member: Account) -> None:
    created = client.post(
        "/api/v1/items", json={"name": "Mug", "price": "3.50"}, headers=member.headers
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/items/{created.json()['data']['id']}"
    before = scrape(client)
    for _ in range(3):
        assert client.get(url, headers=member.headers).status_code == 200
    after = scrape(client)
    assert delta(before, after, "cache_misses_total", cache="items") == 1
    assert delta(before, after, "cache_hits_total", cache="items") == 2


def test_login_lockouts_count_as_rate_limited(make_settings: Any) -> None:
    app = create_app(make_settings(login_rate_limit_per_email="2/minute"))
    client = app.test_client()
    make_user(app, "ada@example.com")
    before = scrape(client)
    for _ in range(2):
        bad = {"email": "ada@example.com", "password": "wrong-password"}
        assert_problem(client.post("/api/v1/auth/login", json=bad), 401, "invalid_credentials")
    for _ in range(2):
        bad = {"email": "ada@example.com", "password": "wrong-password"}
        assert_problem(client.post("/api/v1/auth/login", json=bad), 429, "too_many_login_attempts")
    after = scrape(client)
    assert delta(before, after, "rate_limited_total", scope="login-email") == 2
    assert delta(before, after, "rate_limited_total", scope="login-client") == 0
    op = {"method": "POST", "operation": "login", "status": "429"}
    assert delta(before, after, "http_requests_total", **op) == 2


def test_pool_gauges_follow_checkouts(database_url: str, client: TestClient) -> None:
    engine = create_engine(database_url, pool_size=1, max_overflow=2)
    instrument_pool(engine)
    try:
        before = scrape(client)
        first, second = engine.connect(), engine.connect()
        held = scrape(client)
        first.close()
        second.close()
        after = scrape(client)
    finally:
        engine.dispose()
    assert delta(before, held, "db_pool_checked_out") == 2
    assert delta(before, held, "db_pool_overflow") == 1
    assert delta(before, after, "db_pool_checked_out") == 0
    assert delta(before, after, "db_pool_overflow") == 0
    assert value(after, "db_pool_size") >= 1  # every app's pool, and this one


def test_open_streams_gauge(client: TestClient) -> None:
    slots = StreamSlots(limit=2)
    before = scrape(client)
    with slots.hold(), slots.hold():
        held = scrape(client)
    after = scrape(client)
    assert delta(before, held, "sse_streams_open") == 2
    assert delta(before, after, "sse_streams_open") == 0


@pytest.mark.parametrize("token", ["", None])
def test_no_token_means_open(make_settings: Any, token: str | None) -> None:
    client = create_app(make_settings(metrics_token=token)).test_client()
    assert client.get("/metrics").status_code == 200
