"""The generated Python SDK (generated/clients/python), installed into a fresh virtual
environment as a client team would, runs the whole flow against the live server
(tests/e2e/sdk_flow.py): register, login, refresh, items with pagination and If-Match, a
published document, a completion with a response schema, a recipe, an async job polled to
completion, an API key, and problems read as typed errors by their `code`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sdk_clients import ROOT, Server, run

pytestmark = pytest.mark.e2e
PACKAGE = "spec_first_api_client"


def test_operations_are_named_after_the_operation_ids(sdk_python: Path) -> None:
    # One module per operation: the operationId in snake_case, under its tag.
    code = (
        f"from {PACKAGE}.api.items import create_item, list_items\n"
        f"from {PACKAGE}.api.auth import login\n"
        "print(create_item.sync.__module__, list_items.sync.__module__, login.sync.__module__)"
    )
    out = run([str(sdk_python), "-c", code], cwd="/").stdout.split()
    modules = ["items.create_item", "items.list_items", "auth.login"]
    assert out == [f"{PACKAGE}.api.{name}" for name in modules]


def test_the_installed_sdk_is_the_generated_one(sdk_python: Path) -> None:
    # Imported from the venv, not from the checkout.
    where = run([str(sdk_python), "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"], cwd="/")
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout


def test_full_flow(sdk_python: Path, api_server: Server) -> None:
    result = run([str(sdk_python), str(ROOT / "tests/e2e/sdk_flow.py"), api_server.api], cwd="/")
    for line in (
        "ok register",
        "ok login+refresh",
        "ok items paged [3, 2]",
        "ok item If-Match precondition_failed",
        "ok item deleted not_found",
        "ok document published",
        "ok completion TextSummary",
        "ok recipe",
        "ok job succeeded",
        "ok api key",
    ):
        assert line in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith("flow complete")
