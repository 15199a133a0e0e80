# syntax=docker/dockerfile:1
# The API image: gunicorn + uvicorn workers (the command `make serve` runs), as a non-root
# user. Build: docker build -t spec-first-flask-llm-api . ; compose.yaml runs it as the
# api, the Celery worker and the one-shot migration.
ARG PYTHON_VERSION=3.11

# --- build: the locked dependencies into a virtualenv, with uv (as `make install` does) ---
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ARG UV_VERSION=0.13.8
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m pip install "uv==${UV_VERSION}"
COPY requirements.lock /tmp/requirements.lock
# The lock has a hash for every package: sync refuses anything else.
RUN python -m venv /opt/venv \
    && uv pip sync --no-cache --compile-bytecode --python /opt/venv/bin/python /tmp/requirements.lock

# --- runtime: the virtualenv and the code, nothing else (no uv, no compilers) ---
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Code owned by root: the process cannot rewrite it. var/ is the embedded SQLite's home
# (unused with DATABASE_URL set, as in compose.yaml).
COPY alembic.ini .flaskenv ./
COPY app/ app/
COPY generated/ generated/
COPY migrations/ migrations/
COPY openapi/ openapi/
RUN mkdir -p var && chown app:app var
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENV=production
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/live', timeout=4).status != 200)"]
CMD ["gunicorn", "--config", "python:app.serving.gunicorn_conf", "--bind", "0.0.0.0:8000", "app.main:create_app()"]
