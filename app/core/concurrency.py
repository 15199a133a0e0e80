"""Size of the thread pool that runs Flask inside the ASGI server.

Connexion 3.3 wraps Flask in `a2wsgi.WSGIMiddleware` with its default 10 threads and
offers no option for it, so slow (LLM) handlers would be capped at 10 in flight per
process. We replace the wrapper at the (private) attribute DESIGN.md documents;
`tests/unit/test_concurrency.py` pins this so a Connexion upgrade cannot silently undo it.
"""

from __future__ import annotations

import connexion
from a2wsgi import WSGIMiddleware


def set_wsgi_threads(app: connexion.FlaskApp, threads: int) -> None:
    """Run Flask on a pool of `threads` worker threads."""
    asgi_wrapper = app._middleware_app
    old = asgi_wrapper.asgi_app
    if not isinstance(old, WSGIMiddleware):
        msg = f"Unexpected Connexion internals: {type(old)!r}; re-check the pinned version"
        raise RuntimeError(msg)
    asgi_wrapper.asgi_app = WSGIMiddleware(app.app.wsgi_app, workers=threads)
    old.executor.shutdown(wait=False)


def wsgi_threads(app: connexion.FlaskApp) -> int:
    """The pool size in effect (for tests and diagnostics)."""
    wrapper = app._middleware_app.asgi_app
    workers: int = wrapper.executor._max_workers
    return workers
