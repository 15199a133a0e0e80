"""A finished job's outcome as stored: the domain result or the domain error, as JSON.

The worker stores what the services returned, never a wire form: reading a job renders
it (`app.jobs.mapping`) as the synchronous request would have answered, so the worker
needs no HTTP code and a change of wire shape needs no data migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from app.completions.service import CompletionResult
from app.errors import DomainError


def completion_record(result: CompletionResult) -> dict[str, Any]:
    """The completion's result (its warnings are the job's `warnings` column)."""
    record = asdict(result)
    del record["warnings"]
    record["cost_usd"] = None if result.cost_usd is None else str(result.cost_usd)
    return record


def completion_of(record: Mapping[str, Any], warnings: list[dict[str, Any]]) -> CompletionResult:
    cost = record["cost_usd"]
    return CompletionResult(
        **{**record, "cost_usd": None if cost is None else Decimal(cost), "warnings": warnings}
    )


def recipe_record(
    result: CompletionResult, saved_id: int | None, prompt_version: str
) -> dict[str, Any]:
    """A recipe generation: its completion, the saved recipe's id, the prompt's version."""
    return {
        "completion": completion_record(result),
        "saved_id": saved_id,
        "prompt_version": prompt_version,
    }


def error_record(error: DomainError) -> dict[str, Any]:
    """What the job failed with: the error's stable code, detail and field errors."""
    return {"code": error.code, "detail": error.detail, "errors": error.errors}
