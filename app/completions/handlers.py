"""Handlers for the `completions` tag: completions, answer streams, batches and usage."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any, get_args

from pydantic import TypeAdapter

from app.ai.gateway import AIGateway
from app.completions import batch, streaming
from app.completions import service as completions
from app.completions import usage as ai_usage
from app.completions.mapping import batch_out, completion_input, completion_out
from app.errors import DomainError, InvalidInputError, field_error
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import current_principal, get, request_id, unit_of_work
from app.http.idempotency import idempotent
from app.http.parsing import parse_body
from app.http.stream_answers import StreamCall
from app.infra.db import Database
from app.settings import Settings
from generated import models as api

# The spec's `CompletionRequest` is a `oneOf` (messages-form | prompt-form); the generator
# inlines that union where it is used, so take it from there rather than by variant names.
COMPLETION_REQUEST: TypeAdapter[Any] = TypeAdapter(
    get_args(api.BatchRequest.model_fields["requests"].annotation)[0]
)


@idempotent
def create_completion(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(COMPLETION_REQUEST, body)
    result = completions.complete(
        unit_of_work(),
        current_principal(),
        get(AIGateway),
        completion_input(req),
        default_max_tokens=get(Settings).ai.max_output_tokens,
        request_id=request_id(),
    )
    warnings = [api.Warning.model_validate(w) for w in result.warnings]
    return respond(api.CompletionEnvelope, completion_out(result), warnings=warnings)


async def create_completion_stream(call: StreamCall) -> AsyncGenerator[streaming.StreamEvent, None]:
    """Served on the event loop (`app.http.event_streams`): the checks that can refuse the
    request run first, in a thread (`streaming.start`); the stream itself holds no thread."""
    req = parse_body(COMPLETION_REQUEST, call.body)
    gateway, db = call.get(AIGateway), call.get(Database)
    plan = await streaming.start(
        db,
        call.principal,
        gateway,
        completion_input(req),
        default_max_tokens=call.get(Settings).ai.max_output_tokens,
        request_id=call.request_id,
    )
    return streaming.run(plan, gateway, db)


@idempotent
def create_batch(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.BatchRequest, body)
    settings = get(Settings)
    limit = settings.ai.batch_max
    if len(req.requests) > limit:
        raise InvalidInputError(
            f"At most {limit} requests per batch (AI_BATCH_MAX).",
            errors=[field_error("body", "requests", f"At most {limit} items.")],
        )
    items: list[completions.CompletionInput | DomainError] = []
    for item in req.requests:
        try:
            items.append(completion_input(item))
        except DomainError as exc:
            items.append(exc)
    unit_of_work().release()  # each request runs in its own unit of work
    rid = request_id() or ""
    outcomes = batch.run_batch(
        get(Database),
        current_principal(),
        get(AIGateway),
        items,
        concurrency=settings.ai.batch_concurrency,
        default_max_tokens=settings.ai.max_output_tokens,
        request_id=rid,
    )
    data = batch_out(outcomes, rid)
    message = f"{data['succeeded']} of {len(outcomes)} succeeded"
    return respond(api.BatchEnvelope, data, message=message)


def get_ai_usage(*, days: int = 30) -> HandlerResponse:
    days_out, quota = ai_usage.usage_for(
        unit_of_work(), current_principal(), get(AIGateway), days=days
    )
    data = {
        "days": days_out,
        "quota": {
            "limit": quota.limit,
            "used_today": quota.used_today,
            "reserved": quota.reserved,
            "usd_limit": f"{quota.usd_limit:.6f}",
            "usd_used_today": f"{quota.usd_used_today:.6f}",
            "usd_reserved": f"{quota.usd_reserved:.6f}",
            "resets_at": quota.resets_at,
        },
    }
    return respond(api.UsageEnvelope, data)


def get_ai_stats(*, days: int = 30) -> HandlerResponse:
    return respond(api.AIStatsEnvelope, ai_usage.stats(unit_of_work(), days=days))
