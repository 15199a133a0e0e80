"""`xdist_group` for pytest 9.2 (a pytest plugin; tests/conftest.py loads it).

pytest-xdist 3.8 tells its `--dist loadgroup` scheduler a test's group by appending `@<group>`
to the test's node id, writing `item._nodeid`; pytest 9.2 keeps node ids structured
(`item._id`) and no longer reads that field, so every group was silently spread over all
workers (pytest-xdist issue 1386): the fault tests ran beside each other, and a module sharing
one server and browser started them on each worker. This sets the suffix where pytest 9.2
reads it, as the fix proposed upstream (pytest-xdist PR 1388) does; a test already suffixed
(a fixed release) is left alone.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import NodeId


def group_of(item: pytest.Item) -> str | None:
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names)) if names else None


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own attempt and every marker is added
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):  # set on workers of `--dist loadgroup`
        return
    for item in items:
        group = group_of(item)
        if group is None or item.nodeid.endswith(f"@{group}"):
            continue
        item._id = NodeId.parse(f"{item.nodeid}@{group}")
