"""The uvicorn worker gunicorn runs (`worker_class`), set up as `python -m app` sets uvicorn.

`uvicorn_worker.UvicornWorker` passes gunicorn's settings to uvicorn but leaves three
things as uvicorn's defaults; each would differ from `python -m app`:
- proxy headers are always on: with no TRUSTED_PROXIES they are turned off here;
- uvicorn's own access log is on (the app already logs each request): off;
- no graceful-shutdown bound: uvicorn would wait for open streams until gunicorn kills the
  worker at `graceful_timeout`, skipping the app's shutdown. Here uvicorn cancels what is
  still open a few seconds earlier (a cancelled stream closes its upstream and records its
  usage), then runs the app's lifespan shutdown (pools closed) before the deadline.
"""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker

# Seconds of gunicorn's graceful timeout kept for the app's shutdown after draining.
LIFESPAN_SHUTDOWN_S = 3


def drain_seconds(graceful_timeout: float) -> int:
    """How long uvicorn lets requests in flight finish before cancelling them."""
    return max(1, int(graceful_timeout) - LIFESPAN_SHUTDOWN_S)


class AppUvicornWorker(UvicornWorker):  # type: ignore[misc]  # uvicorn_worker is untyped
    """A uvicorn worker trusting only TRUSTED_PROXIES and draining within the deadline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config.proxy_headers = bool(self.cfg.forwarded_allow_ips)
        self.config.access_log = False
        self.config.timeout_graceful_shutdown = drain_seconds(self.cfg.graceful_timeout)
