"""Async AI jobs: a completion or recipe request queued now and run by a worker, with
every state change in the database (so it survives restarts of the API and the workers).

- `create_job` stores the job `queued` and, after the commit, sends its id to the queue (a
  Celery worker or a thread pool: `JobQueue`). A message that could not be sent is resent
  by the reaper, so a broker outage delays a job but never loses it.
- `run_job` (`app.jobs.runner`) claims a `queued` job, runs it through the completion or
  recipe service and stores the domain result or error (`app.jobs.results`); the reader
  renders it (`app.jobs.mapping`), so the worker needs no HTTP code.
- `cancel_job`: queued or running -> cancelled at once; the running call is not interrupted
  (its usage is still recorded) but its result is dropped. Finished jobs: 409.
- `reap_jobs` (`app.jobs.reaper`): jobs whose worker was lost are retried or failed, and
  lost messages are sent again.

Visibility follows items (`app.owned.policy.Ownership`): a caller sees and cancels their own
jobs; `admin` sees and cancels all; `readonly` sees all (the spec's `x-roles` refuse its
starts and cancels). Someone else's job is `not_found`, exactly as a missing one. The worker
re-checks the owner's account when the job runs: it may have been deactivated or demoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import structlog
from sqlalchemy import update
from sqlmodel import col, select

from app.accounts.principal import Principal
from app.ai.gateway import AIGateway
from app.completions import service as completions
from app.contract.lists import sort_fields
from app.errors import ConflictError, NotFoundError
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, page_of
from app.jobs.models import Job, JobKind, JobStatus
from app.owned.policy import Ownership
from app.recipes import service as recipes

log = structlog.get_logger(__name__)

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobQueue(Protocol):
    """Where job ids go to be run (a Celery queue, or a thread pool in this process)."""

    def enqueue(self, job_id: int) -> None: ...


@dataclass(frozen=True)
class RecipeInput:
    """A recipe request as the recipe service takes it."""

    ingredients: list[str]
    dietary_restrictions: list[str] = field(default_factory=list)
    cuisine_type: str | None = None
    cooking_time_max: int | None = None
    save: bool = True
    provider: str | None = None
    model: str | None = None


JobInput = completions.CompletionInput | RecipeInput


class JobNotCancellableError(ConflictError):
    code = "job_not_cancellable"


# --- Inputs as JSON (the `params` column) ---------------------------------------------------


def _params_of(work: JobInput) -> tuple[JobKind, dict[str, Any]]:
    if isinstance(work, RecipeInput):
        return JobKind.RECIPE, asdict(work)
    params = asdict(work)
    params["messages"] = [[m.role, m.content] for m in work.messages]
    return JobKind.COMPLETION, params


def _as_completion(work: JobInput) -> completions.CompletionInput:
    if isinstance(work, completions.CompletionInput):
        return work
    return recipes.recipe_input(
        ingredients=work.ingredients,
        dietary_restrictions=work.dietary_restrictions,
        cuisine_type=work.cuisine_type,
        cooking_time_max=work.cooking_time_max,
        provider=work.provider,
        model=work.model,
    )


# --- Requests -------------------------------------------------------------------------------


# Who reaches a job (app/owned/policy.py): its owner, admins, and auditors reading.
POLICY = Ownership(owner_field="owner_id", audited=True)


def _not_found(job_id: int) -> NotFoundError:
    return NotFoundError(f"Job {job_id} does not exist.")


def create_job(
    uow: UnitOfWork,
    principal: Principal,
    queue: JobQueue,
    gateway: AIGateway,
    *,
    work: JobInput,
    request: dict[str, Any],
    request_id: str | None = None,
) -> Job:
    """Store the job (`queued`), then send it. `request` is the body as sent (echoed back).
    A model off the allow-list is refused now rather than failing the job later."""
    provider, model = gateway.resolve(work.provider, work.model)
    # The budget is reserved when the job runs; one that can never fit is refused now.
    tokens, micros = completions.worst_case(gateway, principal, _as_completion(work))
    gateway.budget.check_priced(principal, provider=provider.name, model=model)
    uow.release()  # the budget's counters are read with a connection of their own
    gateway.budget.check_fits(principal, tokens=tokens, micros=micros, what="This job")
    kind, params = _params_of(work)
    job = Job(
        owner_id=principal.user_id,
        api_key_id=principal.api_key_id,
        kind=kind,
        request=request,
        params=params,
        request_id=request_id,
    )
    with uow.transaction() as session:
        session.add(job)
        session.flush()
    assert job.id is not None
    send(queue, [job.id])
    return job


def send(queue: JobQueue, job_ids: Sequence[int]) -> None:
    """Send each id; a failure leaves the job queued for the reaper to resend."""
    for job_id in job_ids:
        try:
            queue.enqueue(job_id)
        except Exception as exc:
            log.warning("job_enqueue_failed", job_id=job_id, error=type(exc).__name__)


def get_job(uow: UnitOfWork, principal: Principal, job_id: int) -> Job:
    job = uow.session.get(Job, job_id, populate_existing=True)
    if job is None or not POLICY.can_read(principal, job):
        raise _not_found(job_id)
    return job


def list_jobs(
    uow: UnitOfWork,
    principal: Principal,
    request: PageRequest,
    *,
    status: str | None = None,
    kind: str | None = None,
    owner_id: int | None = None,
) -> PageResult[Job]:
    statement = select(Job).where(POLICY.readable(principal, Job))
    if owner_id is not None:
        statement = statement.where(Job.owner_id == owner_id)
    if status is not None:
        statement = statement.where(Job.status == JobStatus(status))
    if kind is not None:
        statement = statement.where(Job.kind == JobKind(kind))
    sortable = {f: getattr(Job, f) for f in sort_fields("listJobs")}
    return page_of(uow.session, statement, request, sortable=sortable, tiebreaker=Job.id)


def cancel_job(uow: UnitOfWork, principal: Principal, job_id: int) -> Job:
    """Cancel a queued or running job (idempotent for a cancelled one); 409 once finished."""
    job = get_job(uow, principal, job_id)
    if not POLICY.can_write(principal, job):
        raise _not_found(job_id)
    with uow.transaction() as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status).in_(ACTIVE))
            .values(status=JobStatus.CANCELLED, finished_at=utcnow(), lease_expires_at=None)
        )
    job = get_job(uow, principal, job_id)  # what the UPDATE (or a worker before it) left
    if job.status in FINISHED:
        raise JobNotCancellableError(f"Job {job_id} already {job.status.value}.")
    return job
