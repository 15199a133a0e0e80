"""Unit tests touch no database, no Redis and no app: the suite refuses to collect one that
asks for those fixtures (move it to tests/<resource>/, tests/service or tests/api instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

SERVICE_FIXTURES = {
    "database_url",
    "settings",
    "make_settings",
    "app",
    "client",
    "admin",
    "member",
    "reader",
}
UNIT_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UNIT_DIR in Path(str(item.path)).parents:
            used = SERVICE_FIXTURES & set(getattr(item, "fixturenames", ()))
            if used:
                msg = f"{item.nodeid}: unit tests must not use {sorted(used)}"
                raise pytest.UsageError(msg)
