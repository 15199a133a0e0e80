"""Streamed completions: plan (checks that need the database, in a thread), then stream
(on the event loop: no thread and no pooled connection is held while the answer flows).

`run` yields the stream's events and records one usage row whatever ends it: the answer
done, a provider error, an answer that never became valid, or the client leaving (the
tokens received so far; the provider's own count when it sent one). Structured answers are
collected, validated and repaired like `completions.complete`; only a complete, valid
object is emitted, never partial JSON.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
import structlog

from app.accounts.principal import Principal
from app.ai import structured
from app.ai.budget import UnknownPriceError
from app.ai.fallback import Candidate, Route
from app.ai.gateway import AIGateway
from app.ai.providers.base import Provider
from app.ai.reservation import Reservation
from app.ai.schemas import AnswerSchema
from app.ai.types import ProviderRequest
from app.ai.warnings import WarningCollector
from app.completions import service as completions
from app.completions.stream_calls import StreamEvent, call_provider
from app.errors import DomainError
from app.infra.db import Database, UnitOfWork

log = structlog.get_logger(__name__)

__all__ = ["OPERATION", "StreamEvent", "StreamPlan", "plan", "run"]

OPERATION = "stream"  # usage rows of streamed completions
DISCONNECTED = "client_disconnected"


@dataclass(frozen=True)
class StreamPlan:
    principal: Principal
    provider: Provider
    model: str
    call: ProviderRequest
    answer_schema: AnswerSchema | None
    request_id: str | None
    # Held against the daily budgets from `plan` for the chosen provider until the stream
    # ends (settled by `run`; a stream that never starts keeps it as its charge). A
    # fallback reserves at its own price when its turn comes.
    reservation: Reservation


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


async def start(
    db: Database,
    principal: Principal,
    gateway: AIGateway,
    request: completions.CompletionInput,
    *,
    default_max_tokens: int,
    request_id: str | None,
) -> StreamPlan:
    """`plan` in a worker thread, in a unit of work of its own (closed before the stream
    starts): the event loop never waits on the database or the budget's counters."""

    def work() -> StreamPlan:
        with db.unit_of_work() as uow:
            return plan(
                uow,
                principal,
                gateway,
                request,
                default_max_tokens=default_max_tokens,
                request_id=request_id,
            )

    return await anyio.to_thread.run_sync(work)


async def run(
    plan_: StreamPlan, gateway: AIGateway, db: Database
) -> AsyncGenerator[StreamEvent, None]:
    """The stream's events: `delta`s (free text) or one `object` (structured), then `done`.
    Raises a DomainError when the provider fails or the answer never becomes valid.

    The chosen provider, then AI_FALLBACKS, one candidate per iteration; a candidate that
    fails with a retryable error hands over to the next only while no event has reached
    the client (afterwards a second answer could not be spliced onto the first)."""
    sent = False
    planned = plan_.reservation
    try:
        with gateway.route(plan_.provider.name, plan_.model) as route:
            for candidate in route:
                try:
                    reservation = await _reservation(plan_, candidate, gateway)
                except UnknownPriceError as exc:
                    if route.passed_over(candidate, exc.code):
                        continue  # a fallback without a price: the next one may be asked
                    raise
                try:
                    answer = _answer(plan_, candidate, route, gateway, db, reservation=reservation)
                    async with aclosing(answer):
                        async for event in answer:
                            sent = True
                            yield event
                except DomainError as exc:
                    if route.failed(candidate, exc) and not sent:
                        continue  # nothing was sent yet: the next candidate may answer
                    raise
                route.succeeded(candidate)
                return
            raise route.exhausted()
    finally:
        if not planned.settled:  # the chosen provider was skipped (its breaker is open)
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(planned.settle, 0, 0)


async def _reservation(plan_: StreamPlan, candidate: Candidate, gateway: AIGateway) -> Reservation:
    """The plan's reservation for the chosen provider; a fallback reserves its own worst
    case at its price (refused with 429/400 like the plan, while nothing was sent)."""
    chosen = (candidate.provider.name, candidate.model) == (plan_.provider.name, plan_.model)
    if chosen and not plan_.reservation.settled:
        return plan_.reservation

    def swap() -> Reservation:
        # The chosen provider was skipped (its breaker is open): its hold goes back first,
        # or the two together could be refused where the fallback alone fits.
        plan_.reservation.settle(0, 0)
        return gateway.budget.reserve(
            plan_.principal,
            provider=candidate.provider.name,
            model=candidate.model,
            prompt_tokens=completions.prompt_estimate(plan_.call.messages),
            max_tokens=plan_.call.max_tokens or 0,
            operation=OPERATION,
        )

    return await anyio.to_thread.run_sync(swap)


async def _answer(
    plan_: StreamPlan,
    candidate: Candidate,
    route: Route,
    gateway: AIGateway,
    db: Database,
    *,
    reservation: Reservation,
) -> AsyncGenerator[StreamEvent, None]:
    """One candidate's answer (its repairs included), recorded as one usage row."""
    attempts: list[structured.Attempt] = []
    outcome = DISCONNECTED  # unless something below says otherwise
    schema = plan_.answer_schema
    try:
        messages = list(plan_.call.messages)
        value: dict[str, Any] | None = None
        tries = gateway.limits.validation_retries + 1 if schema else 1
        for _ in range(tries):
            call = call_provider(
                plan_.call, candidate, reservation, messages, attempts, deltas=schema is None
            )
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
        yield StreamEvent(
            "done", _done(plan_, gateway, attempts, value, candidate=candidate, route=route)
        )
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
            record = partial(_record, candidate=candidate, reservation=reservation)
            await anyio.to_thread.run_sync(record, plan_, gateway, db, attempts, outcome)


def _done(
    plan_: StreamPlan,
    gateway: AIGateway,
    attempts: list[structured.Attempt],
    value: dict[str, Any] | None,
    *,
    candidate: Candidate,
    route: Route,
) -> dict[str, Any]:
    prompt_tokens = sum(a.result.prompt_tokens for a in attempts)
    completion_tokens = sum(a.result.completion_tokens for a in attempts)
    latency = sum(a.latency_ms for a in attempts)
    final = attempts[-1].result
    cost: Decimal | None = completions.cost_of(
        gateway, candidate.provider.name, candidate.model, prompt_tokens, completion_tokens
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
        unpriced=(candidate.provider.name, candidate.model) if cost is None else None,
    )
    fallback = route.warning(candidate)
    return {
        "provider": candidate.provider.name,
        "model": candidate.model,
        "finish_reason": final.finish_reason,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "cost_usd": None if cost is None else str(cost),
        "latency_ms": latency,
        "attempts": len(attempts),
        "warnings": [*warnings, fallback] if fallback else warnings,
    }


def _record(
    plan_: StreamPlan,
    gateway: AIGateway,
    db: Database,
    attempts: list[structured.Attempt],
    outcome: str,
    *,
    candidate: Candidate,
    reservation: Reservation,
) -> None:
    if outcome == DISCONNECTED:
        log.info("ai_stream_client_disconnected", attempts=len(attempts))
    with db.unit_of_work() as uow:
        usage = completions.record_usage(
            uow,
            plan_.principal,
            gateway,
            provider=candidate.provider.name,
            model=candidate.model,
            attempts=attempts,
            outcome=outcome,
            request_id=plan_.request_id,
            operation=OPERATION,
            prompt_version=plan_.call.prompt_version,
        )
    reservation.settle(usage.prompt_tokens, usage.completion_tokens)
