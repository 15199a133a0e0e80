"""Read the `audit` log records captured by the `audit_log` fixture (tests/conftest.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The `audit` records rendered by the app's own formatter (the JSON lines it writes)."""
    formatter = logging.getLogger().handlers[0].formatter
    assert formatter is not None
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "audit"]
