"""The gunicorn configuration file (`gunicorn --config python:app.serving.gunicorn_conf`).

gunicorn reads this module's globals; they come from the settings (environment and .env),
so invalid configuration stops the master once, with the settings' readable message,
before any worker forks.

Metrics: several workers must share a `PROMETHEUS_MULTIPROC_DIR`, and it has to be set
before prometheus_client is first imported (it picks its value store at import), so it is
set here (a directory per master unless given) before the hooks below import it; the
hooks empty it at startup and retire dead workers' gauges, and `on_exit` (or, for a
master that never started serving, an atexit hook) removes the directory this file made
(never one it was given) when the master exits.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any

# Before anything imports prometheus_client (the name is prometheus_client's own); it
# must exist before the first metric is defined (the master defines them too, unused).
_OWN_METRICS_DIR = (
    None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    else os.path.join(tempfile.gettempdir(), f"app-metrics-{os.getpid()}")
)
_MASTER_PID = os.getpid()


def _remove_own_metrics_dir() -> None:
    # Workers are forked from the master and inherit atexit handlers: only the master
    # removes the directory its workers share.
    if _OWN_METRICS_DIR is not None and os.getpid() == _MASTER_PID:
        shutil.rmtree(_OWN_METRICS_DIR, ignore_errors=True)


if _OWN_METRICS_DIR is not None:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _OWN_METRICS_DIR
    # Also when the master stops before serving (invalid settings below, its port
    # taken): gunicorn calls `on_exit` only after it started.
    atexit.register(_remove_own_metrics_dir)
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from app.infra import metrics_gunicorn  # noqa: E402
from app.infra.metrics_gunicorn import child_exit  # noqa: E402, F401
from app.serving.options import gunicorn_options  # noqa: E402
from app.serving.ports import check_port  # noqa: E402
from app.settings import load_settings  # noqa: E402

globals().update(gunicorn_options(load_settings()))


def on_starting(server: Any) -> None:
    """Before gunicorn binds: a taken port is one line with the fix (gunicorn would retry
    five times, logging `[ERROR] Connection in use`); sockets handed over by systemd or a
    re-exec (USR2) are gunicorn's own."""
    if not (os.environ.get("LISTEN_FDS") or os.environ.get("GUNICORN_FD")):
        for address in server.cfg.address:
            if isinstance(address, tuple):
                check_port(
                    str(address[0]), int(address[1]), lambda other: f"PORT={other} make serve"
                )
    metrics_gunicorn.on_starting(server)


def on_exit(_server: Any) -> None:
    """The master is exiting: remove the metrics directory made above (one per master;
    they piled up in /tmp)."""
    _remove_own_metrics_dir()
