"""Jobs as wire data: the stored domain result or error (`app.jobs.results`) rendered by
kind, as the synchronous request would have answered."""

from __future__ import annotations

from typing import Any

from app.completions.mapping import completion_out
from app.http.problems import problem_body, status_for
from app.jobs import results
from app.jobs.models import Job, JobKind
from app.recipes.mapping import generation_out


def job_out(job: Job) -> dict[str, Any]:
    """A job; `problem` only when it has one (the spec's `problem` is optional, not null)."""
    data: dict[str, Any] = {
        "id": job.id,
        "owner_id": job.owner_id,
        "kind": job.kind.value,
        "status": job.status.value,
        "request": job.request,
        "result": None if job.result is None else result_out(job),
        "warnings": job.warnings,
        "attempts": job.attempts,
        "request_id": job.request_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
    if job.problem is not None:
        data["problem"] = problem_out(job.problem, job.request_id or "")
    return data


def result_out(job: Job) -> dict[str, Any]:
    stored = job.result
    assert stored is not None
    if "usage" in stored:  # stored in its wire form, by a version before results.py
        return stored
    warnings = job.warnings or []
    if job.kind == JobKind.COMPLETION:
        return completion_out(results.completion_of(stored, warnings))
    return generation_out(
        results.completion_of(stored["completion"], warnings),
        saved_id=stored["saved_id"],
        prompt_version=stored["prompt_version"],
    )


def problem_out(stored: dict[str, Any], request_id: str) -> dict[str, Any]:
    if "status" in stored:  # stored in its wire form, by a version before results.py
        return stored
    return problem_body(
        status=status_for(stored["code"]),
        code=stored["code"],
        detail=stored["detail"],
        request_id=request_id,
        errors=stored["errors"],
    )
