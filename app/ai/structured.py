"""Ask, validate, repair: the loop behind every completion.

Free text is one call. With an answer schema, the answer is validated with the schema's
generated model; an invalid one is sent back with its errors ("repair") up to
`validation_retries` times, then `ai_invalid_output` lists every attempt's errors. Each
call is appended to the caller's `attempts` as it happens, so usage is recorded whatever
ends the loop (an invalid answer, a timeout on a repair, ...).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from app.ai import tracing
from app.ai.errors import AIInvalidOutputError, AIOutputTruncatedError
from app.ai.providers.base import Provider
from app.ai.schemas import AnswerSchema
from app.ai.types import Message, ProviderRequest, ProviderResult

MAX_ECHOED_ANSWER = 4000


@dataclass
class Attempt:
    result: ProviderResult
    latency_ms: int
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    text: str | None
    object: dict[str, Any] | None
    final: ProviderResult


def _repair_prompt(schema_name: str, errors: list[dict[str, str]]) -> str:
    listed = "\n".join(f"- {e['field']}: {e['message']}" for e in errors)
    return (
        f"Your previous answer does not match the JSON Schema `{schema_name}`:\n{listed}\n"
        "Answer again with only the corrected JSON object, nothing else."
    )


def run(
    provider: Provider,
    request: ProviderRequest,
    answer_schema: AnswerSchema | None,
    *,
    validation_retries: int,
    attempts: list[Attempt],
    before_call: Callable[[ProviderRequest], None] | None = None,
) -> Answer:
    """`before_call` sees each request before it is sent (a budget reserves repairs)."""
    messages = list(request.messages)
    for number in range(1, validation_retries + 2):
        started = time.monotonic()
        call = replace(request, messages=tuple(messages))
        if before_call is not None:
            before_call(call)
        with tracing.provider_call(provider.name, call, attempt=number) as span:
            result = provider.complete(call)
            tracing.record_result(span, result)
        attempt = Attempt(result, int((time.monotonic() - started) * 1000))
        attempts.append(attempt)
        if answer_schema is None:
            return Answer(text=result.text, object=None, final=result)
        value = judge(answer_schema, attempt, attempts, max_tokens=request.max_tokens)
        if value is not None:
            return Answer(text=None, object=value, final=result)
        messages += repair_turns(answer_schema, attempt)
    raise exhausted(answer_schema, attempts)


def judge(
    answer_schema: AnswerSchema,
    attempt: Attempt,
    attempts: list[Attempt],
    *,
    max_tokens: int | None,
) -> dict[str, Any] | None:
    """The attempt's answer as a valid object, or None (ask for a repair; `attempt.errors`
    say why). An invalid answer cut at `max_tokens` cannot be repaired: the caller must
    allow more tokens."""
    value, attempt.errors = answer_schema.validate(attempt.result.text)
    if value is not None:
        return value
    if attempt.result.finish_reason == "length":
        raise AIOutputTruncatedError(
            f"The answer was cut at max_tokens ({max_tokens}) before the "
            f"{answer_schema.output.name} object was complete; ask again with a larger "
            "max_tokens.",
            errors=attempt_errors(attempts),
        )
    return None


def repair_turns(answer_schema: AnswerSchema, attempt: Attempt) -> list[Message]:
    """The turns that send an invalid answer back with its errors."""
    return [
        Message("assistant", attempt.result.text[:MAX_ECHOED_ANSWER] or "(empty)"),
        Message("user", _repair_prompt(answer_schema.output.name, attempt.errors)),
    ]


def exhausted(answer_schema: AnswerSchema | None, attempts: list[Attempt]) -> AIInvalidOutputError:
    name = answer_schema.output.name if answer_schema else ""
    return AIInvalidOutputError(
        f"The model's answer did not match {name} after {len(attempts)} attempts.",
        errors=attempt_errors(attempts),
    )


def attempt_errors(attempts: list[Attempt]) -> list[dict[str, str]]:
    """Every failed attempt's errors as problem `errors` (location `output`)."""
    return [
        {"location": "output", "field": f"attempt{n}.{e['field']}", "message": e["message"]}
        for n, attempt in enumerate(attempts, start=1)
        for e in attempt.errors
    ]
