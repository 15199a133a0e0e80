"""Where job ids go to be run: a Celery queue on the Redis broker (production, a worker
started by `make worker`), or a bounded thread pool in this process (the embedded default:
no broker, no second process). Both take only an id; the job itself lives in the database.

The Celery configuration is here, not in `app.tasks`, so the API process can send tasks
(by name) without importing the worker's task modules.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import structlog
from celery import Celery

from app.settings import ConfigurationError, Settings

log = structlog.get_logger(__name__)

RUN_JOB_TASK = "jobs.run"
CELERY_BROKER_ENV = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")
WORKER_NEEDS_REDIS = (
    "The jobs worker needs REDIS_URL (its broker), e.g. "
    "REDIS_URL=redis://127.0.0.1:6379/0 make worker"
)


def make_celery(settings: Settings) -> Celery:
    """A Celery app on REDIS_URL, configured for jobs that must not be lost:

    - `task_acks_late`: a message is acknowledged after its job ran, not when received, so
      a worker that dies mid-job leaves it unacknowledged (redelivered after the broker's
      `visibility_timeout`); `task_reject_on_worker_lost` requeues it at once when a
      prefork child dies; `worker_prefetch_multiplier=1`: a worker holds no more jobs than
      it runs, so a dead one strands at most those.
    - every Redis key under `REDIS_KEY_PREFIX:celery:` (kombu's `global_keyprefix`), like
      every other key the app writes; no result backend (job state is in the database).

    Only the broker the settings name: with no REDIS_URL this raises instead of letting
    Celery fall back to its default (amqp://guest@localhost, any RabbitMQ running there).
    """
    if settings.redis.url is None:
        raise ValueError(WORKER_NEEDS_REDIS)
    # Celery reads these before the broker it is given (`Settings.broker_url` and friends).
    overriding = [name for name in CELERY_BROKER_ENV if os.environ.get(name)]
    if overriding:
        raise ConfigurationError(
            f"{overriding[0]} is set, and Celery would use it instead of REDIS_URL as the "
            "jobs broker: unset it (the broker is REDIS_URL)"
        )
    app = Celery("app", set_as_current=False, broker=settings.redis.url)
    app.conf.update(
        broker_url=settings.redis.url,
        broker_transport_options={
            "visibility_timeout": settings.jobs.visibility_timeout_seconds,
            "global_keyprefix": f"{settings.redis.key_prefix}:celery:",
            "socket_timeout": settings.redis.timeout_seconds,
            "socket_connect_timeout": settings.redis.timeout_seconds,
        },
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=settings.redis.timeout_seconds,
        task_default_queue=settings.jobs.queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=settings.jobs.concurrency,
        worker_hijack_root_logger=False,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        # Sending happens inside a request: fail fast, the reaper resends what was lost.
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
    )
    return app


class CeleryJobQueue:
    """Sends job ids to the Celery queue by task name."""

    def __init__(self, app: Celery, queue: str) -> None:
        self.app = app
        self.queue = queue

    def enqueue(self, job_id: int) -> None:
        self.app.send_task(RUN_JOB_TASK, args=[job_id], queue=self.queue)

    def start(self) -> None:
        """Nothing to start here: workers run jobs and the reaper."""

    def close(self) -> None:
        self.app.close()


class InProcessJobQueue:
    """Runs jobs on a small bounded thread pool in this process, and the reaper on a timer
    thread. Both start on first use (a request that enqueues) or at server startup
    (`start`), never in processes that only import the app (the CLI).

    The pool's backlog lives in memory: jobs queued when the process stops stay `queued` in
    the database, and the reaper's first pass after the next start sends them again.
    """

    def __init__(self, *, workers: int, reap_interval_seconds: float) -> None:
        self._workers = workers
        self._interval = reap_interval_seconds
        self._run: Callable[[int], object] | None = None
        self._reap: Callable[[bool], object] | None = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._timer: threading.Thread | None = None
        self._stop = threading.Event()

    def bind(self, *, run: Callable[[int], object], reap: Callable[[bool], object]) -> None:
        """What running a job and a reaper pass (`True`: the first since startup) do; bound
        after construction because both need the services this queue is part of."""
        self._run, self._reap = run, reap

    def start(self) -> None:
        """Start the reaper (its first pass resends every queued job) if not yet started."""
        if self._run is None or self._reap is None:
            msg = "bind() the job queue before starting it"
            raise RuntimeError(msg)
        with self._lock:
            if self._pool is None and not self._stop.is_set():
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="ai-job")
                self._timer = threading.Thread(
                    target=self._reap_forever, name="ai-job-reaper", daemon=True
                )
                self._timer.start()

    def enqueue(self, job_id: int) -> None:
        self.start()
        with self._lock:
            if self._pool is None:
                msg = "the job queue is closed"
                raise RuntimeError(msg)
            self._pool.submit(self._run_one, job_id)

    def _run_one(self, job_id: int) -> None:
        assert self._run is not None
        try:
            self._run(job_id)
        except Exception as exc:  # the job stays running; its lease expires; it is retried
            log.error("job_run_failed", job_id=job_id, exc_info=exc)

    def _reap_forever(self) -> None:
        assert self._reap is not None
        startup = True
        while not self._stop.is_set():
            try:
                self._reap(startup)
            except Exception as exc:  # a database blip: the next pass tries again
                log.warning("job_reap_failed", error=type(exc).__name__)
            startup = False
            self._stop.wait(self._interval)

    def close(self) -> None:
        """Stop the reaper, drop jobs not yet started (still `queued` in the database) and
        wait for the running ones."""
        self._stop.set()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._timer is not None:
            self._timer.join(timeout=5)


JobQueueClient = CeleryJobQueue | InProcessJobQueue
