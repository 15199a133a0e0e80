"""The job service against the real database: an exclusive claim, cancel semantics, a
result never written over a cancel, the lease heartbeat, and the reaper (retry, then
`job_worker_lost`; lost messages resent). Jobs run through the real completion service
on the fake provider; the queue here only records what was sent (the real queues are
tested in tests/jobs/test_ai_jobs.py and tests/live/test_ai_jobs_live.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import connexion
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from app.accounts.models import Role
from app.accounts.principal import Principal
from app.completions.models import AIUsage
from app.completions.service import CompletionInput, conversation
from app.errors import NotFoundError
from app.infra.column_types import utcnow
from app.jobs import service as jobs
from app.jobs.mapping import job_out
from app.jobs.models import Job, JobStatus
from app.jobs.reaper import Reaped, reap_jobs
from app.jobs.runner import JobRuntime, run_job
from app.main import create_app
from app.recipes.models import Recipe
from tests.auth_helpers import make_user, resources


class Sent:
    """A queue that records the ids it was given."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.ids.append(job_id)


@pytest.fixture
def japp(make_settings: Any) -> Iterator[connexion.FlaskApp]:
    app = create_app(make_settings(jobs_backend="inprocess", ai_fake_latency_ms=600))
    yield app
    resources(app).close()


@pytest.fixture
def rt(japp: connexion.FlaskApp) -> JobRuntime:
    return resources(japp).job_runtime


@pytest.fixture
def owner(japp: connexion.FlaskApp) -> Principal:
    return Principal(user=make_user(japp, "svc-jobs@example.com"), method="bearer")


def new_job(rt: JobRuntime, owner: Principal, work: Any = None) -> int:
    work = work or CompletionInput(
        messages=conversation(messages=None, prompt="hi", system=None), cache=False
    )
    with rt.db.unit_of_work() as uow:
        job = jobs.create_job(uow, owner, Sent(), rt.gateway, work=work, request={"x": 1})
    assert job.id is not None
    return job.id


def job(rt: JobRuntime, job_id: int) -> Job:
    with rt.db.unit_of_work() as uow:
        found = uow.session.get(Job, job_id)
        assert found is not None
        return found


def set_job(rt: JobRuntime, job_id: int, **values: Any) -> None:
    with rt.db.transaction() as session:
        session.execute(update(Job).where(col(Job.id) == job_id).values(**values))


def in_background(rt: JobRuntime, job_id: int) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(run_job(rt, job_id)))
    thread.start()
    return thread, out


def wait_running(rt: JobRuntime, job_id: int) -> None:
    deadline = time.monotonic() + 10
    while job(rt, job_id).status != JobStatus.RUNNING:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_the_claim_is_exclusive(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner)
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def run() -> None:
        barrier.wait()
        outcomes.append(run_job(rt, job_id))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes, key=str) == [None, None, None, JobStatus.SUCCEEDED]
    done = job(rt, job_id)
    assert done.status == JobStatus.SUCCEEDED and done.attempts == 1
    with rt.db.transaction() as session:
        assert len(session.exec(select(AIUsage)).all()) == 1  # one provider call
    assert run_job(rt, job_id) is None  # a late duplicate message: nothing to do


def test_a_cancelled_queued_job_never_runs(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner)
    with rt.db.unit_of_work() as uow:
        cancelled = jobs.cancel_job(uow, owner, job_id)
    assert cancelled.status == JobStatus.CANCELLED and cancelled.finished_at is not None
    assert run_job(rt, job_id) is None
    assert job(rt, job_id).attempts == 0


def test_a_result_is_never_written_over_a_cancel(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner, jobs.RecipeInput(ingredients=["egg"]))
    thread, out = in_background(rt, job_id)
    wait_running(rt, job_id)
    with rt.db.unit_of_work() as uow:
        assert jobs.cancel_job(uow, owner, job_id).status == JobStatus.CANCELLED
    thread.join(timeout=20)
    assert out == [None]  # the outcome was dropped
    final = job(rt, job_id)
    assert final.status == JobStatus.CANCELLED and final.result is None
    with rt.db.transaction() as session:
        assert session.exec(select(Recipe)).all() == []  # kept only with a result
        assert len(session.exec(select(AIUsage)).all()) == 1  # the call still counts


def test_finished_jobs_cannot_be_cancelled(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner)
    assert run_job(rt, job_id) == JobStatus.SUCCEEDED
    with rt.db.unit_of_work() as uow, pytest.raises(jobs.JobNotCancellableError):
        jobs.cancel_job(uow, owner, job_id)


def test_roles_and_scope(japp: connexion.FlaskApp, rt: JobRuntime, owner: Principal) -> None:
    # The service checks ownership (the spec's x-roles keep readonly from starting or
    # cancelling jobs, tests/api/test_rbac_matrix.py): readonly reads every job, changes none.
    job_id = new_job(rt, owner)
    other = Principal(user=make_user(japp, "o@example.com"), method="bearer")
    reader = Principal(user=make_user(japp, "r@example.com", Role.READONLY), method="bearer")
    with rt.db.unit_of_work() as uow:
        with pytest.raises(NotFoundError):
            jobs.get_job(uow, other, job_id)
        with pytest.raises(NotFoundError):
            jobs.cancel_job(uow, other, job_id)
        assert jobs.get_job(uow, reader, job_id).id == job_id
        with pytest.raises(NotFoundError):
            jobs.cancel_job(uow, reader, job_id)
        assert jobs.get_job(uow, owner, job_id).status == JobStatus.QUEUED


