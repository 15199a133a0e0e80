"""Gunicorn server hooks for Prometheus' multiprocess mode; a gunicorn config imports them:

    from app.infra.metrics_gunicorn import child_exit, on_starting  # noqa: F401

`on_starting` (the master, once) empties `PROMETHEUS_MULTIPROC_DIR`, so counters start
from zero and no file of an earlier run is summed in; `child_exit` retires a dead
worker's live gauges (its counters stay: they are part of the totals).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess

from app.infra.metrics import MULTIPROC_ENV


def on_starting(_server: Any) -> None:
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return
    directory = Path(path)
    if directory.exists():
        for entry in directory.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    directory.mkdir(parents=True, exist_ok=True)


def child_exit(_server: Any, worker: Any) -> None:
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
