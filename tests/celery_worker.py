"""A Celery worker process (`celery -A app.tasks.celery_app worker`, the command `make worker`
runs) for tests, stopped by its PID afterwards whatever happened to it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.live_server import ROOT


@contextmanager
def worker(
    env: Mapping[str, str], log_path: Path, **extra: str
) -> Iterator[subprocess.Popen[bytes]]:
    """Threads pool, so killing its PID kills the running job too."""
    cmd = [
        sys.executable, "-m", "celery", "-A", "app.tasks.celery_app", "worker",
        "--pool=threads", "--concurrency=2", "--loglevel=INFO",
        "-n", f"jobs-test-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
