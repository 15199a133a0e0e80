"""The benchmark harness in smoke mode produces its files, with every scenario measured.

Runs `python -m bench.run --smoke` (one round, ~2 s per scenario) against PostgreSQL and
Redis on 127.0.0.1 with wrk; no timing is asserted, only that each scenario completed
requests on each configuration.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, create_engine, make_url, text

from bench.configurations import CONFIGURATIONS
from bench.scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.bench


# A database and a Redis key prefix of this run's own, dropped afterwards (concurrent runs
# never meet, and nothing is left behind).
RUN = uuid.uuid4().hex[:8]
DATABASE = f"bench_smoke_{RUN}"
KEY_PREFIX = f"bench-smoke-{RUN}"


def _backend_args() -> list[str]:
    """The suite's PostgreSQL server and Redis (when configured), a database of its own."""
    args = ["--database", DATABASE, "--redis-key-prefix", KEY_PREFIX]
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        url = make_url(os.environ["DATABASE_URL"])
        args += ["--pg-host", url.host or "127.0.0.1", "--pg-port", str(url.port or 5432)]
        args += ["--pg-user", url.username or "postgres"]
    if os.environ.get("REDIS_URL"):
        args += ["--redis-url", os.environ["REDIS_URL"]]
    return args


def _server_engine() -> Engine:
    base = make_url(os.environ.get("DATABASE_URL") or "postgresql+psycopg2://postgres@127.0.0.1")
    if not base.drivername.startswith("postgresql"):
        base = make_url("postgresql+psycopg2://postgres@127.0.0.1:5432")
    return create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _smoke_database_exists() -> bool:
    engine = _server_engine()
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
            )
            return found.first() is not None
    finally:
        engine.dispose()


def _redis() -> redis.Redis:
    return redis.Redis.from_url(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")


def _clean_up() -> None:
    """Drop this run's database (connections and all) and delete its Redis keys."""
    engine = _server_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    finally:
        engine.dispose()
    client = _redis()
    try:
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _free_port_base(count: int) -> int:
    """A base whose next `count` loopback ports are free now (the harness's servers use
    base+1..base+count), so two runs, or anything else listening, never collide."""
    for _ in range(200):
        base = random.randrange(20000, 60000)
        try:
            with ExitStack() as held:
                for port in range(base + 1, base + count + 1):
                    held.enter_context(socket.create_server(("127.0.0.1", port)))
        except OSError:
            continue
        return base
    raise RuntimeError("no free range of loopback ports")


def test_smoke_run_writes_json_and_markdown_for_every_scenario(tmp_path: Path) -> None:
    # From no database, so seeding (registration, login, the CLI admin) runs in full every
    # time: a kept database hid a seeding break once (registrations got throttled).
    assert not _smoke_database_exists()
    out = tmp_path / "results"
    argv = [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out), "--name", "smoke"]
    top = max(c.port_offset for c in CONFIGURATIONS)
    argv += ["--port-base", str(_free_port_base(top)), *_backend_args()]
    try:
        done = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
        )
    finally:
        _clean_up()
    assert not _smoke_database_exists()
    client = _redis()
    try:
        assert next(client.scan_iter(match=f"{KEY_PREFIX}*"), None) is None
    finally:
        client.close()
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    results = json.loads((out / "smoke.json").read_text())
    markdown = (out / "smoke.md").read_text()
    assert (out / "LATEST.md").read_text() == markdown
    for fact in ("nproc", "python", "git_commit"):
        assert results["machine"][fact]

    measured = {(r["configuration"], r["scenario"]): r for r in results["runs"]}
    for config in CONFIGURATIONS:
        for scenario in SCENARIOS:
            if config.is_baseline and (
                not scenario.baselines or config.kind not in scenario.baseline_kinds
            ):
                continue
            run = measured[(config.name, scenario.name)]
            assert run["rps"] > 0, (config.name, scenario.name)
            assert run["requests"] > 0
            if scenario.slow_seconds is None:
                # Every response had the expected status (wrong ones count as errors).
                assert run["errors"] == 0, (config.name, scenario.name, run)
        stats = results["summary"]["configurations"][config.name]
        assert stats["cold_start_s_median"] > 0
        assert stats["rss_worker_mb_max"] > 0
    for scenario in SCENARIOS:
        assert scenario.title in markdown
    assert results["summary"]["targets"]
    assert "## Targets" in markdown
    # Traced servers exported to the harness's OTLP sink; the report pairs them off and on.
    exported = [s["otlp_export"] for s in results["spawns"] if "otlp_export" in s]
    assert exported and all(e["requests"] > 0 and e["bytes"] > 0 for e in exported)
    assert "## Tracing: off and on" in markdown
