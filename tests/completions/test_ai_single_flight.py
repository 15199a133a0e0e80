"""Single flight: identical cacheable completions that miss the cache at once make ONE
upstream call; the others wait for it and read the cache. Counted at the fake server
through the real OpenAI SDK, within one app (threads of a process) and across two app
instances sharing Redis (each with its own in-process state, so only Redis coordinates
them). No timing: the upstream answer is held until every request has missed the cache
(counted by `cache_misses_total{cache="ai"}`), then released."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import connexion
import httpx
import pytest
from prometheus_client import REGISTRY
from sqlmodel import select

from app.completions.models import AIUsage
from app.main import create_app
from tests.auth_helpers import Account, account, resources
from tests.fakes.llm_server import LLMServer, Reply

URL = "/api/v1/ai/completions"
ASK = {"prompt": "Name a mug", "temperature": 0}  # temperature 0: cacheable


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # no held server thread outlives the test


def build(make_settings: Any, llm: LLMServer, **extra: Any) -> connexion.FlaskApp:
    values = {
        "ai_provider": "openai",
        "openai_api_key": "sk-single-flight",
        "ai_base_url": llm.openai_base_url,
        "ai_max_retries": 0,
        "ai_timeout_s": 10,
        **extra,
    }
    return create_app(make_settings(**values))


def misses() -> float:
    return REGISTRY.get_sample_value("cache_misses_total", {"cache": "ai"}) or 0.0


class Burst:
    """Requests fired at once from a background thread (one event loop, one ASGI client
    per app), so the test's thread can release the held answer."""

    def __init__(self, apps: Sequence[connexion.FlaskApp], who: Account) -> None:
        self.responses: list[httpx.Response] = []
        self._apps, self._who = apps, who
        self._thread = threading.Thread(target=lambda: asyncio.run(self._fire()))

    async def _fire(self) -> None:
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ai")
            for app in self._apps
        ]
        try:
            calls = [c.post(URL, json=ASK, headers=self._who.headers, timeout=60) for c in clients]
            self.responses = list(await asyncio.gather(*calls))
        finally:
            for c in clients:
                await c.aclose()

    def start(self, *, expect_misses: int) -> None:
        before = misses()
        self._thread.start()
        deadline = time.monotonic() + 30
        while misses() - before < expect_misses and time.monotonic() < deadline:
            time.sleep(0.01)
        assert misses() - before >= expect_misses, "the requests never all missed the cache"

    def join(self) -> list[httpx.Response]:
        self._thread.join(timeout=60)
        assert not self._thread.is_alive(), "a request never finished (deadlock?)"
        return self.responses


def rows(app: connexion.FlaskApp) -> list[AIUsage]:
    with resources(app).db.transaction() as session:
        return list(session.exec(select(AIUsage).order_by(AIUsage.id)).all())


def test_five_identical_misses_make_one_upstream_call(
    make_settings: Any, llm: LLMServer, release: threading.Event
) -> None:
    llm.default = Reply(text="Blue Bell", hold=release)
    app = build(make_settings, llm)
    who = account(app, app.test_client(), "flight@example.com")
    burst = Burst([app] * 5, who)
    burst.start(expect_misses=5)
    release.set()
    responses = burst.join()
    assert [r.status_code for r in responses] == [200] * 5
    assert {r.json()["data"]["text"] for r in responses} == {"Blue Bell"}
    assert sorted(r.json()["data"]["cached"] for r in responses) == [False] + [True] * 4
    assert len(llm.calls("/chat/completions")) == 1
    assert sorted(r.cached for r in rows(app)) == [False] + [True] * 4


def test_five_identical_misses_on_two_instances_make_one_upstream_call(
    make_settings: Any, redis_url: str | None, llm: LLMServer, release: threading.Event
) -> None:
    if redis_url is None:
        pytest.skip("two instances share a cache only through Redis (REDIS_URL)")
    llm.default = Reply(text="Blue Bell", hold=release)
    first, second = build(make_settings, llm), build(make_settings, llm)
    who = account(first, first.test_client(), "flight@example.com")
    burst = Burst([first, second, first, second, first], who)
    burst.start(expect_misses=5)
    release.set()
    responses = burst.join()
    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json()["data"]["cached"] for r in responses) == [False] + [True] * 4
    assert len(llm.calls("/chat/completions")) == 1


def test_a_failed_leader_hands_over_to_one_waiter(
    make_settings: Any, llm: LLMServer, release: threading.Event
) -> None:
    llm.script(Reply(status=400, hold=release))
    llm.default = Reply(text="Second try")
    app = build(make_settings, llm)
    who = account(app, app.test_client(), "flight@example.com")
    burst = Burst([app] * 5, who)
    burst.start(expect_misses=5)
    release.set()
    responses = burst.join()
    assert sorted(r.status_code for r in responses) == [200] * 4 + [502]
    assert len(llm.calls("/chat/completions")) == 2  # the leader's, then one taker's


def test_waiters_never_wait_past_the_provider_timeout(
    make_settings: Any, llm: LLMServer, release: threading.Event
) -> None:
    llm.default = Reply(hold=release)  # hangs until the test ends
    app = build(make_settings, llm, ai_timeout_s=0.5)
    who = account(app, app.test_client(), "flight@example.com")
    burst = Burst([app] * 3, who)
    burst.start(expect_misses=3)
    responses = burst.join()  # the leader times out; the waiters stop waiting and try
    assert [r.json()["code"] for r in responses] == ["ai_timeout"] * 3
