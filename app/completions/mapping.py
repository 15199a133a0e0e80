"""Completions, batches and usage as wire data (and a completion request as the service's
input)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.completions import service
from app.completions.batch import BatchOutcome
from app.completions.service import CompletionResult
from app.http.problems import problem_body, status_for


def completion_input(req: Any) -> service.CompletionInput:
    """A spec `CompletionRequest` (either form) as the service's input."""
    return service.CompletionInput(
        messages=service.conversation(
            messages=(
                [(m.role, m.content) for m in req.messages] if req.messages is not None else None
            ),
            prompt=req.prompt,
            system=req.system,
        ),
        provider=req.provider,
        model=req.model,
        temperature=req.temperature,
        max_tokens=req.max_tokens,
        response_schema=req.response_schema,
        cache=req.cache is not False,
    )


def usage_out(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def money(value: Decimal | None) -> str | None:
    """Dollars to the micro-dollar; None (JSON null) when the price is unknown."""
    return None if value is None else f"{value:.6f}"


def completion_out(result: CompletionResult) -> dict[str, Any]:
    return {
        "provider": result.provider,
        "model": result.model,
        "text": result.text,
        "object": result.object,
        "response_schema": result.response_schema,
        "finish_reason": result.finish_reason,
        "usage": usage_out(result.prompt_tokens, result.completion_tokens),
        "cost_usd": money(result.cost_usd),
        "latency_ms": result.latency_ms,
        "attempts": result.attempts,
        "cached": result.cached,
    }


def batch_out(outcomes: Sequence[BatchOutcome], request_id: str) -> dict[str, Any]:
    """Each outcome as a `BatchSuccess` or a `BatchFailure` (its problem, as a single
    request would have got it), with the totals of every item's attempts, failed ones
    included (what `/ai/usage` counts for the batch)."""
    results: list[dict[str, Any]] = []
    prompt = completion = 0
    cost: Decimal | None = Decimal(0)
    for outcome in outcomes:
        item_prompt, item_completion = outcome.tokens
        prompt, completion = prompt + item_prompt, completion + item_completion
        # One unknown price makes the total unknown (its item says which model).
        item_cost = outcome.cost_usd
        cost = None if cost is None or item_cost is None else cost + item_cost
        if outcome.result is not None:
            r = outcome.result
            results.append(
                {
                    "index": outcome.index,
                    "status": "ok",
                    "completion": completion_out(r),
                    "warnings": r.warnings,
                }
            )
        else:
            error = outcome.error
            assert error is not None
            problem = problem_body(
                status=status_for(error.code),
                code=error.code,
                detail=error.detail,
                request_id=request_id,
                errors=error.errors,
            )
            results.append({"index": outcome.index, "status": "error", "problem": problem})
    succeeded = sum(1 for o in outcomes if o.result is not None)
    return {
        "results": results,
        "succeeded": succeeded,
        "failed": len(outcomes) - succeeded,
        "usage": usage_out(prompt, completion),
        "cost_usd": money(cost),
    }
