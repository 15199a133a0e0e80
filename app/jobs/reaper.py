"""The reaper: jobs whose worker was lost, and messages that were lost.

Running jobs whose lease expired lost their worker: back to `queued` for another attempt,
or `failed` with `job_worker_lost` after `max_attempts`. Queued jobs whose message is older
than `requeue_after` are sent again (duplicates are harmless: the claim is exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import update
from sqlmodel import col, select

from app.errors import DomainError
from app.infra.column_types import utcnow
from app.jobs import results
from app.jobs.models import Job, JobStatus
from app.jobs.runner import JobRuntime, attempt_rows
from app.jobs.service import JobQueue, send

log = structlog.get_logger(__name__)

REAP_BATCH = 500  # rows per reaper pass: bounded work, the next pass takes the rest


@dataclass(frozen=True)
class Reaped:
    requeued: list[int]  # lost their worker; queued for another attempt
    failed: list[int]  # lost their worker on the last attempt
    resent: list[int]  # queued, their message sent again


class WorkerLostError(DomainError):
    code = "job_worker_lost"


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
            select(Job.id, Job.attempts)
            .where(Job.status == JobStatus.RUNNING, col(Job.lease_expires_at) < now)
            .order_by(col(Job.id))
            .limit(REAP_BATCH)
        ).all()
        for job_id, attempts in expired:
            assert job_id is not None
            lost = col(Job.lease_expires_at) < now
            if attempts >= rt.max_attempts:
                error = WorkerLostError(
                    f"The worker running this job stopped {attempts} times; submit it again."
                )
                values: dict[str, Any] = {
                    "status": JobStatus.FAILED,
                    "problem": results.error_record(error),
                    "finished_at": now,
                }
                into = failed
            else:
                values = {"status": JobStatus.QUEUED, "enqueued_at": now}
                into = requeued
            moved = session.execute(
                update(Job)
                .where(*attempt_rows(job_id, attempts), lost)
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
    send(queue, [*requeued, *resent])
    return Reaped(requeued=requeued, failed=failed, resent=resent)
