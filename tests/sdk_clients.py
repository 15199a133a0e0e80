"""Helpers for the tests that drive the generated SDKs and docs/examples/ (tests/e2e/)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.build_cache import locked
from tests.services import IN_CI

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command (60 s at most); on failure show its output in the assertion."""
    kwargs.setdefault("timeout", 60)
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{cmd} -> {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@dataclass(frozen=True)
class Server:
    """A live server: its origin and its API base URL (what the SDKs take as base URL)."""

    origin: str

    @property
    def api(self) -> str:
        return f"{self.origin}/api/v1"


def node_env(**extra: str) -> dict[str, str]:
    """Compiled files live outside the checkout: resolve packages from its node_modules."""
    return {**os.environ, "NODE_PATH": str(ROOT / "node_modules"), **extra}


def node_tools() -> Path:
    """node_modules/ with the pinned Node tools (`npm ci` if missing, as `make node-install`,
    whose stamp it leaves too: a `make` target then does not run `npm ci` again).

    One worker installs while the others wait (a lock per checkout): two `npm ci` at once in
    one folder would remove each other's files. Without node and npm the caller skips; with
    `CI=true` it fails."""
    if not (shutil.which("node") and shutil.which("npm")):
        if IN_CI:
            pytest.fail("node and npm are needed for the TypeScript SDK")
        pytest.skip("install Node.js (>= 20.19) and npm for the TypeScript SDK")
    modules = ROOT / "node_modules"
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    with locked(f"npm-ci-{checkout}"):
        if not (modules / ".bin/tsc").exists():
            npm_ci = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
            run(npm_ci, cwd=ROOT, timeout=300, env={**os.environ, "SCARF_ANALYTICS": "false"})
            (modules / ".installed").touch()  # make's NODE_STAMP
    return modules
