"""Concurrency limits derive from one setting, so no request waits on a smaller limit behind
a larger one; and logging drops below-level events before doing any work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog

from app.infra.db import make_engine
from app.infra.logging import configure_logging
from app.settings import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, Settings


def _settings(tmp_path: Path, **values: Any) -> Settings:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    return Settings(_env_file=None, database_url=url, **values)  # type: ignore[call-arg]


def test_the_pool_covers_the_wsgi_threads_up_to_a_cap(tmp_path: Path) -> None:
    settings = _settings(tmp_path, wsgi_threads=10, database_pool_size=8)
    assert settings.pool_overflow == 2
    engine = make_engine(settings)
    assert engine.pool.size() + engine.pool._max_overflow == 10  # type: ignore[attr-defined]
    engine.dispose()
    assert _settings(tmp_path, wsgi_threads=48, database_pool_size=8).pool_overflow == (
        DEFAULT_MAX_OVERFLOW
    )


def test_an_explicit_overflow_wins(tmp_path: Path) -> None:
    settings = _settings(tmp_path, wsgi_threads=64, database_pool_size=1, database_max_overflow=0)
    engine = make_engine(settings)
    assert (engine.pool.size(), engine.pool._max_overflow) == (1, 0)  # type: ignore[attr-defined]
    engine.dispose()


def test_by_default_connections_are_pooled_not_overflow(tmp_path: Path) -> None:
    # Pooled, not overflow: overflow connections are closed on return and reopened under
    # load (a reconnect per request at steady state).
    assert (_settings(tmp_path, wsgi_threads=16).pool_size, 16) == (16, 16)
    assert _settings(tmp_path, wsgi_threads=16).pool_overflow == 0


def test_the_default_pool_fits_a_stock_postgresql(tmp_path: Path) -> None:
    # `make serve` (2 processes) and `make worker` on PostgreSQL's default max_connections
    # (100, 3 reserved for superusers), with room for a migration and the CLI.
    settings = _settings(tmp_path)
    per_process = settings.pool_size + settings.pool_overflow
    assert (settings.pool_size, settings.pool_overflow) == (DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW)
    assert (settings.serving.workers + 1) * per_process + 3 <= 100 - 3


def test_a_pool_larger_than_the_threads_needs_no_overflow(tmp_path: Path) -> None:
    assert _settings(tmp_path, wsgi_threads=4, database_pool_size=10).pool_overflow == 0


def test_no_pre_ping_round_trip_per_checkout(tmp_path: Path) -> None:
    engine = make_engine(_settings(tmp_path))
    assert engine.pool._pre_ping is False  # type: ignore[attr-defined]
    assert 0 < engine.pool._recycle <= 3600  # type: ignore[attr-defined]
    engine.dispose()


def test_log_level_filtering_comes_before_every_processor() -> None:
    configure_logging("WARNING")
    processors = structlog.get_config()["processors"]
    assert processors[0] is structlog.stdlib.filter_by_level
    configure_logging("INFO")
