"""The usage row of a completion (every attempt summed, failed ones too) and its cost."""

from __future__ import annotations

from decimal import Decimal

import structlog

from app.accounts.principal import Principal
from app.ai import structured
from app.ai.gateway import AIGateway
from app.ai.metrics import CompletionEvent
from app.completions.models import AIUsage
from app.infra.db import UnitOfWork

log = structlog.get_logger(__name__)


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
        uow.insert(usage)
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
