"""Rate limits for tests that are not about rate limits.

The suite's apps and live servers keep limiting on (every response still carries the
X-RateLimit-* headers and goes through the limiter), with budgets no test's traffic
reaches: every level of the spec that declares `x-rate-limit` gets this override. Tests
of the limits themselves pass their own small `rate_limit_overrides`.
"""

from __future__ import annotations

import json
from typing import Any

from app.contract.rate_limit_table import EXTENSION, ROOT_KEY, TIERS
from app.contract.spec import load_spec, operations

GENEROUS = "1000000/minute"


def generous_overrides(spec: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    spec = spec or load_spec()
    every_tier = dict.fromkeys(TIERS, GENEROUS)
    levels = [ROOT_KEY] if EXTENSION in spec else []
    levels += [tag["name"] for tag in spec.get("tags", []) if EXTENSION in tag]
    levels += [
        op["operationId"]
        for _, _, op in operations(spec)
        if op.get(EXTENSION) not in (None, "unlimited")
    ]
    return dict.fromkeys(levels, every_tier)


def generous_overrides_env() -> str:
    """RATE_LIMIT_OVERRIDES for a live server."""
    return json.dumps(generous_overrides())
