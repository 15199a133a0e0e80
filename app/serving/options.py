"""gunicorn's settings, derived from ours (read by `gunicorn_conf.py`).

Why each non-obvious one:
- `forwarded_allow_ips`: gunicorn (and so the uvicorn worker) trusts X-Forwarded-For from
  127.0.0.1 by default, which lets any local client choose its address and dodge per-client
  limits; only TRUSTED_PROXIES are trusted, as with `python -m app`.
- `preload_app` off: each worker builds its engine, Redis client and thread pools after the
  fork; pools created before a fork would be shared by every worker.
- `control_socket_disable`: gunicorn 27's control socket defaults to one path per user
  (`~/.gunicorn/gunicorn.ctl`), so two servers on one host would fight over it; nothing here
  uses `gunicornc`.
- `worker_tmp_dir` /dev/shm: the heartbeat file stays in memory (a container's /tmp may be
  a slow overlay, which makes workers look stuck).
- `accesslog` off: the app writes one `app.access` JSON line per request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.settings import Settings

WORKER_CLASS = "app.serving.worker.AppUvicornWorker"
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108  # gunicorn heartbeat files only


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """The gunicorn configuration for these settings (names as in gunicorn's docs)."""
    options: dict[str, Any] = {
        "worker_class": WORKER_CLASS,
        "workers": settings.serving.workers,
        "timeout": settings.serving.timeout_seconds,
        "graceful_timeout": settings.serving.graceful_timeout_seconds,
        "keepalive": settings.serving.keepalive_seconds,
        "forwarded_allow_ips": settings.serving.trusted_proxies,
        "preload_app": False,
        "control_socket_disable": True,
        "loglevel": settings.observability.log_level.lower(),
        "errorlog": "-",
        "accesslog": None,
        "proc_name": "spec-first-flask-llm-api",
    }
    if SHARED_MEMORY.is_dir():
        options["worker_tmp_dir"] = str(SHARED_MEMORY)
    return options
