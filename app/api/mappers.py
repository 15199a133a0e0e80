"""Domain objects -> wire models: one output mapper per resource (not an operation module)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.auth.service import IssuedTokens
from app.errors import DomainError
from app.http.problems import problem_body, status_for
from app.infra.pagination import PageResult
from app.models import ApiKey, AuditEvent, Job, Recipe, User
from app.services.batch import BatchOutcome
from app.services.completions import CompletionResult
from app.services.documents import DocumentView
from app.services.health import AIServiceHealth, HealthReport
from app.services.items import ItemView
from app.services.recipes import Generated
from generated import models as api


def user_out(user: User) -> api.User:
    return api.User.model_validate(user, from_attributes=True)


def item_out(view: ItemView) -> api.Item:
    item = view.item
    assert item.id is not None
    return api.Item(
        id=item.id,
        owner_id=item.owner_id,
        name=item.name,
        description=item.description,
        price=f"{item.price:.2f}",
        tags=view.tags,
        attributes=item.attributes,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def document_out(view: DocumentView) -> api.Document:
    document = view.document
    assert document.id is not None
    fields = document.model_dump(
        include={"id", "author_id", "title", "content", "status", "published_at"}
        | {"created_at", "updated_at"}
    )
    return api.Document.model_validate({**fields, "tags": view.tags})


def audit_event_out(event: AuditEvent) -> api.AuditEvent:
    return api.AuditEvent.model_validate(event, from_attributes=True)


def api_key_out(key: ApiKey) -> api.ApiKey:
    cap = None if key.daily_usd is None else f"{Decimal(key.daily_usd):.6f}"
    return api.ApiKey(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        daily_usd=cap,
    )


def tokens_out(tokens: IssuedTokens) -> api.TokenPair:
    return api.TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        token_type="Bearer",  # noqa: S106 - the OAuth token type, not a secret
        expires_in=tokens.expires_in,
        refresh_expires_in=tokens.refresh_expires_in,
    )


def health_out(report: HealthReport) -> api.Health:
    checks: dict[str, api.DependencyHealth | api.AIServiceHealth] = {
        name: api.DependencyHealth(
            status=dep.status,
            latency_ms=dep.latency_ms,
            required=dep.required,
            detail=dep.detail,
        )
        for name, dep in report.checks.items()
    }
    ai = report.checks["ai_service"]
    if isinstance(ai, AIServiceHealth):
        checks["ai_service"] = api.AIServiceHealth(
            status=ai.status,
            latency_ms=ai.latency_ms,
            required=ai.required,
            detail=ai.detail,
            breakers=[
                api.BreakerState(
                    provider=b.provider,
                    state=b.state,
                    failures=b.failures,
                    retry_after_s=b.retry_after_s,
                )
                for b in ai.breakers
            ],
        )
    return api.Health(
        status=report.status, version=report.version, checks=api.HealthChecks(**checks)
    )


def page_out(result: PageResult[Any], items: Sequence[object]) -> dict[str, object]:
    """The `data` of a page envelope, with `items` already mapped."""
    return {
        "items": list(items),
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
    }


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


def recipe_out(recipe: Recipe) -> api.Recipe:
    return api.Recipe.model_validate(recipe, from_attributes=True)


def recipe_generation_out(done: Generated) -> dict[str, Any]:
    result = done.completion
    return {
        "recipe": result.object,
        "saved_id": done.saved.id if done.saved else None,
        "prompt_version": done.prompt_version,
        "provider": result.provider,
        "model": result.model,
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


def job_out(job: Job) -> dict[str, Any]:
    """A job; `problem` only when it has one (the spec's `problem` is optional, not null)."""
    data: dict[str, Any] = {
        "id": job.id,
        "owner_id": job.owner_id,
        "kind": job.kind.value,
        "status": job.status.value,
        "request": job.request,
        "result": job.result,
        "warnings": job.warnings,
        "attempts": job.attempts,
        "request_id": job.request_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
    if job.problem is not None:
        data["problem"] = job.problem
    return data


class JobWireRenderer:
    """How a job's result and problem are stored: as the synchronous request's `data` and
    problem body (`app.services.jobs.JobRenderer`, injected by the composition root)."""

    def completion(self, result: CompletionResult) -> dict[str, Any]:
        return completion_out(result)

    def recipe(self, done: Generated) -> dict[str, Any]:
        return recipe_generation_out(done)

    def problem(self, error: DomainError, request_id: str) -> dict[str, Any]:
        return problem_body(
            status=status_for(error.code),
            code=error.code,
            detail=error.detail,
            request_id=request_id,
            errors=error.errors,
        )
