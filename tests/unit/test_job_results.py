"""A job stores the domain result or error and renders it on read exactly as the synchronous
request answers; rows stored in the wire form (by earlier versions) are returned as stored."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.completions.mapping import completion_out
from app.completions.service import CompletionResult
from app.errors import DomainError
from app.jobs import results
from app.jobs.mapping import job_out
from app.jobs.models import Job, JobKind
from app.recipes.mapping import generation_out

WARNINGS: list[dict[str, Any]] = [{"code": "ai_truncated", "message": "cut", "details": {}}]


def _result(cost: Decimal | None = Decimal("0.000123")) -> CompletionResult:
    return CompletionResult(
        provider="fake",
        model="fake-1",
        text=None,
        object={"title": "Soup"},
        response_schema="Recipe",
        finish_reason="stop",
        prompt_tokens=12,
        completion_tokens=34,
        cost_usd=cost,
        latency_ms=5,
        attempts=2,
        cached=False,
        warnings=WARNINGS,
    )


def _job(kind: JobKind, **values: Any) -> Job:
    # Through JSON, as the database column gives it back.
    stored = {k: json.loads(json.dumps(v)) for k, v in values.items()}
    return Job(owner_id=1, kind=kind, request={}, params={}, warnings=WARNINGS, **stored)


def test_a_completion_renders_as_the_synchronous_answer() -> None:
    for cost in (Decimal("0.000123"), None):
        result = _result(cost)
        job = _job(JobKind.COMPLETION, result=results.completion_record(result))
        assert job_out(job)["result"] == completion_out(result)


def test_a_recipe_renders_with_its_saved_id_and_prompt_version() -> None:
    result = _result()
    job = _job(JobKind.RECIPE, result=results.recipe_record(result, 7, "recipe_v1"))
    expected = generation_out(result, saved_id=7, prompt_version="recipe_v1")
    assert job_out(job)["result"] == expected


def test_an_error_renders_as_its_problem() -> None:
    error = DomainError("The worker stopped.", code="job_worker_lost")
    job = _job(JobKind.COMPLETION, problem=results.error_record(error), request_id="r-1")
    problem = job_out(job)["problem"]
    assert (problem["status"], problem["code"], problem["request_id"]) == (
        503,
        "job_worker_lost",
        "r-1",
    )
    assert problem["detail"] == "The worker stopped."


def test_rows_stored_in_the_wire_form_are_returned_as_stored() -> None:
    wire = completion_out(_result())
    wire["cost_usd"] = "0.000123"
    problem = {"type": "about:blank", "title": "t", "status": 502, "code": "ai_provider_error"}
    job = _job(JobKind.COMPLETION, result=wire, problem=problem)
    assert job_out(job)["result"] == wire
    assert job_out(job)["problem"] == problem
