"""AI completions (handlers for the `ai` tag)."""

from __future__ import annotations

from typing import Any

from app.api.mappers import completion_out
from app.http.context import current_principal, request_id, services, unit_of_work
from app.http.envelope import HandlerResponse, respond
from app.http.idempotency import idempotent
from app.http.parsing import parse_body
from app.services import ai_usage, completions
from generated import models as api


@idempotent("createCompletion")
def create_completion(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.CompletionRequest, body).root  # messages-form or prompt-form
    svc = services()
    result = completions.complete(
        unit_of_work(),
        current_principal(),
        svc.ai,
        completions.CompletionInput(
            messages=completions.conversation(
                messages=(
                    [(m.role, m.content) for m in req.messages]
                    if req.messages is not None
                    else None
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
        ),
        default_max_tokens=svc.settings.ai_max_output_tokens,
        request_id=request_id(),
    )
    warnings = [api.Warning.model_validate(w) for w in result.warnings]
    return respond(api.CompletionEnvelope, completion_out(result), warnings=warnings)


def get_ai_usage(*, days: int = 30) -> HandlerResponse:
    svc = services()
    days_out, quota = ai_usage.usage_for(unit_of_work(), current_principal(), svc.ai, days=days)
    data = {
        "days": days_out,
        "quota": {
            "limit": quota.limit,
            "used_today": quota.used_today,
            "resets_at": quota.resets_at,
        },
    }
    return respond(api.UsageEnvelope, data)


def get_ai_stats(*, days: int = 30) -> HandlerResponse:
    return respond(api.AIStatsEnvelope, ai_usage.stats(unit_of_work(), days=days))
