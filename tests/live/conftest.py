"""The live-server fixture: `python -m app` (tests/live_server.py, the one way a test starts the
real server) on the suite's database and Redis, with the test's settings on top."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import Live, Serve, live_server, server_env


@pytest.fixture
def serve(database_url: str, redis_url: str | None, make_settings: Any, tmp_path: Path) -> Serve:
    """`serve(**settings)`: a server whose Redis keys get a prefix of their own, stopped by its
    PID when the block ends."""

    @contextmanager
    def start(**settings: str) -> Iterator[Live]:
        prefix = f"{make_settings().redis.key_prefix}-live-{uuid.uuid4().hex[:8]}"
        env = {**server_env(database_url, redis_url, prefix), **settings}
        with live_server(env, tmp_path / f"server-{prefix}.log") as base:
            yield Live(base, env)

    return start
