"""Metrics under gunicorn with two uvicorn workers (prometheus_client's multiprocess mode):
after known traffic spread over both workers, a scrape answered by either worker reports
the exact totals summed over both; a worker that dies keeps its counts but leaves the live
gauges (the `child_exit` hook). Bounded: 127.0.0.1 only, at most 600 requests, the server
stopped by its PID (and a worker ended by its PID, once)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from tests.live_server import ROOT, free_port, server_env, wait_until_live
from tests.metrics_text import Samples, parse, value

pytestmark = pytest.mark.live
LIVE = "/api/v1/health/live"
UNKNOWN = "/api/v1/no-such-route"
POOL_SIZE = 3


@contextmanager
def gunicorn(env: dict[str, str], tmp: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`gunicorn -k uvicorn_worker.UvicornWorker --workers 2 'app.main:create_app()'` with
    the multiprocess hooks, on a free loopback port; stopped by PID afterwards."""
    conf = tmp / "gunicorn_conf.py"
    conf.write_text("from app.infra.metrics_gunicorn import child_exit, on_starting  # noqa\n")
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "-c", str(conf), "-k", "uvicorn_worker.UvicornWorker",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5",
        "app.main:create_app()",
    ]  # fmt: skip
    log_path = tmp / "gunicorn.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_live(proc, base, log_path, 60, "gunicorn")
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}{LIVE}", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def send(base: str, paths: list[str]) -> list[int]:
    """Every request at once, each on a connection of its own (so both workers accept)."""

    async def run() -> list[int]:
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            responses = await asyncio.gather(*(client.get(p) for p in paths))
        return [r.status_code for r in responses]

    return asyncio.run(run())


def scrape(base: str) -> Samples:
    response = httpx.get(f"{base}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    return parse(response.text)


def per_worker(directory: Path, name: str, **labels: str) -> dict[int, float]:
    """One counter's value in each worker's own file."""
    found: dict[int, float] = {}
    for path in directory.glob("counter_*.db"):
        pid = int(path.stem.split("_")[1])
        for metric in MultiProcessCollector.merge([str(path)], accumulate=True):
            for sample in metric.samples:
                if sample.name == name and sample.labels == labels:
                    found[pid] = sample.value
    return found


def test_two_workers_report_exact_totals(
    database_url: str, redis_url: str | None, make_settings: Any, tmp_path: Path
) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    # A file of an earlier run: the master's on_starting hook must clear it.
    (directory / "counter_1.db").write_bytes(b"stale")
    prefix = f"{make_settings().redis.key_prefix}-metrics-{uuid.uuid4().hex[:8]}"
    env = {
        **server_env(database_url, redis_url, prefix),
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DATABASE_POOL_SIZE": str(POOL_SIZE),
    }
    live = {"method": "GET", "operation": "getLiveness", "status": "200"}
    unknown = {"method": "GET", "operation": "unmatched", "status": "404"}
    with gunicorn(env, tmp_path) as (base, proc):
        assert not (directory / "counter_1.db").exists()
        start = value(scrape(base), "http_requests_total", **live)  # the readiness probes
        sent_live = sent_unknown = 0
        # Rounds until both workers have served some (the kernel picks who accepts).
        for _ in range(20):
            statuses = send(base, [LIVE] * 20 + [UNKNOWN] * 10)
            assert statuses == [200] * 20 + [404] * 10
            sent_live, sent_unknown = sent_live + 20, sent_unknown + 10
            shares = per_worker(directory, "http_requests_total", **live)
            if len(shares) == 2 and all(shares.values()):
                break
        assert len(shares) == 2 and all(shares.values()), shares

        # Whichever worker answers the scrape, the totals are both workers' sums.
        for _ in range(4):
            samples = scrape(base)
            assert value(samples, "http_requests_total", **live) == start + sent_live
            assert value(samples, "http_requests_total", **unknown) == sent_unknown
            assert (
                value(samples, "http_request_duration_seconds_count", operation="unmatched")
                == sent_unknown
            )
            assert value(samples, "http_requests_in_flight") == 0
            assert value(samples, "db_pool_size") == 2 * POOL_SIZE  # two live workers
        # Per worker, read again: a request is counted just after its response is sent,
        # so the files read in the loop above may not have had the last ones yet.
        shares = per_worker(directory, "http_requests_total", **live)
        assert sum(shares.values()) == start + sent_live

        # A worker dies: gunicorn starts another; its counts stay, its live gauges go.
        victim = min(shares)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            pids = {int(p.stem.rsplit("_", 1)[1]) for p in directory.glob("gauge_livesum_*.db")}
            if victim not in pids and len(pids) == 2:
                break
            assert time.monotonic() < deadline, f"no replacement worker: {pids}"
            time.sleep(0.2)
        while not _answers(base):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        samples = scrape(base)
        assert value(samples, "http_requests_total", **unknown) == sent_unknown
        assert value(samples, "db_pool_size") == 2 * POOL_SIZE
        assert proc.poll() is None
