"""The uvicorn worker gunicorn runs (`worker_class`), set up as `python -m app` sets uvicorn.

`uvicorn_worker.UvicornWorker` passes gunicorn's settings to uvicorn but leaves three
things as uvicorn's defaults; each would differ from `python -m app`:
- proxy headers are always on: with no TRUSTED_PROXIES they are turned off here;
- uvicorn's own access log is on (the app already logs each request): off;
- no graceful-shutdown bound: uvicorn would wait for open streams until gunicorn kills the
  worker at `graceful_timeout`, skipping the app's shutdown. Here uvicorn cancels what is
  still open a few seconds earlier (a cancelled stream closes its upstream and records its
  usage), then runs the app's lifespan shutdown (pools closed) before the deadline.

And one thing uvicorn has no notion of: `STREAM_END_MARGIN_S` before that cancellation,
the app is told (`ServerShutdown.begin`), so streams still open then end with an `error`
event `server_shutting_down` and close cleanly, rather than being cancelled by uvicorn
(which logs "Cancel N running task(s)" and a CancelledError traceback, and sends the
client neither `error` nor `done`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.arbiter import Arbiter
from uvicorn.config import Config
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

from app.http.stream_shutdown import SHUTDOWN_KEY, ServerShutdown

# Seconds of gunicorn's graceful timeout kept for the app's shutdown after draining.
LIFESPAN_SHUTDOWN_S = 3
# Streams still open this long before the drain ends are ended by the app itself.
STREAM_END_MARGIN_S = 1.0


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

    async def _serve(self) -> None:
        """uvicorn_worker's `_serve` (0.3), with a server that tells the app it is stopping."""
        self.config.app = self.wsgi
        shutdown: ServerShutdown | None = self.wsgi.app.extensions.get(SHUTDOWN_KEY)
        server = NotifyingServer(self.config, on_shutdown=shutdown.begin if shutdown else None)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)


class NotifyingServer(Server):
    """A uvicorn server that calls `on_shutdown` STREAM_END_MARGIN_S before it would cancel
    what is still running."""

    def __init__(self, config: Config, on_shutdown: Callable[[], None] | None) -> None:
        super().__init__(config=config)
        self.on_shutdown = on_shutdown

    async def shutdown(self, sockets: Any = None) -> None:
        drain = self.config.timeout_graceful_shutdown
        if self.on_shutdown is None or drain is None:
            await super().shutdown(sockets=sockets)
            return
        delay = max(0.0, drain - STREAM_END_MARGIN_S)
        notice = asyncio.get_running_loop().call_later(delay, self.on_shutdown)
        try:
            await super().shutdown(sockets=sockets)
        finally:
            notice.cancel()
