"""Handlers for the `jobs` tag: async completion and recipe jobs."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from app.ai.gateway import AIGateway
from app.completions.mapping import completion_input
from app.contract.lists import location
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import current_principal, get, request_id, unit_of_work
from app.http.idempotency import idempotent
from app.http.pages import list_query, page_response
from app.http.parsing import parse_body
from app.jobs import service as jobs
from app.jobs.mapping import job_out
from generated import models as api

# --- Async jobs ----------------------------------------------------------------------------
JOB_REQUEST: TypeAdapter[api.JobCompletionRequest | api.JobRecipeRequest] = TypeAdapter(
    api.JobCompletionRequest | api.JobRecipeRequest
)


def _job_input(req: api.JobCompletionRequest | api.JobRecipeRequest) -> jobs.JobInput:
    if isinstance(req, api.JobCompletionRequest):
        return completion_input(req.completion)
    recipe = req.recipe
    return jobs.RecipeInput(
        ingredients=[i.root for i in recipe.ingredients],
        dietary_restrictions=[d.root for d in recipe.dietary_restrictions or []],
        cuisine_type=recipe.cuisine_type,
        cooking_time_max=recipe.cooking_time_max,
        save=recipe.save is not False,
        provider=recipe.provider,
        model=recipe.model,
    )


@idempotent
def create_job(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(JOB_REQUEST, body)
    job = jobs.create_job(
        unit_of_work(),
        current_principal(),
        get(jobs.JobQueue),
        get(AIGateway),
        work=_job_input(req),
        request=body,
        request_id=request_id(),
    )
    return respond(
        api.JobEnvelope,
        job_out(job),
        status=202,
        message="Job queued",
        headers={"Location": location(f"/ai/jobs/{job.id}")},
    )


def list_jobs(**query: Any) -> HandlerResponse:
    page, filters = list_query(query, "status", "kind", "owner_id")
    result = jobs.list_jobs(unit_of_work(), current_principal(), page, **filters)
    return page_response(api.JobPageEnvelope, result, job_out)


def get_job(job_id: int) -> HandlerResponse:
    job = jobs.get_job(unit_of_work(), current_principal(), job_id)
    return respond(api.JobEnvelope, job_out(job))


def cancel_job(job_id: int) -> HandlerResponse:
    job = jobs.cancel_job(unit_of_work(), current_principal(), job_id)
    return respond(api.JobEnvelope, job_out(job), message="Job cancelled")
