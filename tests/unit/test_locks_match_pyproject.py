"""Every pinned dependency of pyproject.toml is in the lock files with that version: a
textual merge of two lock files can silently drop a package (it happened), and `make
install` would then build an environment without it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for line in requirements:
        match = PIN.match(line)
        assert match, f"not pinned with ==: {line}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _locked(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = _pins(PROJECT["dependencies"])
DEV = _pins(PROJECT["optional-dependencies"]["dev"])


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [("requirements.lock", RUNTIME), ("requirements-dev.lock", {**RUNTIME, **DEV})],
)
def test_every_pin_is_locked(lock: str, wanted: dict[str, str]) -> None:
    locked = _locked(ROOT / lock)
    missing = {n: v for n, v in wanted.items() if locked.get(n) != v}
    assert missing == {}, f"{lock} lacks (or pins otherwise): {missing}; run make lock"
