"""The `bench` marker is opt-in: its tests run only when `-m` names it (make test-bench),
so `make test` and `make test-fast` never start the benchmark harness."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "bench" in (config.option.markexpr or ""):
        return  # the expression decides (`-m bench`, `-m "not bench"`)
    deselected = [item for item in items if item.get_closest_marker("bench")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("bench")]
