"""Completions: check the request, call the provider with no database connection held,
validate (and repair) structured answers, record usage, collect warnings.

The order matters for the pool: the caller was loaded during authentication; this service
releases the unit of work's connection before the provider call and opens one short
transaction afterwards, only to write the usage row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any

import structlog

from app.accounts.principal import Principal
from app.ai import structured
from app.ai.budget import Reservation, UnknownPriceError
from app.ai.errors import PromptTooLongError
from app.ai.fallback import Candidate, Route
from app.ai.gateway import AIGateway
from app.ai.metrics import CompletionEvent
from app.ai.providers.base import Provider, estimate_tokens
from app.ai.schemas import AnswerSchema
from app.ai.types import FinishReason, Message, ProviderRequest, RateLimits
from app.ai.warnings import WarningCollector
from app.completions.models import AIUsage
from app.errors import DomainError, InvalidInputError, field_error
from app.infra.db import UnitOfWork

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class CompletionInput:
    messages: tuple[Message, ...]
    provider: str | None = None
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    response_schema: str | None = None
    cache: bool = True  # False: always ask the provider (and store nothing)
    stop: tuple[str, ...] = ()
    # A schema the client sent (the OpenAI-compatible endpoint), instead of a spec name.
    answer_schema: AnswerSchema | None = None
    # The versioned prompt template the messages come from (`recipe/v1`), if any: in the
    # cache key (a new wording never answers from the old one's cache) and the usage rows.
    prompt_version: str | None = None


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


def conversation(
    *,
    messages: list[tuple[str, str]] | None,
    prompt: str | None,
    system: str | None,
) -> tuple[Message, ...]:
    """`system` (if any), then `messages` or `prompt`: exactly one of the two (the spec's
    `oneOf` says so too; this guards callers that are not HTTP)."""
    if (messages is None) == (prompt is None):
        raise InvalidInputError(
            "Send either messages or prompt, not both and not neither.",
            errors=[field_error("body", "messages", "Exactly one of messages, prompt.")],
        )
    turns = (
        tuple(Message(role, content) for role, content in messages)  # type: ignore[arg-type]
        if messages is not None
        else (Message("user", prompt or ""),)
    )
    return ((Message("system", system),) if system else ()) + turns


def check_size(gateway: AIGateway, messages: tuple[Message, ...], max_tokens: int) -> None:
    chars = sum(len(m.content) for m in messages)
    limits = gateway.limits
    if chars > limits.max_prompt_chars:
        raise PromptTooLongError(
            f"The prompt has {chars} characters; the limit is {limits.max_prompt_chars}."
        )
    estimate = estimate_tokens("".join(m.content for m in messages))
    if estimate + max_tokens > limits.context_tokens:
        raise PromptTooLongError(
            f"The prompt (about {estimate} tokens) and max_tokens ({max_tokens}) exceed "
            f"the model's context of {limits.context_tokens} tokens."
        )


MESSAGE_OVERHEAD_TOKENS = 4  # a turn's role and framing, as providers count them


def prompt_estimate(messages: tuple[Message, ...]) -> int:
    """The prompt's tokens as a budget reserves them (the provider's count comes later)."""
    text = "".join(m.content for m in messages)
    return estimate_tokens(text) + MESSAGE_OVERHEAD_TOKENS * len(messages)


def bounded(gateway: AIGateway, principal: Principal, request: CompletionInput) -> CompletionInput:
    """The request with its output limit set: as asked (at most the role's ceiling, else
    400 `max_tokens_too_large`), or the default."""
    max_tokens = gateway.budget.max_tokens(principal.role.value, request.max_tokens)
    return replace(request, max_tokens=max_tokens)


def worst_case(
    gateway: AIGateway, principal: Principal, request: CompletionInput
) -> tuple[int, int]:
    """(tokens, micro-dollars) one call of `request` may use at most (before repairs)."""
    request = bounded(gateway, principal, request)
    provider, model = gateway.resolve(request.provider, request.model)
    prompt, max_tokens = prompt_estimate(request.messages), request.max_tokens or 0
    return prompt + max_tokens, gateway.budget.worst_micros(
        provider.name, model, prompt, max_tokens
    )


def provider_call(
    gateway: AIGateway, request: CompletionInput, default_max_tokens: int
) -> tuple[Provider, ProviderRequest, AnswerSchema | None]:
    """The provider, the call to make and the answer schema, once the model is allowed and
    the prompt fits (raises `unsupported_model` / `prompt_too_long` otherwise)."""
    provider, model = gateway.resolve(request.provider, request.model)
    max_tokens = request.max_tokens or default_max_tokens
    check_size(gateway, request.messages, max_tokens)
    answer_schema = request.answer_schema or (
        gateway.schemas.get(request.response_schema) if request.response_schema else None
    )
    call = ProviderRequest(
        model=model,
        messages=request.messages,
        temperature=request.temperature,
        max_tokens=max_tokens,
        output=answer_schema.output if answer_schema else None,
        stop=request.stop,
    )
    return provider, call, answer_schema


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


def cost_of(
    gateway: AIGateway, provider: str, model: str, prompt_tokens: int, completion_tokens: int
) -> Decimal | None:
    """No tokens cost nothing at any price; otherwise None when the price is unknown."""
    if not (prompt_tokens or completion_tokens):
        return Decimal("0.000000")
    return gateway.prices.cost(provider, model, prompt_tokens, completion_tokens)


def record_usage(
    uow: UnitOfWork,
    principal: Principal,
    gateway: AIGateway,
    *,
    provider: str,
    model: str,
    attempts: list[structured.Attempt],
    outcome: str,
    request_id: str | None,
    cached: bool = False,
    operation: str = "completion",
    sink: list[AIUsage] | None = None,
    prompt_version: str | None = None,
) -> AIUsage:
    """One usage row for the request, every attempt summed (also when it failed), and the
    same facts to the metrics recorder."""
    prompt_tokens = sum(a.result.prompt_tokens for a in attempts)
    completion_tokens = sum(a.result.completion_tokens for a in attempts)
    errors = structured.attempt_errors(attempts)
    cost = cost_of(gateway, provider, model, prompt_tokens, completion_tokens)
    usage = AIUsage(
        prompt_version=prompt_version,
        user_id=principal.user_id,
        api_key_id=principal.api_key_id,
        operation=operation,
        provider=provider,
        model=model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost,
        latency_ms=sum(a.latency_ms for a in attempts),
        attempts=len(attempts),
        outcome=outcome,
        cached=cached,
        errors=errors or None,
        request_id=request_id,
    )
    gateway.metrics.completion(
        CompletionEvent(
            provider=provider,
            model=model,
            outcome=outcome,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            duration_s=usage.latency_ms / 1000,
            attempts=usage.attempts,
            cached=cached,
            cost_usd=cost,
        )
    )
    if sink is not None:
        sink.append(usage)
    try:
        with uow.transaction() as session:
            session.add(usage)
    except Exception as exc:
        # The provider call happened (and may be paid for): keep its answer, and leave the
        # numbers in the log rather than mask the request's own outcome.
        log.error(
            "ai_usage_record_failed",
            error=type(exc).__name__,
            provider=provider,
            model=model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            outcome=outcome,
        )
    return usage
