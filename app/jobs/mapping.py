"""Jobs as wire data, with the result rendered by kind."""

from __future__ import annotations

from typing import Any

from app.completions.mapping import completion_out
from app.completions.service import CompletionResult
from app.errors import DomainError
from app.http.problems import problem_body, status_for
from app.jobs.models import Job
from app.recipes.mapping import recipe_generation_out
from app.recipes.service import Generated


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
    problem body (`app.jobs.service.JobRenderer`, injected by the composition root)."""

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
