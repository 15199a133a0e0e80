"""Async AI jobs: a completion or recipe request queued now and run by a worker, with
every state change in the database (so it survives restarts of the API and the workers).

- `create_job` stores the job `queued` and, after the commit, sends its id to the queue (a
  Celery worker or a thread pool: `JobQueue`). A message that could not be sent is resent
  by the reaper, so a broker outage delays a job but never loses it.
- `run_job` claims a `queued` job with a conditional UPDATE (of two workers handed the same
  job, one runs it), runs it through the completion or recipe service (usage, cache, quota,
  warnings as the synchronous request), and stores the result or the problem the request
  would have answered with. A lease, renewed by a heartbeat, says the worker is alive.
  Every write after the claim is conditional on the job still being this attempt's, so a
  cancelled job (or one a later attempt took over) is never overwritten.
- `cancel_job`: queued or running -> cancelled at once; the running call is not interrupted
  (its usage is still recorded) but its result is dropped. Finished jobs: 409.
- `reap_jobs`: running jobs whose lease expired lost their worker: back to `queued` for
  another attempt, or `failed` with `job_worker_lost` after `max_attempts`. Queued jobs
  whose message is older than `requeue_after` are sent again (duplicates are harmless).

Visibility follows items (`app.owned.policy.Ownership`): a caller sees and cancels their own
jobs; `admin` sees and cancels all; `readonly` sees all (the spec's `x-roles` refuse its
starts and cancels). Someone else's job is `not_found`, exactly as a missing one. The worker
re-checks the owner's account when the job runs: it may have been deactivated or demoted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy import update
from sqlmodel import col, select

from app.accounts.models import Role, User
from app.accounts.principal import Principal
from app.ai.gateway import AIGateway
from app.ai.types import Message
from app.auth.models import ApiKey
from app.completions import service as completions
from app.contract.lists import sort_fields
from app.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from app.infra.column_types import utcnow
from app.infra.db import Database, UnitOfWork
from app.infra.pagination import PageRequest, PageResult, page_of
from app.jobs.models import Job, JobKind, JobStatus
from app.owned.policy import Ownership
from app.recipes import service as recipes
from app.recipes.models import Recipe

log = structlog.get_logger(__name__)

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)
OPERATION = "job"  # usage rows of job attempts
REAP_BATCH = 500  # rows per reaper pass: bounded work, the next pass takes the rest


class JobQueue(Protocol):
    """Where job ids go to be run (a Celery queue, or a thread pool in this process)."""

    def enqueue(self, job_id: int) -> None: ...


class JobRenderer(Protocol):
    """The wire shapes of results and problems (the HTTP layer owns them; injected)."""

    def completion(self, result: completions.CompletionResult) -> dict[str, Any]: ...

    def recipe(self, done: recipes.Generated) -> dict[str, Any]: ...

    def problem(self, error: DomainError, request_id: str) -> dict[str, Any]: ...


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


@dataclass(frozen=True)
class JobRuntime:
    """What running and reaping jobs needs, built once per process by the composition root."""

    db: Database
    gateway: AIGateway
    renderer: JobRenderer
    default_max_tokens: int
    lease: timedelta
    max_attempts: int
    requeue_after: timedelta


@dataclass(frozen=True)
class Reaped:
    requeued: list[int]  # lost their worker; queued for another attempt
    failed: list[int]  # lost their worker on the last attempt
    resent: list[int]  # queued, their message sent again


class WorkerLostError(DomainError):
    code = "job_worker_lost"


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


def _completion_input(params: dict[str, Any]) -> completions.CompletionInput:
    messages = tuple(Message(role, content) for role, content in params["messages"])
    return completions.CompletionInput(**{**params, "messages": messages})


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
    _send(queue, [job.id])
    return job


def _send(queue: JobQueue, job_ids: Sequence[int]) -> None:
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


# --- Running --------------------------------------------------------------------------------


class _SupersededError(Exception):
    """The job is no longer this attempt's (cancelled, or taken over): keep nothing."""


