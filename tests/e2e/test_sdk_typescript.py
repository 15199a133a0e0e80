"""The generated TypeScript SDK (generated/clients/typescript, @hey-api/openapi-ts with the
fetch client): `tsc --noEmit` is clean on it and on everything that uses it, and a Node
script (tests/e2e/sdk_flow.ts) runs the whole client flow against the live server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sdk_clients import Server, node_env, run

pytestmark = pytest.mark.e2e


def test_tsc_is_clean(ts_build: Path) -> None:
    # ts_build compiled tsconfig.json (`strict`) and tsc exits non-zero on any type error
    # even when it emits, so a clean build is `make typecheck`'s `tsc --noEmit` passing.
    assert (ts_build / "generated/clients/typescript/sdk.gen.js").is_file()
    assert (ts_build / "tests/e2e/sdk_flow.js").is_file()


def test_functions_are_named_after_the_operation_ids(ts_build: Path) -> None:
    sdk = ts_build / "generated/clients/typescript/index.js"
    code = f"const sdk = require({str(sdk)!r}); console.log(['createItem','listItems','login']"
    code += ".map((name) => typeof sdk[name]).join(' '))"
    assert run(["node", "-e", code], env=node_env()).stdout.split() == ["function"] * 3


def test_full_flow(ts_build: Path, api_server: Server) -> None:
    script = ts_build / "tests/e2e/sdk_flow.js"
    result = run(["node", str(script), api_server.api], env=node_env(), cwd=ts_build)
    assert "ok item If-Match precondition_failed" in result.stdout
    assert "ok item deleted not_found" in result.stdout
    for line in (
        "ok register",
        "ok login+refresh",
        "ok items paged 3,2",
        "ok document published",
        "ok completion TextSummary",
        "ok recipe",
        "ok job succeeded",
        "ok api key",
    ):
        assert line in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith("flow complete")
