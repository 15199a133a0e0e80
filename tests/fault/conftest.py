"""Fault and load tests: the real server on 127.0.0.1 with private PostgreSQL and Redis
instances stopped and restarted by PID. Heavy, so they run when CI=true (every CI run,
`.ci/run`) and are skipped elsewhere; each is bounded in time and request count."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import services

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skipped before any fixture runs (no database is made for a skipped test)."""
    if services.IN_CI:
        return
    skip = pytest.mark.skip(reason="fault and load tests run when CI=true (.ci/run)")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(skip)
