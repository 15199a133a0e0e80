"""Completions: check the request, call the provider with no database connection held,
validate (and repair) structured answers, record usage, collect warnings.

The order matters for the pool: the caller was loaded during authentication; this service
releases the unit of work's connection before the provider call and opens one short
transaction afterwards, only to write the usage row. The request side lives in
`app.completions.inputs`, the usage row in `app.completions.recording`; both are
re-exported here, the one module the other slices import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any

from app.accounts.principal import Principal
from app.ai import structured
from app.ai.budget import UnknownPriceError
from app.ai.fallback import Candidate, Route
from app.ai.gateway import AIGateway
from app.ai.reservation import Reservation
from app.ai.types import FinishReason, ProviderRequest, RateLimits
from app.ai.warnings import WarningCollector
from app.completions.inputs import (
    MESSAGE_OVERHEAD_TOKENS,
    CompletionInput,
    bounded,
    check_size,
    conversation,
    prompt_estimate,
    provider_call,
    worst_case,
)
from app.completions.models import AIUsage
from app.completions.recording import cost_of, record_usage
from app.errors import DomainError
from app.infra.db import UnitOfWork

__all__ = [
    "MESSAGE_OVERHEAD_TOKENS",
    "CompletionInput",
    "CompletionResult",
    "bounded",
    "check_size",
    "complete",
    "conversation",
    "cost_of",
    "prompt_estimate",
    "provider_call",
    "record_usage",
    "worst_case",
]


@dataclass(frozen=True)
class CompletionResult:
    provider: str
    model: str
    text: str | None
    object: dict[str, Any] | None
    response_schema: str | None
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    cost_usd: Decimal | None  # None: the model's price is unknown
    latency_ms: int
    attempts: int
    cached: bool
    warnings: list[dict[str, Any]]


def complete(
    uow: UnitOfWork,
    principal: Principal,
    gateway: AIGateway,
    request: CompletionInput,
    *,
    default_max_tokens: int,
    request_id: str | None = None,
    operation: str = "completion",
    usage_sink: list[AIUsage] | None = None,
) -> CompletionResult:
    """Answer from the cache (no provider call, no budget) or from the provider, within a
    reservation of the daily budgets. `operation` labels the usage row; `usage_sink`
    receives it (a batch adds up its items' usage, failed ones included)."""
    request = bounded(gateway, principal, request)
    provider, call, answer_schema = provider_call(gateway, request, default_max_tokens)
    model, max_tokens = call.model, call.max_tokens or default_max_tokens
    record = partial(
        record_usage,
        uow,
        principal,
        gateway,
        request_id=request_id,
        operation=operation,
        sink=usage_sink,
        prompt_version=request.prompt_version,
    )
    fresh: list[dict[str, Any]] = []

    def ask() -> dict[str, Any]:
        uow.release()  # hold no pooled connection while the provider thinks
        # The chosen provider, then AI_FALLBACKS: one provider call (its SDK retries and
        # repairs included) per candidate, each within a reservation at its own price and
        # recorded as its own usage row. A reservation that does not fit raises before the
        # call (it is not the provider's failure: the breaker does not hear of it).
        with gateway.route(provider.name, model) as route:
            reserve = partial(
                gateway.budget.reserve,
                principal,
                prompt_tokens=prompt_estimate(call.messages),
                max_tokens=max_tokens,
                operation=operation,
            )
            for candidate, reservation in _reserved(route, reserve):
                attempts: list[structured.Attempt] = []
                outcome = "ok"
                with reservation:
                    try:
                        answer = structured.run(
                            candidate.provider,
                            replace(call, model=candidate.model),
                            answer_schema,
                            validation_retries=gateway.limits.validation_retries,
                            attempts=attempts,
                            before_call=partial(_reserve_next, reservation, max_tokens),
                        )
                    except DomainError as exc:
                        outcome = exc.code
                        if route.failed(candidate, exc):
                            continue  # retryable: the next candidate may answer
                        raise
                    except Exception:
                        outcome = "internal_error"
                        raise
                    finally:
                        usage = record(
                            provider=candidate.provider.name,
                            model=candidate.model,
                            attempts=attempts,
                            outcome=outcome,
                        )
                        reservation.settle(usage.prompt_tokens, usage.completion_tokens)
                route.succeeded(candidate)
                break
            else:
                raise route.exhausted()
        final = answer.final
        snapshot = {
            "provider": candidate.provider.name,
            "answered_by": candidate.model,  # the model as allowed and priced (usage rows)
            "model": final.model or candidate.model,
            "text": answer.text,
            "object": answer.object,
            "finish_reason": final.finish_reason,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cost_usd": None if usage.cost_usd is None else str(usage.cost_usd),
            "latency_ms": usage.latency_ms,
            "attempts": usage.attempts,
            "fallback": route.warning(candidate),
        }
        fresh.append({**snapshot, "rate_limits": final.rate_limits})
        return snapshot

    key = gateway.cache_key(
        principal.user_id,
        provider.name,
        call,
        wanted=request.cache,
        prompt_version=request.prompt_version,
    )
    snapshot = gateway.cache.get_or_set(key, ask) if key else ask()
    if fresh:
        done = fresh[0]
        rate_limits = done["rate_limits"]
        cost = None if done["cost_usd"] is None else Decimal(done["cost_usd"])
        latency, attempts = done["latency_ms"], done["attempts"]
        prompt_tokens, completion_tokens = done["prompt_tokens"], done["completion_tokens"]
    else:  # a cache hit: no provider call, no tokens, no cost
        # Recorded as whoever gave the cached answer (a fallback, maybe), as the response says.
        record(
            provider=snapshot.get("provider", provider.name),
            model=snapshot.get("answered_by", model),
            attempts=[],
            outcome="ok",
            cached=True,
        )
        rate_limits, latency, attempts = RateLimits(), 0, 0
        cost = Decimal("0.000000")
        prompt_tokens = completion_tokens = 0
    warnings = WarningCollector().inspect(
        gateway.limits.thresholds,
        answer=snapshot["object"],
        total_tokens=prompt_tokens + completion_tokens,
        latency_ms=latency,
        attempts=attempts,
        truncated=snapshot["finish_reason"] == "length",
        max_tokens=max_tokens,
        rate_limits=rate_limits,
        cached=not fresh,
        unpriced=(snapshot.get("provider", provider.name), snapshot["model"])
        if cost is None
        else None,
    )
    if snapshot.get("fallback"):  # someone other than the chosen provider answered
        warnings.append(snapshot["fallback"])
    return CompletionResult(
        provider=snapshot.get("provider", provider.name),
        model=snapshot["model"],
        text=snapshot["text"],
        object=snapshot["object"],
        response_schema=(
            request.answer_schema.output.name if request.answer_schema else request.response_schema
        ),
        finish_reason=snapshot["finish_reason"],
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost,
        latency_ms=latency,
        attempts=attempts,
        cached=not fresh,
        warnings=warnings,
    )


def _reserved(
    route: Route, reserve: Callable[..., Reservation]
) -> Iterator[tuple[Candidate, Reservation]]:
    """Each candidate to call, with its reservation at its own price (a refusal raises
    before the call). A fallback whose price is unknown under a dollar budget is passed
    over: the caller neither chose it nor can fix it."""
    for candidate in route:
        try:
            reservation = reserve(provider=candidate.provider.name, model=candidate.model)
        except UnknownPriceError as exc:
            if route.passed_over(candidate, exc.code):
                continue
            raise
        yield candidate, reservation


def _reserve_next(reservation: Reservation, max_tokens: int, sent: ProviderRequest) -> None:
    """Before each provider call of one candidate: a repair reserves its own worst case."""
    reservation.next_call(prompt_estimate(sent.messages), max_tokens)
