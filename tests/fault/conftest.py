"""Fault and load tests: the real server on 127.0.0.1 with private PostgreSQL and Redis
instances stopped and restarted by PID. Heavy, so they run when CI=true (every CI run,
`.ci/run`) and are skipped elsewhere; each is bounded in time and request count."""

from __future__ import annotations

import pytest

from tests import services


@pytest.fixture(autouse=True)
def _ci_only() -> None:
    if not services.IN_CI:
        pytest.skip("fault and load tests run when CI=true (make test under .ci/run)")
