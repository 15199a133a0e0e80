"""The worker's Celery app: `celery -A app.tasks.celery_app worker` (`make worker`).

Configured from the environment like the API (`app.infra.jobqueue.make_celery`: broker
REDIS_URL, acks_late, reject on worker lost, prefetch 1, the broker's visibility timeout).
Each worker also runs the job reaper on its timer every `JOBS_REAP_INTERVAL_SECONDS`
(retries or fails jobs whose worker died, resends lost messages), so no beat process is
needed; several workers reaping at once is safe (every move is a conditional UPDATE).
"""

from __future__ import annotations

from typing import Any

import structlog
from celery import bootsteps
from celery.worker import WorkController

from app.infra import tracing
from app.infra.jobqueue import WORKER_NEEDS_REDIS, make_celery
from app.infra.logging import configure_logging
from app.settings import ConfigurationError, load_settings

log = structlog.get_logger(__name__)

_loaded = load_settings()
settings = _loaded.model_copy(
    update={"jobs": _loaded.jobs.model_copy(update={"backend": "celery"})}
)
if settings.redis.url is None:
    # Without a broker URL Celery would fall back to amqp://guest@localhost and happily use
    # whatever RabbitMQ runs there: refuse to start instead.
    raise ConfigurationError(WORKER_NEEDS_REDIS)
configure_logging(
    settings.observability.log_level, json_logs=settings.observability.log_json
)  # Celery's own lines too
# With OTEL_EXPORTER_OTLP_ENDPOINT set, a job's spans continue the trace of the request
# that queued it (the context travels in the task message's headers).
tracing.install()
app = make_celery(settings)
app.conf.include = ["app.tasks.jobs"]


class JobReaper(bootsteps.StartStopStep):
    """Runs `app.tasks.jobs.reap` on the worker's timer."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, parent: WorkController, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None

    def start(self, parent: WorkController) -> None:
        from app.tasks.jobs import reap  # noqa: PLC0415 (the task module imports this one)

        # A kombu/celery timer (celery-types types it as the Timer bootstep, wrongly).
        timer: Any = parent.timer
        self.tref = timer.call_repeatedly(settings.jobs.reap_interval_seconds, reap, priority=10)

    def stop(self, parent: WorkController) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


app.steps["worker"].add(JobReaper)
