"""The spec's `x-rate-limit` table: most specific level wins per tier, tag limits share one
bucket, `unlimited` exempts, overrides replace a level tier by tier, and anything malformed
stops startup with a message naming where it is."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from limits import parse

from app.contract.rate_limit_table import build_table
from app.contract.spec import load_spec
from app.settings import Settings


def _spec(**ops: dict[str, Any]) -> dict[str, Any]:
    """Root defaults, a tag `ai` with its own budget, and the given operations."""
    return {
        "x-rate-limit": {"anonymous": "10/minute", "user": "100/minute", "admin": "1000/minute"},
        "tags": [{"name": "ai", "x-rate-limit": {"user": "5/minute"}}, {"name": "items"}],
        "paths": {f"/{op_id}": {"get": {"operationId": op_id, **op}} for op_id, op in ops.items()},
    }


def _limits(table: Any, op: str) -> dict[str, tuple[str, str]]:
    tiers = table.by_operation.get(op, {})
    return {tier: (str(limit.item), limit.bucket) for tier, limit in tiers.items()}


def test_the_most_specific_declaration_wins_per_tier() -> None:
    table = build_table(
        _spec(
            listItems={"tags": ["items"]},
            ask={"tags": ["ai"]},
            askFast={"tags": ["ai"], "x-rate-limit": {"admin": "7/second"}},
        ),
        {},
    )
    assert _limits(table, "listItems") == {
        "anonymous": ("10 per 1 minute", "op:listItems"),
        "user": ("100 per 1 minute", "op:listItems"),
        "admin": ("1000 per 1 minute", "op:listItems"),
    }
    # The tag's limit is one bucket for the tag; the root's still counts per operation.
    assert _limits(table, "ask")["user"] == ("5 per 1 minute", "tag:ai")
    assert _limits(table, "ask")["admin"] == ("1000 per 1 minute", "op:ask")
    assert _limits(table, "askFast")["admin"] == ("7 per 1 second", "op:askFast")
    assert _limits(table, "askFast")["user"] == ("5 per 1 minute", "tag:ai")
    assert "readonly" not in _limits(table, "listItems")  # undeclared tier: not limited


def test_unlimited_exempts_an_operation_or_a_tier() -> None:
    table = build_table(
        _spec(
            probe={"tags": ["items"], "x-rate-limit": "unlimited"},
            mostly={"tags": ["items"], "x-rate-limit": {"admin": "unlimited"}},
        ),
        {},
    )
    assert table.limit_for("probe", "anonymous") is None
    assert "probe" not in table.by_operation
    assert table.limit_for("mostly", "admin") is None
    assert table.limit_for("mostly", "user") is not None


def test_overrides_replace_a_level_tier_by_tier() -> None:
    spec = _spec(listItems={"tags": ["items"]}, ask={"tags": ["ai"]})
    table = build_table(
        spec, {"*": {"user": "3/minute"}, "ai": {"user": "1/minute"}, "listItems": "unlimited"}
    )
    assert "listItems" not in table.by_operation
    assert _limits(table, "ask")["user"] == ("1 per 1 minute", "tag:ai")
    assert _limits(table, "ask")["anonymous"] == ("10 per 1 minute", "op:ask")  # kept
    table = build_table(spec, {"*": {"user": "3/minute"}})
    assert _limits(table, "listItems")["user"] == ("3 per 1 minute", "op:listItems")


def test_the_table_is_immutable() -> None:
    table = build_table(_spec(listItems={"tags": ["items"]}), {})
    with pytest.raises(TypeError):
        table.by_operation["x"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        table.by_operation["listItems"]["user"] = None  # type: ignore[index]


@pytest.mark.parametrize(
    ("spec_patch", "overrides", "message"),
    [
        ({"x-rate-limit": {"user": "often"}}, {}, "root: user: not a rate limit"),
        ({"x-rate-limit": {"user": "5/minute;10/hour"}}, {}, "root: user: not a rate limit"),
        ({"x-rate-limit": {"user": 5}}, {}, "root: user: not a rate limit"),
        ({"x-rate-limit": {"guest": "5/minute"}}, {}, "root: unknown x-rate-limit tier 'guest'"),
        ({"x-rate-limit": "sometimes"}, {}, "root: x-rate-limit must be 'unlimited' or a map"),
        ({"x-rate-limit": {}}, {}, "root: x-rate-limit must be 'unlimited' or a map"),
        ({}, {"nope": {"user": "1/minute"}}, "RATE_LIMIT_OVERRIDES: 'nope' is neither"),
        ({}, {"ai": {"users": "1/minute"}}, "RATE_LIMIT_OVERRIDES['ai']: unknown x-rate-limit"),
        ({}, {"*": {"user": "1 per fortnight"}}, "RATE_LIMIT_OVERRIDES['*']: user: not a rate"),
    ],
)
def test_malformed_declarations_are_refused(
    spec_patch: dict[str, Any], overrides: dict[str, Any], message: str
) -> None:
    spec = _spec(listItems={"tags": ["items"]}) | spec_patch
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        build_table(spec, overrides)


def test_an_operation_level_mistake_names_the_operation() -> None:
    spec = _spec(listItems={"tags": ["items"], "x-rate-limit": {"admin": "lots"}})
    with pytest.raises(ValueError, match=r"^GET /listItems: admin: not a rate limit"):
        build_table(spec, {})


def test_the_real_spec_declares_sensible_defaults() -> None:
    table = build_table(load_spec(), {})
    # Probes are never limited; model calls are much tighter than reads.
    assert "getHealth" not in table.by_operation
    assert "getLiveness" not in table.by_operation
    for op in ("createCompletion", "createCompletionStream", "createJob", "generateRecipe"):
        limit = table.limit_for(op, "user")
        assert limit is not None
        assert limit.item == parse("20/minute")
    read = table.limit_for("listItems", "user")
    assert read is not None
    assert read.item == parse("600/minute")
    # Anonymous credential calls share the `auth` tag's budget per address.
    for op in ("login", "register", "refresh"):
        limit = table.limit_for(op, "anonymous")
        assert limit is not None
        assert limit.bucket == "tag:auth"
    # Every other operation is limited for every tier that may call it.
    assert set(table.by_operation) == {
        op["operationId"]
        for item in load_spec()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    } - {"getHealth", "getLiveness"}


def test_overrides_and_storage_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    overrides = {"listItems": {"user": "1/minute"}, "health": "unlimited"}
    monkeypatch.setenv("RATE_LIMIT_OVERRIDES", json.dumps(overrides))
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.rate_limits.overrides == overrides
    assert settings.rate_limit_storage == "redis://cache:6379/0"  # REDIS_URL by default
    monkeypatch.setenv("RATE_LIMIT_STORAGE_URL", "memory://")
    assert Settings(_env_file=None).rate_limit_storage is None  # type: ignore[call-arg]
    monkeypatch.setenv("RATE_LIMIT_STORAGE_URL", "http://cache")
    with pytest.raises(ValueError, match="expected a URL starting with one of memory://"):
        Settings(_env_file=None)  # type: ignore[call-arg]
