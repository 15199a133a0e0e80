"""Provider streaming (`astream`, the async SDK clients) through the real SDKs against the
local fake server's SSE: pieces in order, usage and finish reason at the end, errors as our
errors (also mid-stream), structured answers as tool input (Anthropic), and a consumer that
stops early closes the upstream stream (no more events are sent to nobody)."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import pytest

from app.ai.errors import AIProviderAuthError, AIProviderError, AIRateLimitedError
from app.ai.factory import build_gateway
from app.ai.providers.base import Provider
from app.ai.types import Message, OutputSchema, ProviderRequest, StreamChunk
from app.contract.spec import load_spec
from app.infra.cache import NoCache
from generated import models
from tests.fakes.llm_server import LLMServer, Reply

KEY = "sk-stream-test"
TEXT = "one two three four five six seven eight nine ten"
REQUEST = ProviderRequest(
    model="m", messages=(Message("system", "Be brief."), Message("user", "count")), max_tokens=50
)


def collect(stream: AsyncGenerator[StreamChunk, None]) -> list[StreamChunk]:
    async def run() -> list[StreamChunk]:
        return [chunk async for chunk in stream]

    return anyio.run(run)


def provider(make_settings: Any, llm: LLMServer, name: str, **extra: Any) -> Provider:
    settings = {
        "openai": {"openai_api_key": KEY, "ai_base_url": llm.openai_base_url},
        "azure": {"azure_openai_api_key": KEY, "azure_openai_endpoint": llm.azure_endpoint},
        "anthropic": {"anthropic_api_key": KEY, "anthropic_base_url": llm.anthropic_base_url},
        "fake": {},
    }[name]
    built = make_settings(ai_provider=name, ai_max_retries=1, **settings, **extra)
    return build_gateway(built, load_spec(), models, NoCache()).provider(name)


@pytest.mark.parametrize("name", ["openai", "azure", "anthropic"])
def test_stream_pieces_then_usage(make_settings: Any, llm: LLMServer, name: str) -> None:
    llm.script(Reply(text=TEXT, prompt_tokens=13, completion_tokens=10))
    chunks = collect(provider(make_settings, llm, name).astream(REQUEST))
    assert "".join(c.text for c in chunks) == TEXT
    last = chunks[-1]
    assert (last.prompt_tokens, last.completion_tokens, last.finish_reason) == (13, 10, "stop")
    (seen,) = llm.requests
    assert seen.body["stream"] is True
    if name == "anthropic":
        assert seen.body["system"] == "Be brief."
    else:
        assert seen.body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_a_truncated_stream_says_length(make_settings: Any, llm: LLMServer, name: str) -> None:
    llm.script(Reply(text="cut short", finish_reason="length"))
    chunks = collect(provider(make_settings, llm, name).astream(REQUEST))
    assert chunks[-1].finish_reason == "length"


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_stopping_early_closes_the_upstream_stream(
    make_settings: Any, llm: LLMServer, name: str
) -> None:
    words = " ".join(f"w{i}" for i in range(200))
    llm.script(Reply(text=words, stream_pause_s=0.02))
    stream = provider(make_settings, llm, name).astream(REQUEST)

    async def first_then_leave() -> StreamChunk:
        first = await anext(stream)
        await stream.aclose()  # the consumer went away
        return first

    assert anyio.run(first_then_leave).text
    deadline = time.monotonic() + 10
    while llm.streams_cut == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert llm.streams_cut == 1
    assert llm.events_sent < 200  # the server stopped long before the end


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_stream_errors_are_our_errors(make_settings: Any, llm: LLMServer, name: str) -> None:
    llm.script(Reply(status=401))
    with pytest.raises(AIProviderAuthError):
        collect(provider(make_settings, llm, name).astream(REQUEST))
    busy = Reply(status=429, headers={"retry-after": "0"})
    llm.script(busy, busy)
    with pytest.raises(AIRateLimitedError):
        collect(provider(make_settings, llm, name).astream(REQUEST))


def test_the_fake_streams_its_answer(make_settings: Any, llm: LLMServer) -> None:
    fake = provider(make_settings, llm, "fake")
    chunks = collect(fake.astream(REQUEST))
    assert "".join(c.text for c in chunks) == fake.complete(REQUEST).text
    assert chunks[-1].completion_tokens and chunks[-1].finish_reason == "stop"


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_a_failure_mid_stream_is_our_error(make_settings: Any, llm: LLMServer, name: str) -> None:
    llm.script(Reply(text=TEXT, fail_after=3))
    seen: list[str] = []

    async def consume() -> None:
        async for chunk in provider(make_settings, llm, name).astream(REQUEST):
            seen.append(chunk.text)

    with pytest.raises(AIProviderError):
        anyio.run(consume)
    assert "".join(seen) == "one two three"  # what came before the failure


def test_anthropic_streams_structured_answers_as_tool_input(
    make_settings: Any, llm: LLMServer
) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    request = ProviderRequest(
        model="m",
        messages=(Message("user", "give a"),),
        max_tokens=50,
        output=OutputSchema(name="Thing", schema=schema, strict=schema),
    )
    llm.script(Reply(json={"a": 1, "note": "two words"}))
    chunks = collect(provider(make_settings, llm, "anthropic").astream(request))
    assert "".join(c.text for c in chunks) == '{"a": 1, "note": "two words"}'
    assert llm.requests[0].body["tool_choice"] == {"type": "tool", "name": "Thing"}
