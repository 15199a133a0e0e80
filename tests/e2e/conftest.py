"""What the SDK and example tests share: one live server per module, and (once per session)
a fresh virtual environment with the generated Python SDK installed, and the TypeScript SDK,
examples and flow compiled by the pinned tsc.

The installs are what a client team does: `uv venv` + `uv pip install` of
generated/clients/python (its dependencies resolved by the index, held to this repo's locked
versions), and `npm ci` + `tsc`. Without node/npm the TypeScript tests skip (with `CI=true`
they fail).

Both are built once, not once per pytest-xdist worker and run: tests/build_cache.py keeps them
outside the checkout under a hash of their inputs (the generated SDK, the lock files, the
TypeScript sources, the interpreter), so any change to those builds them again."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.build_cache import built, digest
from tests.live_server import live_server, server_env
from tests.sdk_clients import ROOT, Server, node_tools, run

UV = Path(sys.executable).with_name("uv")
# What the examples need beside the SDK; versions come from requirements-dev.lock.
EXAMPLE_DEPS = ["requests", "httpx-sse"]


@pytest.fixture(scope="module")
def api_server(
    database_url: str, redis_url: str | None, make_settings: Any, tmp_path_factory: Any
) -> Iterator[Server]:
    """`python -m app` with the fake AI provider; jobs run in the server process (no worker)."""
    env = server_env(database_url, redis_url, make_settings().redis.key_prefix + "-sdk")
    env |= {
        "AI_PROVIDER": "fake",
        "JOBS_BACKEND": "inprocess",
        # Every example and flow registers an account from 127.0.0.1.
        "REGISTER_RATE_LIMIT_PER_CLIENT": "1000/hour",
    }
    with live_server(env, tmp_path_factory.mktemp("sdk") / "server.log") as origin:
        yield Server(origin)


@pytest.fixture(scope="session")
def sdk_python() -> Path:
    """The interpreter of a fresh venv holding the generated SDK, requests and httpx-sse."""
    lock = ROOT / "requirements-dev.lock"
    package = ROOT / "generated/clients/python"

    def build(folder: Path) -> None:
        # A copy: building the package must leave nothing in the checkout.
        source = shutil.copytree(package, folder / "python-sdk")
        venv = folder / "venv"
        run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)])
        install = [str(UV), "pip", "install", "--quiet", "--python", str(venv / "bin/python")]
        run([*install, "-c", str(lock), str(source), *EXAMPLE_DEPS], timeout=300)

    key = digest(ROOT, [package, lock, sys.executable, sys.version, *EXAMPLE_DEPS])
    return built("sdk-venv", key, build) / "venv/bin/python"


@pytest.fixture(scope="session")
def ts_build() -> Path:
    """tsconfig.json's files (SDK, examples, flow) type-checked and compiled to CommonJS."""
    tsc = node_tools() / ".bin/tsc"
    sources = [ROOT / "generated/clients/typescript", *sorted(ROOT.glob("docs/examples/**/*.ts"))]
    sources += sorted(ROOT.glob("tests/e2e/**/*.ts"))
    inputs = [ROOT / "tsconfig.json", ROOT / "package-lock.json", *sources]

    def build(folder: Path) -> None:
        run([str(tsc), "-p", "tsconfig.json", "--outDir", str(folder)], cwd=ROOT)

    return built("ts-build", digest(ROOT, inputs), build)
