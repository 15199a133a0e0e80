"""One streamed provider call: its chunks as `delta` events, collected into an attempt
(token counts estimated where the provider gave none) however the call ends."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import Any, Literal

import anyio.to_thread
from opentelemetry.trace import Span

from app.ai import structured, tracing
from app.ai.errors import AIProviderError
from app.ai.fallback import Candidate
from app.ai.providers.base import estimate_tokens
from app.ai.reservation import Reservation
from app.ai.types import FinishReason, Message, ProviderRequest, ProviderResult, RateLimits
from app.completions.inputs import prompt_estimate

EventName = Literal["delta", "object", "done"]


@dataclass(frozen=True)
class StreamEvent:
    name: EventName
    data: dict[str, Any]


@dataclass
class _Collected:
    """One provider call as it streams in."""

    prompt_chars: int
    started: float
    pieces: list[str]
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: FinishReason | None = None
    rate_limits: RateLimits | None = None

    def attempt(self, model: str) -> structured.Attempt:
        """The call so far as an attempt; token counts estimated where the provider gave
        none (a stream cut short, or a server that reports no stream usage)."""
        text = "".join(self.pieces)
        result = ProviderResult(
            text=text,
            model=model,
            prompt_tokens=(
                self.prompt_tokens
                if self.prompt_tokens is not None
                else estimate_tokens("x" * self.prompt_chars)
            ),
            completion_tokens=(
                self.completion_tokens
                if self.completion_tokens is not None
                else (estimate_tokens(text) if text else 0)
            ),
            finish_reason=self.finish_reason or "stop",
            rate_limits=self.rate_limits or RateLimits(),
        )
        return structured.Attempt(result, int((time.monotonic() - self.started) * 1000))


async def call_provider(
    planned: ProviderRequest,
    candidate: Candidate,
    reservation: Reservation,
    messages: list[Message],
    attempts: list[structured.Attempt],
    *,
    deltas: bool,
) -> AsyncGenerator[StreamEvent, None]:
    """One streamed provider call of `planned` to this candidate, with these messages; its
    attempt is appended however it ends."""
    collected = _Collected(sum(len(m.content) for m in messages), time.monotonic(), [])
    await anyio.to_thread.run_sync(
        reservation.next_call,
        prompt_estimate(tuple(messages)),
        planned.max_tokens or 0,
    )
    asked = replace(planned, model=candidate.model, messages=tuple(messages))
    with tracing.provider_call(candidate.provider.name, asked, current=False) as span:
        # Closed with this generator (a client that leaves): the call's attempt is still
        # appended, and the upstream request closed, before the span ends.
        async with aclosing(
            _streamed(candidate, asked, collected, attempts, span, deltas=deltas)
        ) as events:
            async for event in events:
                yield event
        tracing.record_result(span, attempts[-1].result)


async def _streamed(
    candidate: Candidate,
    asked: ProviderRequest,
    collected: _Collected,
    attempts: list[structured.Attempt],
    span: Span,
    *,
    deltas: bool,
) -> AsyncGenerator[StreamEvent, None]:
    """The provider's chunks as events; the call's attempt is appended however it ends.
    Each chunk is awaited with the call's span current: the SDK's HTTP request is its child."""
    try:
        chunks = candidate.provider.astream(asked)
        async with aclosing(chunks):  # closed when this is: the upstream request ends too
            while True:
                try:
                    chunk = await tracing.current_during(span, anext(chunks))
                except StopAsyncIteration:
                    break
                if chunk.text:
                    collected.pieces.append(chunk.text)
                    if deltas:
                        yield StreamEvent("delta", {"text": chunk.text})
                if chunk.finish_reason is not None:
                    collected.finish_reason = chunk.finish_reason
                    collected.prompt_tokens = chunk.prompt_tokens
                    collected.completion_tokens = chunk.completion_tokens
                    collected.rate_limits = chunk.rate_limits
        if not any(collected.pieces) and not collected.completion_tokens:
            # Neither an answer nor a count of one: not a success with 0 tokens.
            raise AIProviderError(
                f"The provider ({candidate.provider.name}) ended the stream without an answer."
            )
    finally:
        attempts.append(collected.attempt(candidate.model))
