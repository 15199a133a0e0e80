"""An LLM provider misbehaving under concurrent callers of the real server (`python -m app`),
through the real SDKs against the local fake server (tests/fakes/llm_server.py):

- hanging past AI_TIMEOUT_S: `504 ai_timeout`;
- 429-storming: `503 ai_rate_limited` with Retry-After, and our retries stay bounded (no
  amplification: at most 1 + AI_MAX_RETRIES upstream calls per request);
- 5xx-ing (a plain 500, a proxy's 502 HTML page): `502 ai_provider_error`;
- answering garbage with 200 (HTML, JSON of another shape, an empty body): `502
  ai_provider_error` (this was a 500 before `readable_answer`);
then the same process answers 200 again once the provider is healthy. Never a 500, never
the provider's error body, every answer bounded in time.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth_helpers import PASSWORD, make_user
from tests.fakes.llm_server import LLMServer, Reply
from tests.fault.load import login
from tests.live_server import live_server, server_env
from tests.problems import assert_problem

pytestmark = pytest.mark.live
CALLERS = 8
RETRIES = 1
URL = "/api/v1/ai/completions"
KEY = "sk-fault-provider-key-never-shown"
BOUND_S = 20.0  # timeout x attempts plus backoff, on a loaded machine
GARBAGE = [
    Reply(raw=b"<html>502 Bad Gateway</html>", content_type="text/html"),
    Reply(raw=b"<html>not json</html>"),
    Reply(raw=b""),
    Reply(raw=b"null"),
    Reply(raw=b"[]"),
    Reply(raw=b'{"choices": [{"message": null}]}'),
    Reply(raw=b'{"choices": "x", "content": 5}'),
    Reply(raw=b'{"content": [{"type": "text"}], "usage": null}'),
]


def provider_env(provider: str, llm: LLMServer) -> dict[str, str]:
    # The breaker would open after AI_BREAKER_FAILURES storms and turn every later answer
    # into 503 ai_provider_unavailable: this test is about how each fault is reported, so
    # it keeps the breaker shut (its transitions: tests/completions/test_ai_fallback.py).
    common = {
        "AI_PROVIDER": provider,
        "AI_TIMEOUT_S": "1",
        "AI_MAX_RETRIES": str(RETRIES),
        "AI_BREAKER_FAILURES": "1000",
    }
    if provider == "openai":
        return {**common, "OPENAI_API_KEY": KEY, "AI_BASE_URL": llm.openai_base_url}
    return {**common, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": llm.anthropic_base_url}


def storm(base: str, headers: dict[str, str]) -> list[tuple[httpx.Response, float]]:
    """CALLERS completions at once, each with its own prompt (no cache)."""

    def ask(i: int) -> tuple[httpx.Response, float]:
        start = time.monotonic()
        body = {"prompt": f"storm {i} {uuid.uuid4().hex[:6]}", "cache": False}
        response = httpx.post(f"{base}{URL}", json=body, headers=headers, timeout=60)
        return response, time.monotonic() - start

    with ThreadPoolExecutor(CALLERS) as pool:
        return list(pool.map(ask, range(CALLERS)))


def expect(results: list[tuple[httpx.Response, float]], status: int, code: str) -> None:
    for response, seconds in results:
        assert_problem(response, status, code)
        assert seconds < BOUND_S, f"{code} after {seconds:.1f} s"
        assert "upstream says no" not in response.text and KEY not in response.text


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_misbehaving_provider_gets_clear_problems_then_recovers(
    app: Any, database_url: str, redis_url: str | None, tmp_path: Path, provider: str
) -> None:
    email = f"{provider}-faults@example.com"
    make_user(app, email)
    with LLMServer() as llm:
        env = {
            **server_env(database_url, redis_url, f"fault-llm-{uuid.uuid4().hex[:8]}"),
            **provider_env(provider, llm),
        }
        with live_server(env, tmp_path / "server.log") as base:
            headers = login(base, email, PASSWORD)

            llm.default = Reply(delay_s=3)  # hangs past AI_TIMEOUT_S on every attempt
            expect(storm(base, headers), 504, "ai_timeout")

            llm.default = Reply(status=429, headers={"retry-after": "0"})
            before = len(llm.requests)
            results = storm(base, headers)
            expect(results, 503, "ai_rate_limited")
            assert all(int(r.headers["retry-after"]) >= 1 for r, _ in results)
            assert len(llm.requests) - before <= CALLERS * (1 + RETRIES)

            llm.default = Reply(status=500)
            expect(storm(base, headers), 502, "ai_provider_error")

            bad_gateway = Reply(
                status=502, raw=b"<html>bad gateway</html>", content_type="text/html"
            )
            for garbage in [bad_gateway, *GARBAGE]:  # one caller each: the shapes differ
                llm.default = garbage
                response = httpx.post(
                    f"{base}{URL}", json={"prompt": "garbage", "cache": False}, headers=headers
                )
                assert_problem(response, 502, "ai_provider_error")

            llm.default = Reply(text="healthy again")
            for response, _ in storm(base, headers):
                assert response.status_code == 200, response.text
                assert response.json()["data"]["text"] == "healthy again"
