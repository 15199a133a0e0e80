"""Fault and load tests: the real server on 127.0.0.1 with private PostgreSQL and Redis
instances stopped and restarted by PID. Heavy, so they run when CI=true (every CI run,
`.ci/run`) and are skipped elsewhere; each is bounded in time and request count."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import services

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skipped before any fixture runs (no database is made for a skipped test). In CI they
    run one after another on one worker (`xdist_group`): each bounds its own load and
    timings, which another fault test beside it would blur."""
    skip = pytest.mark.skip(reason="fault and load tests run when CI=true (.ci/run)")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("fault") if services.IN_CI else skip)
