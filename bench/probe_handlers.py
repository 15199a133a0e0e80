"""Handlers of the bench-only probe API (bench/probe_api.yaml)."""

from __future__ import annotations

import time
from typing import Any

import flask

SLOW_SECONDS = 0.5
CONCURRENCY_KEY = "BENCH_CONCURRENCY_PER_PROCESS"


def slow() -> dict[str, Any]:
    time.sleep(SLOW_SECONDS)
    return {"success": True, "message": "OK", "data": {"slept_ms": 500}, "warnings": []}


def info() -> dict[str, Any]:
    concurrency, source = flask.current_app.config[CONCURRENCY_KEY]
    return {"concurrency_per_process": concurrency, "source": source, "server": "uvicorn"}
