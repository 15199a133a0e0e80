"""Completions under concurrency through the real server (`python -m app`): provider calls
run side by side, and no request holds a database connection while it waits on one (with
a pool of 2, 64 slow completions at once all succeed). Bounded: 64 requests per burst,
127.0.0.1 only, servers stopped by their PID."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlmodel import func, select

from app.completions.models import AIUsage
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.fakes.llm_server import LLMServer, Reply

pytestmark = pytest.mark.live
URL = "/api/v1/ai/completions"


def bearer(base: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"email": "ai-live@example.com", "password": PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def burst(base: str, n: int, headers: dict[str, str]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            return await asyncio.gather(
                *(client.post(URL, json={"prompt": f"q{i}"}, headers=headers) for i in range(n))
            )

    return asyncio.run(run())


def usage_count(app: Any) -> int:
    with resources(app).db.transaction() as session:
        return int(session.exec(select(func.count()).select_from(AIUsage)).one())


def test_provider_calls_run_side_by_side(app: Any, serve: Any) -> None:
    make_user(app, "ai-live@example.com")
    with LLMServer() as llm:
        # Every call waits until all 20 are at the fake provider together: a server that
        # ran them one after another would break the barrier (30 s) and get 500s.
        llm.default = Reply(barrier=threading.Barrier(20, timeout=30))
        settings = {
            "AI_PROVIDER": "openai",
            "OPENAI_API_KEY": "sk-live-test",
            "AI_BASE_URL": llm.openai_base_url,
        }
        with serve(**settings) as (base, _):
            responses = burst(base, 20, bearer(base))
        assert Counter(r.status_code for r in responses) == {200: 20}
        assert len(llm.calls("/chat/completions")) == 20
        assert llm.max_in_flight == 20, llm.max_in_flight
    assert usage_count(app) == 20


def test_slow_completions_hold_no_pooled_connection(app: Any, serve: Any) -> None:
    make_user(app, "ai-live@example.com")
    settings = {
        "AI_FAKE_LATENCY_MS": "500",
        "DATABASE_POOL_SIZE": "2",
        "DATABASE_MAX_OVERFLOW": "0",
        "DATABASE_CONNECT_TIMEOUT_SECONDS": "3",
    }
    with serve(**settings) as (base, _):
        responses = burst(base, 64, bearer(base))
    # Were a connection held across the 0.5 s call, 64 requests on 2 connections would
    # wait up to 16 s for one and get 503 after the 3 s pool timeout.
    assert Counter(r.status_code for r in responses) == {200: 64}, [
        r.text for r in responses if r.status_code != 200
    ][:3]
    assert usage_count(app) == 64
