"""The rate-limit table: the spec's `x-rate-limit` declarations, read once at startup.

`x-rate-limit` maps a tier (`admin`, `user`, `readonly`: the caller's role; `anonymous`:
no credentials, keyed by client address) to a limit in the `limits` notation
(`60/minute`, `5/15 minutes`) or `unlimited`; the value `unlimited` alone exempts every
tier. It may sit on the root (defaults), on a tag, and on an operation; for each tier the
most specific declaration wins. The budget is counted where the limit was declared: an
operation's or the root's limit per operation (bucket `op:<operationId>`), a tag's limit
shared by every operation of that tag (bucket `tag:<name>`; an operation's first tag).

`RATE_LIMIT_OVERRIDES` (a JSON object keyed by operationId, tag name, or `*` for the
root) replaces the spec's declaration at that level, tier by tier, so operators change
limits without editing the contract. A malformed limit, an unknown tier or an unknown
key is a startup error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from limits import RateLimitItem, parse

from app.infra.rate_limiter import Limit, RateLimitTable

EXTENSION = "x-rate-limit"
UNLIMITED = "unlimited"
ANONYMOUS = "anonymous"
TIERS = ("admin", "user", "readonly", ANONYMOUS)
ROOT_KEY = "*"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# tier -> limit (None = unlimited) at one level of the spec
Declaration = dict[str, RateLimitItem | None]


def _declaration(where: str, value: Any) -> Declaration:
    """Parse one `x-rate-limit` value (or an override); ValueError names `where`."""
    if value == UNLIMITED:
        return dict.fromkeys(TIERS)
    if not isinstance(value, Mapping) or not value:
        msg = f"{where}: {EXTENSION} must be 'unlimited' or a map of tiers {list(TIERS)}"
        raise ValueError(msg)
    parsed: Declaration = {}
    for tier, limit in value.items():
        if tier not in TIERS:
            msg = f"{where}: unknown {EXTENSION} tier {tier!r} (expected one of {list(TIERS)})"
            raise ValueError(msg)
        if limit == UNLIMITED:
            parsed[tier] = None
            continue
        try:
            # One limit per tier: `limits` would silently keep only the first of a list.
            single = isinstance(limit, str) and not any(sep in limit for sep in ",;")
            parsed[tier] = parse(limit) if single else None
        except ValueError:
            parsed[tier] = None
        if parsed[tier] is None:
            msg = f"{where}: {tier}: not a rate limit like '60/minute' or 'unlimited': {limit!r}"
            raise ValueError(msg)
    return parsed


def _operations(spec: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", op


def build_table(spec: Mapping[str, Any], overrides: Mapping[str, Any]) -> RateLimitTable:
    """The table for `spec` with `overrides` applied; ValueError on any malformed entry."""
    operations = list(_operations(spec))
    op_ids = {op["operationId"] for _, op in operations}
    tag_names = {tag["name"] for tag in spec.get("tags", [])}
    for key in overrides:
        if key != ROOT_KEY and key not in op_ids and key not in tag_names:
            msg = f"RATE_LIMIT_OVERRIDES: {key!r} is neither an operationId, a tag nor '*'"
            raise ValueError(msg)

    def level(key: str, where: str, declared: Any) -> Declaration:
        merged = _declaration(where, declared) if declared is not None else {}
        if key in overrides:
            merged |= _declaration(f"RATE_LIMIT_OVERRIDES[{key!r}]", overrides[key])
        return merged

    root = level(ROOT_KEY, "root", spec.get(EXTENSION))
    tags = {
        tag["name"]: level(tag["name"], f"tag {tag['name']}", tag.get(EXTENSION))
        for tag in spec.get("tags", [])
    }
    table: dict[str, Mapping[str, Limit]] = {}
    for where, op in operations:
        op_id: str = op["operationId"]
        own = level(op_id, where, op.get(EXTENSION))
        first_tag = (op.get("tags") or [None])[0]
        tag = tags.get(first_tag, {}) if first_tag else {}
        tiers: dict[str, Limit] = {}
        for tier in TIERS:
            if tier in own:
                item, bucket = own[tier], f"op:{op_id}"
            elif tier in tag:
                item, bucket = tag[tier], f"tag:{first_tag}"
            else:
                item, bucket = root.get(tier), f"op:{op_id}"
            if item is not None:
                tiers[tier] = Limit(item, bucket)
        if tiers:
            table[op_id] = MappingProxyType(tiers)
    return RateLimitTable(MappingProxyType(table))
