"""The WSGI thread pool Flask runs on (checklist item 1)."""

from __future__ import annotations

import connexion
from a2wsgi import WSGIMiddleware

from app.http.connexion_compat.buffered_wsgi import BufferedWSGIMiddleware


def set_wsgi_threads(app: connexion.FlaskApp, threads: int) -> None:
    """Run Flask on a pool of `threads` worker threads (Connexion hard-codes 10), bridged
    with one hand-off per response (`buffered_wsgi`)."""
    asgi_wrapper = app._middleware_app
    old = asgi_wrapper.asgi_app
    if not isinstance(old, WSGIMiddleware):
        msg = f"Unexpected Connexion internals: {type(old)!r}; re-check the pinned version"
        raise RuntimeError(msg)
    asgi_wrapper.asgi_app = BufferedWSGIMiddleware(app.app.wsgi_app, workers=threads)
    old.executor.shutdown(wait=False)


def wsgi_threads(app: connexion.FlaskApp) -> int:
    """The pool size in effect (for tests and diagnostics)."""
    workers: int = app._middleware_app.asgi_app.executor._max_workers
    return workers
