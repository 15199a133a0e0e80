"""Streamed completions: plan (checks that need the database, in a thread), then stream
(on the event loop: no thread and no pooled connection is held while the answer flows).

`run` yields the stream's events and records one usage row whatever ends it: the answer
done, a provider error, an answer that never became valid, or the client leaving (the
tokens received so far; the provider's own count when it sent one). Structured answers are
collected, validated and repaired like `completions.complete`; only a complete, valid
object is emitted, never partial JSON.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, Iterator
from contextlib import aclosing, contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

import anyio
import anyio.to_thread
import structlog

from app.ai import structured
from app.ai.budget import Reservation
from app.ai.errors import AIProviderError
from app.ai.gateway import AIGateway
from app.ai.providers.base import Provider, estimate_tokens
from app.ai.schemas import AnswerSchema
from app.ai.types import FinishReason, Message, ProviderRequest, ProviderResult, RateLimits
from app.ai.warnings import WarningCollector
from app.auth.principal import Principal
from app.errors import DomainError
from app.infra.db import Database, UnitOfWork
from app.infra.metrics import SSE_STREAMS_OPEN
from app.services import completions

log = structlog.get_logger(__name__)

EventName = Literal["delta", "object", "done"]
OPERATION = "stream"  # usage rows of streamed completions
DISCONNECTED = "client_disconnected"


class TooManyStreamsError(DomainError):
    code = "too_many_streams"


class StreamSlots:
    """How many streams this process holds open, bounded by `AI_STREAM_MAX_OPEN` (one
    per process, built at startup; read by health, and mirrored in `sse_streams_open`)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()

    @property
    def open(self) -> int:
        return self._open

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._lock:
            if self._open >= self.limit:
                raise TooManyStreamsError(
                    f"This instance already holds {self.limit} open streams; retry shortly.",
                    retry_after=1,
                )
            self._open += 1
        SSE_STREAMS_OPEN.inc()
        try:
            yield
        finally:
            SSE_STREAMS_OPEN.dec()
            with self._lock:
                self._open -= 1


@dataclass(frozen=True)
class StreamPlan:
    principal: Principal
    provider: Provider
    model: str
    call: ProviderRequest
    answer_schema: AnswerSchema | None
    request_id: str | None
    # Held against the daily budgets from `plan` until the stream ends (settled by `run`;
    # a stream that never starts keeps it as its charge).
    reservation: Reservation


@dataclass(frozen=True)
class StreamEvent:
    name: EventName
    data: dict[str, Any]


def plan(
    uow: UnitOfWork,
    principal: Principal,
    gateway: AIGateway,
    request: completions.CompletionInput,
    *,
    default_max_tokens: int,
    request_id: str | None,
) -> StreamPlan:
    """Everything that can refuse the request before the stream starts (model allowed,
    prompt size, output ceiling, budget), so those failures are ordinary problem
    responses; ends holding the budget's reservation. Blocking."""
    request = completions.bounded(gateway, principal, request)
    provider, call, answer_schema = completions.provider_call(gateway, request, default_max_tokens)
    uow.release()
    reservation = gateway.budget.reserve(
        principal,
        provider=provider.name,
        model=call.model,
        prompt_tokens=completions.prompt_estimate(call.messages),
        max_tokens=call.max_tokens or default_max_tokens,
        operation=OPERATION,
    )
    return StreamPlan(principal, provider, call.model, call, answer_schema, request_id, reservation)


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


async def _call(
    plan_: StreamPlan, messages: list[Message], attempts: list[structured.Attempt], *, deltas: bool
) -> AsyncGenerator[StreamEvent, None]:
    """One streamed provider call; its attempt is appended however it ends."""
    collected = _Collected(sum(len(m.content) for m in messages), time.monotonic(), [])
    await anyio.to_thread.run_sync(
        plan_.reservation.next_call,
        completions.prompt_estimate(tuple(messages)),
        plan_.call.max_tokens or 0,
    )
    try:
        chunks = plan_.provider.astream(replace(plan_.call, messages=tuple(messages)))
        async with aclosing(chunks):  # closed when this is: the upstream request ends too
            async for chunk in chunks:
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
                f"The provider ({plan_.provider.name}) ended the stream without an answer."
            )
    finally:
        attempts.append(collected.attempt(plan_.model))


