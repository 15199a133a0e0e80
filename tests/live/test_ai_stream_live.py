"""Streams through the real server (`python -m app`, uvicorn) and the real OpenAI SDK against
the local fake LLM server, read with httpx-sse:

- a client that leaves mid-stream: the upstream request is closed at once (the fake server
  sees the cut long before the answer's end), the stream's slot is freed and the tokens
  received so far are recorded (`client_disconnected`);
- 200 streams held open at once by one server process: `/health/live` and an ordinary
  authenticated request are answered meanwhile, and every stream then completes.

Bounded: counts, not wall time, decide; every wait has a deadline; 127.0.0.1 only; the
servers are stopped by their PID (tests/live_server.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import httpx
import pytest
from httpx_sse import aconnect_sse
from sqlmodel import select

from app.completions.models import AIUsage
from tests.auth_helpers import PASSWORD, make_user, resources
from tests.fakes.llm_server import LLMServer, Reply
from tests.live_server import Serve

pytestmark = pytest.mark.live
URL = "/api/v1/ai/completions/stream"
EMAIL = "stream-live@example.com"
STREAMS = 200


@pytest.fixture
def serve(app: Any, serve: Serve) -> Any:
    """The live server (tests/live/conftest.py) on the OpenAI SDK against `llm`, with a user."""
    make_user(app, EMAIL)

    @contextmanager
    def start(llm: LLMServer, **settings: str) -> Iterator[str]:
        ai = {
            "AI_PROVIDER": "openai",
            "OPENAI_API_KEY": "sk-stream-live",
            "AI_BASE_URL": llm.openai_base_url,
            "AI_MAX_RETRIES": "0",
        }
        with serve(**{**ai, **settings}) as (base, _):
            yield base

    return start


def bearer(base: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access_token']}"}


def open_streams(base: str) -> str:
    detail: str = httpx.get(f"{base}/api/v1/health", timeout=10).json()["data"]["checks"][
        "ai_service"
    ]["detail"]
    return detail.split("open streams: ")[1]


def wait_for(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def rows(app: Any) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage)).all())


def test_a_client_leaving_closes_the_upstream_and_frees_the_stream(
    app: Any, serve: Any, llm: LLMServer
) -> None:
    words = " ".join(f"w{i}" for i in range(400))
    llm.default = Reply(text=words, stream_pause_s=0.02, completion_tokens=400)
    with serve(llm) as base:
        headers = bearer(base)

        async def read_two_then_leave() -> list[str]:
            async with (
                httpx.AsyncClient(base_url=base, timeout=30) as client,
                aconnect_sse(client, "POST", URL, json={"prompt": "count"}, headers=headers) as s,
            ):
                assert s.response.status_code == 200
                seen: list[str] = []
                async for event in s.aiter_sse():
                    seen.append(event.json()["text"])
                    if len(seen) == 2:
                        return seen  # leaving the block closes the connection
            return seen

        assert asyncio.run(read_two_then_leave()) == ["w0", " w1"]
        # The server noticed, cancelled the stream and closed its upstream request.
        assert wait_for(lambda: llm.streams_cut == 1), (llm.streams_cut, llm.events_sent)
        assert llm.events_sent < 200  # of ~400 events: the provider stopped early
        assert wait_for(lambda: open_streams(base) == "0")
        assert wait_for(lambda: len(rows(app)) == 1)
        # The server is fine afterwards.
        assert httpx.get(f"{base}/api/v1/health/live", timeout=10).status_code == 200
        # The stream's budget reservation (prompt estimate + max_tokens) was settled to
        # what was recorded, not kept.
        quota = httpx.get(f"{base}/api/v1/ai/usage", headers=headers, timeout=10).json()
        assert quota["data"]["quota"]["reserved"] == 0
    (row,) = rows(app)
    assert (row.operation, row.outcome) == ("stream", "client_disconnected")
    # Billed: what was received (estimated, the usage chunk never came), not the answer.
    assert 0 < row.completion_tokens < 100
    assert quota["data"]["quota"]["used_today"] == row.prompt_tokens + row.completion_tokens


def test_one_process_holds_200_streams_and_still_answers(
    app: Any, serve: Any, llm: LLMServer
) -> None:
    release = threading.Event()
    llm.default = Reply(text="alpha beta gamma", hold=release, completion_tokens=3)
    try:
        # One user holds all of them: lift the per-user cap (default 5), and the daily token
        # budget, which reserves each stream's worst case (200 x max_tokens > 200,000).
        with serve(llm, AI_STREAM_MAX_OPEN_PER_USER="0", AI_DAILY_TOKENS_USER="0") as base:
            headers = bearer(base)
            outcome = asyncio.run(_hold_streams(base, headers, release, llm))
    finally:
        release.set()
    firsts, events, during = outcome
    assert firsts == STREAMS  # every stream was open (its first piece received) at once
    assert during == {"live": 200, "me": 200, "open_streams": str(STREAMS)}
    assert Counter(e[-1] for e in events) == {"done": STREAMS}
    assert all(e == ["delta", "delta", "delta", "done"] for e in events)
    outcomes = Counter(r.outcome for r in rows(app))
    assert outcomes == {"ok": STREAMS}


async def _hold_streams(
    base: str, headers: dict[str, str], release: threading.Event, llm: LLMServer
) -> tuple[int, list[list[str]], dict[str, Any]]:
    limits = httpx.Limits(max_connections=STREAMS + 10, max_keepalive_connections=0)
    opened = 0
    all_open = asyncio.Event()

    async def one(client: httpx.AsyncClient, i: int) -> list[str]:
        nonlocal opened
        names: list[str] = []
        async with aconnect_sse(
            client, "POST", URL, json={"prompt": f"s{i}"}, headers=headers
        ) as s:
            assert s.response.status_code == 200, await s.response.aread()
            async for event in s.aiter_sse():
                names.append(event.event)
                if len(names) == 1:
                    opened += 1
                    if opened == STREAMS:
                        all_open.set()
        return names

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        tasks = [asyncio.create_task(one(client, i)) for i in range(STREAMS)]
        with suppress(TimeoutError):
            await asyncio.wait_for(all_open.wait(), timeout=90)
        firsts = opened
        # While all of them are open: the process still answers other requests.
        async with httpx.AsyncClient(base_url=base, timeout=30) as other:
            live = await other.get("/api/v1/health/live")
            me = await other.get("/api/v1/users/me", headers=headers)
            health = await other.get("/api/v1/health")
        detail = health.json()["data"]["checks"]["ai_service"]["detail"]
        during = {
            "live": live.status_code,
            "me": me.status_code,
            "open_streams": detail.split("open streams: ")[1],
        }
        release.set()
        events = await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    return firsts, events, during


def test_a_provider_failing_mid_stream_ends_with_an_error_event(
    app: Any, serve: Any, llm: LLMServer
) -> None:
    llm.default = Reply(text="one two three four five", fail_after=2)
    with serve(llm) as base:
        headers = bearer(base)

        async def read_all() -> list[tuple[str, dict[str, Any]]]:
            async with (
                httpx.AsyncClient(base_url=base, timeout=30) as client,
                aconnect_sse(client, "POST", URL, json={"prompt": "count"}, headers=headers) as s,
            ):
                assert s.response.status_code == 200
                return [(e.event, e.json()) async for e in s.aiter_sse()]

        events = asyncio.run(read_all())
    assert [name for name, _ in events] == ["delta", "delta", "error"]
    problem = events[-1][1]
    assert (problem["status"], problem["code"]) == (502, "ai_provider_error")
    assert wait_for(lambda: len(rows(app)) == 1)
    assert rows(app)[0].outcome == "ai_provider_error"
