"""Running a job: claim it, run it through the completion or recipe service, store the
outcome.

`run_job` claims a `queued` job with a conditional UPDATE (of two workers handed the same
job, one runs it), runs it through the completion or recipe service (usage, cache, quota,
warnings as the synchronous request), and stores the domain result or error
(`app.jobs.results`), which the reader renders as the synchronous request would have
answered. A lease, renewed by a heartbeat, says the worker is alive. Every write after the
claim is conditional on the job still being this attempt's, so a cancelled job (or one a
later attempt took over) is never overwritten.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import update
from sqlmodel import col, select

from app.accounts.models import Role, User
from app.accounts.principal import Principal
from app.ai.gateway import AIGateway
from app.ai.types import Message
from app.auth.models import ApiKey
from app.completions import service as completions
from app.errors import DomainError, ForbiddenError
from app.infra.column_types import utcnow
from app.infra.db import Database, UnitOfWork
from app.jobs import results
from app.jobs.models import Job, JobKind, JobStatus
from app.jobs.service import RecipeInput
from app.recipes import service as recipes
from app.recipes.models import Recipe

log = structlog.get_logger(__name__)

OPERATION = "job"  # usage rows of job attempts


@dataclass(frozen=True)
class JobRuntime:
    """What running and reaping jobs needs, built once per process by the composition root."""

    db: Database
    gateway: AIGateway
    default_max_tokens: int
    lease: timedelta
    max_attempts: int
    requeue_after: timedelta


def _completion_input(params: dict[str, Any]) -> completions.CompletionInput:
    messages = tuple(Message(role, content) for role, content in params["messages"])
    return completions.CompletionInput(**{**params, "messages": messages})


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


def attempt_rows(job_id: int, attempt: int) -> list[Any]:
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
                        .where(*attempt_rows(job_id, attempt))
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
    result: Callable[[Recipe | None], dict[str, Any]]  # the stored result, given the kept recipe
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
        return _Done(lambda _: results.completion_record(result), result.warnings)
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

    def stored(saved: Recipe | None) -> dict[str, Any]:
        saved_id = saved.id if saved is not None else None
        return results.recipe_record(done.completion, saved_id, done.prompt_version)

    return _Done(stored, done.completion.warnings, keep)


def _finish(
    uow: UnitOfWork, job_id: int, attempt: int, status: JobStatus, **values: Any
) -> JobStatus | None:
    """Record the outcome if the job is still this attempt's; else keep nothing."""
    try:
        with uow.transaction() as session:
            done = session.execute(
                update(Job)
                .where(*attempt_rows(job_id, attempt))
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
                .where(*attempt_rows(job_id, attempt))
                .values(
                    status=JobStatus.SUCCEEDED,
                    result=done.result(done.keep),
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
        with _heartbeat(rt.db, job_id, attempt, rt.lease):
            try:
                done = _execute(uow, _principal(owner, key), rt, job)
            except DomainError as exc:
                problem = results.error_record(exc)
                return _finish(uow, job_id, attempt, JobStatus.FAILED, problem=problem)
            except Exception as exc:
                log.error("job_failed_unexpectedly", job_id=job_id, exc_info=exc)
                error = DomainError("The job failed unexpectedly.", code="internal_error")
                problem = results.error_record(error)
                return _finish(uow, job_id, attempt, JobStatus.FAILED, problem=problem)
            return _succeed(uow, job_id, attempt, done)
