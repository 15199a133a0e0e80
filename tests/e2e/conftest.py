"""What the SDK and example tests share: one live server per module, and (once per session)
a fresh virtual environment with the generated Python SDK installed, and the TypeScript SDK,
examples and flow compiled by the pinned tsc.

The installs are what a client team does: `uv venv` + `uv pip install` of
generated/clients/python (its dependencies resolved by the index, held to this repo's locked
versions), and `npm ci` + `tsc`. Without node/npm the TypeScript tests skip (with `CI=true`
they fail)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
def sdk_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh venv holding the generated SDK, requests and httpx-sse."""
    tmp = tmp_path_factory.mktemp("sdk-venv")
    # A copy: building the package must leave nothing in the checkout.
    package = shutil.copytree(ROOT / "generated/clients/python", tmp / "python-sdk")
    venv = tmp / "venv"
    run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)])
    python = venv / "bin/python"
    lock = ROOT / "requirements-dev.lock"
    install = [str(UV), "pip", "install", "--quiet", "--python", str(python), "-c", str(lock)]
    run([*install, str(package), *EXAMPLE_DEPS], timeout=300)
    return python


@pytest.fixture(scope="session")
def ts_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tsconfig.json's files (SDK, examples, flow) type-checked and compiled to CommonJS."""
    tsc = node_tools() / ".bin/tsc"
    out = tmp_path_factory.mktemp("ts-build")
    run([str(tsc), "-p", "tsconfig.json", "--outDir", str(out)], cwd=ROOT)
    return out