async def run(
    plan_: StreamPlan, gateway: AIGateway, db: Database
) -> AsyncGenerator[StreamEvent, None]:
    """The stream's events: `delta`s (free text) or one `object` (structured), then `done`.
    Raises a DomainError when the provider fails or the answer never becomes valid."""
    attempts: list[structured.Attempt] = []
    outcome = DISCONNECTED  # unless something below says otherwise
    schema = plan_.answer_schema
    try:
        messages = list(plan_.call.messages)
        value: dict[str, Any] | None = None
        tries = gateway.limits.validation_retries + 1 if schema else 1
        for _ in range(tries):
            call = _call(plan_, messages, attempts, deltas=schema is None)
            async with aclosing(call):
                async for event in call:
                    yield event
            if schema is None:
                break
            value = structured.judge(
                schema, attempts[-1], attempts, max_tokens=plan_.call.max_tokens
            )
            if value is not None:
                break
            messages += structured.repair_turns(schema, attempts[-1])
        if schema is not None and value is None:
            raise structured.exhausted(schema, attempts)
        outcome = "ok"  # the answer is complete: a client leaving now changes nothing
        if schema is not None:
            yield StreamEvent("object", {"response_schema": schema.output.name, "object": value})
        yield StreamEvent("done", _done(plan_, gateway, attempts, value))
    except DomainError as exc:
        outcome = exc.code
        raise
    except Exception:
        outcome = "internal_error"
        raise
    # Cancellation (the client left) is a BaseException: the outcome stays as it was.
    finally:
        # Shielded: a stream cancelled by the client's departure still records its usage.
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(_record, plan_, gateway, db, attempts, outcome)


def _done(
    plan_: StreamPlan,
    gateway: AIGateway,
    attempts: list[structured.Attempt],
    value: dict[str, Any] | None,
) -> dict[str, Any]:
    prompt_tokens = sum(a.result.prompt_tokens for a in attempts)
    completion_tokens = sum(a.result.completion_tokens for a in attempts)
    latency = sum(a.latency_ms for a in attempts)
    final = attempts[-1].result
    cost: Decimal = gateway.prices.cost(
        plan_.provider.name, plan_.model, prompt_tokens, completion_tokens
    )
    warnings = WarningCollector().inspect(
        gateway.limits.thresholds,
        answer=value,
        total_tokens=prompt_tokens + completion_tokens,
        latency_ms=latency,
        attempts=len(attempts),
        truncated=final.finish_reason == "length",
        max_tokens=plan_.call.max_tokens or 0,
        rate_limits=final.rate_limits,
        cached=False,
    )
    return {
        "provider": plan_.provider.name,
        "model": plan_.model,
        "finish_reason": final.finish_reason,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "cost_usd": str(cost),
        "latency_ms": latency,
        "attempts": len(attempts),
        "warnings": warnings,
    }


def _record(
    plan_: StreamPlan,
    gateway: AIGateway,
    db: Database,
    attempts: list[structured.Attempt],
    outcome: str,
) -> None:
    if outcome == DISCONNECTED:
        log.info("ai_stream_client_disconnected", attempts=len(attempts))
    with db.unit_of_work() as uow:
        usage = completions.record_usage(
            uow,
            plan_.principal,
            gateway,
            provider=plan_.provider.name,
            model=plan_.model,
            attempts=attempts,
            outcome=outcome,
            request_id=plan_.request_id,
            operation=OPERATION,
        )
    plan_.reservation.settle(usage.prompt_tokens, usage.completion_tokens)