def _claim(uow: UnitOfWork, job_id: int, lease: timedelta) -> int | None:
    """queued -> running, for this attempt only; its number, or None if not queued."""
    now = utcnow()
    with uow.transaction() as session:
        claimed = session.execute(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
            .values(
                status=JobStatus.RUNNING,
                attempts=col(Job.attempts) + 1,
                started_at=now,
                lease_expires_at=now + lease,
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        attempts: int = session.exec(select(Job.attempts).where(Job.id == job_id)).one()
    return attempts


def _mine(job_id: int, attempt: int) -> list[Any]:
    return [
        col(Job.id) == job_id,
        col(Job.status) == JobStatus.RUNNING,
        col(Job.attempts) == attempt,
    ]


@contextmanager
def _heartbeat(db: Database, job_id: int, attempt: int, lease: timedelta) -> Iterator[None]:
    """Renew the lease every third of it while the block runs (in its own thread, with its
    own short transactions: the job's thread holds no connection during the provider call)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            try:
                with db.unit_of_work() as uow, uow.transaction() as session:
                    session.execute(
                        update(Job)
                        .where(*_mine(job_id, attempt))
                        .values(lease_expires_at=utcnow() + lease)
                    )
            except Exception as exc:  # a blip: the next beat tries again
                log.warning("job_heartbeat_failed", job_id=job_id, error=type(exc).__name__)

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _principal(user: User | None, key: ApiKey | None) -> Principal:
    """The owner, acting now: their role and status may have changed since they asked.
    A job started with an API key spends within that key's daily cap too."""
    if user is None or not user.is_active:
        raise ForbiddenError(
            "The account that started this job is deactivated.", code="user_inactive"
        )
    if user.role == Role.READONLY:
        raise ForbiddenError("The readonly role cannot spend tokens.")
    if key is None:
        return Principal(user=user, method="job")
    return Principal(user=user, method="job", api_key_id=key.id, api_key_daily_usd=key.daily_usd)


@dataclass(frozen=True)
class _Done:
    render: Callable[[Recipe | None], dict[str, Any]]
    warnings: list[dict[str, Any]]
    keep: Recipe | None = None


def _execute(uow: UnitOfWork, principal: Principal, rt: JobRuntime, job: Job) -> _Done:
    if job.kind == JobKind.COMPLETION:
        result = completions.complete(
            uow,
            principal,
            rt.gateway,
            _completion_input(job.params),
            default_max_tokens=rt.default_max_tokens,
            request_id=job.request_id,
            operation=OPERATION,
        )
        return _Done(lambda _: rt.renderer.completion(result), result.warnings)
    asked = RecipeInput(**job.params)
    done = recipes.generate(
        uow,
        principal,
        rt.gateway,
        ingredients=asked.ingredients,
        dietary_restrictions=asked.dietary_restrictions,
        cuisine_type=asked.cuisine_type,
        cooking_time_max=asked.cooking_time_max,
        save=False,  # kept below, in the transaction that records the result
        provider=asked.provider,
        model=asked.model,
        default_max_tokens=rt.default_max_tokens,
        request_id=job.request_id,
        operation=OPERATION,
    )
    keep = None
    if asked.save:
        keep = recipes.recipe_of(
            principal.user_id,
            done.completion,
            cuisine_type=asked.cuisine_type,
            dietary_restrictions=asked.dietary_restrictions,
        )

    def render(saved: Recipe | None) -> dict[str, Any]:
        return rt.renderer.recipe(
            recipes.Generated(
                completion=done.completion, saved=saved, prompt_version=done.prompt_version
            )
        )

    return _Done(render, done.completion.warnings, keep)


def _finish(
    uow: UnitOfWork, job_id: int, attempt: int, status: JobStatus, **values: Any
) -> JobStatus | None:
    """Record the outcome if the job is still this attempt's; else keep nothing."""
    try:
        with uow.transaction() as session:
            done = session.execute(
                update(Job)
                .where(*_mine(job_id, attempt))
                .values(status=status, finished_at=utcnow(), lease_expires_at=None, **values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise _SupersededError
    except _SupersededError:
        log.info("job_result_dropped", job_id=job_id, attempt=attempt)
        return None
    return status


def _succeed(uow: UnitOfWork, job_id: int, attempt: int, done: _Done) -> JobStatus | None:
    try:
        with uow.transaction() as session:
            if done.keep is not None:
                session.add(done.keep)
                session.flush()  # its id goes into the result
            finished = session.execute(
                update(Job)
                .where(*_mine(job_id, attempt))
                .values(
                    status=JobStatus.SUCCEEDED,
                    result=done.render(done.keep),
                    warnings=done.warnings,
                    finished_at=utcnow(),
                    lease_expires_at=None,
                )
            )
            if finished.rowcount != 1:  # type: ignore[attr-defined]
                raise _SupersededError  # rolls the recipe back too
    except _SupersededError:
        log.info("job_result_dropped", job_id=job_id, attempt=attempt)
        return None
    return JobStatus.SUCCEEDED


def run_job(rt: JobRuntime, job_id: int) -> JobStatus | None:
    """Run the job if it is queued; the status it was left in, or None when there was
    nothing to do (not queued: another worker has it, it finished, or it was cancelled) or
    the outcome was dropped (cancelled meanwhile)."""
    with rt.db.unit_of_work() as uow:
        attempt = _claim(uow, job_id, rt.lease)
        if attempt is None:
            return None
        job = uow.session.get(Job, job_id, populate_existing=True)
        if job is None:  # deleted with its owner just now
            return None
        owner = uow.session.get(User, job.owner_id)
        key = uow.session.get(ApiKey, job.api_key_id) if job.api_key_id is not None else None
        uow.release()
        request_id = job.request_id or ""
        with _heartbeat(rt.db, job_id, attempt, rt.lease):
            try:
                done = _execute(uow, _principal(owner, key), rt, job)
            except DomainError as exc:
                problem = rt.renderer.problem(exc, request_id)
                return _finish(uow, job_id, attempt, JobStatus.FAILED, problem=problem)
            except Exception as exc:
                log.error("job_failed_unexpectedly", job_id=job_id, exc_info=exc)
                error = DomainError("The job failed unexpectedly.", code="internal_error")
                problem = rt.renderer.problem(error, request_id)
                return _finish(uow, job_id, attempt, JobStatus.FAILED, problem=problem)
            return _succeed(uow, job_id, attempt, done)


# --- Reaping --------------------------------------------------------------------------------


def reap_jobs(rt: JobRuntime, queue: JobQueue, *, requeue_after: timedelta | None = None) -> Reaped:
    """Retry or fail running jobs whose lease expired; resend queued jobs whose message is
    older than `requeue_after` (default: the runtime's; 0 at startup of an in-process
    queue, whose earlier messages died with the previous process)."""
    now = utcnow()
    stale_before: datetime = now - (rt.requeue_after if requeue_after is None else requeue_after)
    requeued: list[int] = []
    failed: list[int] = []
    with rt.db.unit_of_work() as uow, uow.transaction() as session:
        expired = session.exec(
            select(Job.id, Job.attempts, Job.request_id)
            .where(Job.status == JobStatus.RUNNING, col(Job.lease_expires_at) < now)
            .order_by(col(Job.id))
            .limit(REAP_BATCH)
        ).all()
        for job_id, attempts, request_id in expired:
            assert job_id is not None
            lost = col(Job.lease_expires_at) < now
            if attempts >= rt.max_attempts:
                error = WorkerLostError(
                    f"The worker running this job stopped {attempts} times; submit it again."
                )
                values: dict[str, Any] = {
                    "status": JobStatus.FAILED,
                    "problem": rt.renderer.problem(error, request_id or ""),
                    "finished_at": now,
                }
                into = failed
            else:
                values = {"status": JobStatus.QUEUED, "enqueued_at": now}
                into = requeued
            moved = session.execute(
                update(Job)
                .where(*_mine(job_id, attempts), lost)
                .values(lease_expires_at=None, **values)
            )
            if moved.rowcount == 1:  # type: ignore[attr-defined]
                into.append(job_id)
        waiting = session.exec(
            select(Job.id)
            .where(Job.status == JobStatus.QUEUED, col(Job.enqueued_at) <= stale_before)
            .order_by(col(Job.id))
            .limit(REAP_BATCH)
        ).all()
        resent = [i for i in waiting if i is not None and i not in requeued]
        if resent:
            session.execute(
                update(Job)
                .where(col(Job.id).in_(resent), col(Job.status) == JobStatus.QUEUED)
                .values(enqueued_at=now)
            )
    if requeued or failed:
        log.warning("jobs_worker_lost", requeued=requeued, failed=failed)
    _send(queue, [*requeued, *resent])
    return Reaped(requeued=requeued, failed=failed, resent=resent)
