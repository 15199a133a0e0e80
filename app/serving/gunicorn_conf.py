"""The gunicorn configuration file (`gunicorn --config python:app.serving.gunicorn_conf`).

gunicorn reads this module's globals; they come from the settings (environment and .env),
so invalid configuration stops the master once, with the settings' readable message,
before any worker forks.

Metrics: several workers must share a `PROMETHEUS_MULTIPROC_DIR`, and it has to be set
before prometheus_client is first imported (it picks its value store at import), so it is
set here (a directory per master unless given) before the hooks below import it; the
hooks empty it at startup and retire dead workers' gauges.
"""

from __future__ import annotations

import os
import tempfile

# Before anything imports prometheus_client (the name is prometheus_client's own); it
# must exist before the first metric is defined (the master defines them too, unused).
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"app-metrics-{os.getpid()}")
)
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from app.infra.metrics_gunicorn import child_exit, on_starting  # noqa: E402, F401
from app.serving.options import gunicorn_options  # noqa: E402
from app.settings import load_settings  # noqa: E402

globals().update(gunicorn_options(load_settings()))
