"""Production serving: gunicorn managing uvicorn workers (`make serve`, the Docker image).

    gunicorn --config python:app.serving.gunicorn_conf --bind HOST:PORT 'app.main:create_app()'

gunicorn gives what a bare uvicorn lacks in production: a master that restarts dead or
stuck workers, graceful shutdown on SIGTERM, and signals for scaling. Every knob comes from
the settings (`GUNICORN_*`, `TRUSTED_PROXIES`, `LOG_LEVEL`); threads per process are
`WSGI_THREADS`, applied by `create_app` in each worker.

Part of the composition root, like `app.__main__`; nothing in `app` imports it.
May import: `app.http`, `app.infra`, `app.settings`.
"""
