"""Celery tasks for async jobs. A task takes only the job id: the job (request, state,
attempts) is in the database, and `app.jobs.runner` and `app.jobs.reaper` do the work.

Services are built once per worker process (after a prefork child forks, never inherited
from the parent: the pid is checked), through the composition root like the API's.
"""

from __future__ import annotations

import os
import threading

import structlog

from app.container import Services
from app.contract.spec import load_spec
from app.idempotency import purge as maintenance
from app.infra.jobqueue import RUN_JOB_TASK
from app.jobs.reaper import reap_jobs
from app.jobs.runner import run_job as run
from app.tasks.celery_app import app, settings
from app.wiring import build_services

log = structlog.get_logger(__name__)

_lock = threading.Lock()
_built: tuple[int, Services] | None = None


def services() -> Services:
    """This process's services, built on first use."""
    global _built  # noqa: PLW0603 (one per process, like the API's)
    with _lock:
        if _built is None or _built[0] != os.getpid():
            _built = (os.getpid(), build_services(settings, load_spec()))
        return _built[1]


@app.task(name=RUN_JOB_TASK)
def run_job(job_id: int) -> str | None:
    """Run the job if it is still queued (a duplicate or late message is a no-op)."""
    status = run(services().job_runtime, job_id)
    log.info("job_ran", job_id=job_id, status=status)
    return status.value if status is not None else None


def reap() -> None:
    """One reaper pass (the worker's timer calls it; errors are logged, never raised),
    and a batch of expired rows purged."""
    try:
        svc = services()
        reap_jobs(svc.job_runtime, svc.jobs)
        maintenance.purge_expired(svc.db, max_batches=1)
    except Exception as exc:
        log.warning("job_reap_failed", error=type(exc).__name__)
