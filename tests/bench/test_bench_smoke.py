"""The benchmark harness in smoke mode produces its files, with every scenario measured.

Runs `python -m bench.run --smoke` (one round, ~2 s per scenario) against PostgreSQL and
Redis on 127.0.0.1 with wrk; no timing is asserted, only that each scenario completed
requests on each configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bench.configurations import CONFIGURATIONS
from bench.scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.bench


def _backend_args() -> list[str]:
    """The suite's PostgreSQL server and Redis (when configured), a database of its own."""
    args = ["--database", "bench_smoke", "--redis-key-prefix", "bench-smoke"]
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        url = make_url(os.environ["DATABASE_URL"])
        args += ["--pg-host", url.host or "127.0.0.1", "--pg-port", str(url.port or 5432)]
        args += ["--pg-user", url.username or "postgres"]
    if os.environ.get("REDIS_URL"):
        args += ["--redis-url", os.environ["REDIS_URL"]]
    return args


def _drop_smoke_database() -> None:
    """Start from no database, so seeding (registration, login, the CLI admin) runs in full
    every time: a kept database hid a seeding break once (registrations got throttled)."""
    base = make_url(os.environ.get("DATABASE_URL") or "postgresql+psycopg2://postgres@127.0.0.1")
    if not base.drivername.startswith("postgresql"):
        base = make_url("postgresql+psycopg2://postgres@127.0.0.1:5432")
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS bench_smoke WITH (FORCE)"))
    finally:
        engine.dispose()


def test_smoke_run_writes_json_and_markdown_for_every_scenario(tmp_path: Path) -> None:
    _drop_smoke_database()
    out = tmp_path / "results"
    argv = [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out), "--name", "smoke"]
    argv += ["--port-base", "18600", *_backend_args()]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
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