def test_an_owner_who_lost_the_right_fails_the_job(
    japp: connexion.FlaskApp, rt: JobRuntime, owner: Principal
) -> None:
    job_id = new_job(rt, owner)
    with rt.db.transaction() as session:
        user = owner.user
        user.role = Role.READONLY
        session.add(user)
    assert run_job(rt, job_id) == JobStatus.FAILED
    assert job(rt, job_id).problem["code"] == "forbidden"  # type: ignore[index]


def test_the_heartbeat_keeps_a_long_job_from_being_reaped(rt: JobRuntime, owner: Principal) -> None:
    # A 0.6 s provider call outlives a 0.45 s lease: only the renewals (every 0.15 s) keep
    # the reaper from taking the job away.
    short = replace(rt, lease=timedelta(seconds=0.45))
    job_id = new_job(rt, owner)
    thread, out = in_background(short, job_id)
    wait_running(rt, job_id)
    sent = Sent()
    deadline = time.monotonic() + 10
    while thread.is_alive():
        reaped = reap_jobs(short, sent)
        assert reaped.requeued == [] and reaped.failed == []
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert out == [JobStatus.SUCCEEDED] and job(rt, job_id).attempts == 1


def test_the_reaper_retries_then_fails_a_job_whose_worker_died(
    rt: JobRuntime, owner: Principal
) -> None:
    rt = replace(rt, max_attempts=2)
    job_id = new_job(rt, owner)
    expired = utcnow() - timedelta(seconds=1)
    # Attempt 1 claimed by a worker that then died: its lease ran out.
    set_job(rt, job_id, status=JobStatus.RUNNING, attempts=1, lease_expires_at=expired)
    sent = Sent()
    reaped = reap_jobs(rt, sent)
    assert (reaped.requeued, reaped.failed, sent.ids) == ([job_id], [], [job_id])
    again = job(rt, job_id)
    assert again.status == JobStatus.QUEUED and again.lease_expires_at is None
    assert reap_jobs(rt, Sent()).requeued == []  # nothing more to do
    # Attempt 2 dies too: the last one.
    set_job(rt, job_id, status=JobStatus.RUNNING, attempts=2, lease_expires_at=expired)
    reaped = reap_jobs(rt, sent)
    assert reaped.failed == [job_id] and reaped.requeued == []
    failed = job(rt, job_id)
    assert failed.status == JobStatus.FAILED and failed.finished_at is not None
    # Stored as the domain error; rendered as a problem when read.
    assert failed.problem is not None and failed.problem["code"] == "job_worker_lost"
    problem = job_out(failed)["problem"]
    assert (problem["code"], problem["status"]) == ("job_worker_lost", 503)
    assert problem["request_id"] == ""  # created outside a request


def test_a_live_lease_is_left_alone(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner)
    later = utcnow() + timedelta(minutes=1)
    set_job(rt, job_id, status=JobStatus.RUNNING, attempts=1, lease_expires_at=later)
    assert reap_jobs(rt, Sent()) == Reaped(requeued=[], failed=[], resent=[])


def test_a_superseded_attempt_cannot_write(rt: JobRuntime, owner: Principal) -> None:
    job_id = new_job(rt, owner)
    thread, out = in_background(rt, job_id)
    wait_running(rt, job_id)
    # Meanwhile the reaper gave the job to another worker (attempt 2).
    set_job(rt, job_id, attempts=2)
    thread.join(timeout=20)
    assert out == [None]
    assert job(rt, job_id).status == JobStatus.RUNNING and job(rt, job_id).result is None


def test_lost_messages_are_resent(rt: JobRuntime, owner: Principal) -> None:
    old, fresh = new_job(rt, owner), new_job(rt, owner)
    set_job(rt, old, enqueued_at=utcnow() - rt.requeue_after - timedelta(seconds=1))
    sent = Sent()
    assert reap_jobs(rt, sent).resent == [old] and sent.ids == [old]
    assert reap_jobs(rt, Sent()).resent == []  # resent now: not again at once
    # At startup of an in-process queue every queued job is sent again.
    assert reap_jobs(rt, Sent(), requeue_after=timedelta(0)).resent == [old, fresh]


def test_a_failed_send_leaves_the_job_queued(rt: JobRuntime, owner: Principal) -> None:
    class Down:
        def enqueue(self, job_id: int) -> None:
            raise ConnectionError("broker down")

    with rt.db.unit_of_work() as uow:
        created = jobs.create_job(
            uow, owner, Down(), rt.gateway, work=jobs.RecipeInput(["egg"]), request={}
        )
    assert created.id is not None
    assert job(rt, created.id).status == JobStatus.QUEUED
