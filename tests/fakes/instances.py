"""Instances of a JSON Schema as a provider that honours it may answer: the smallest one
(every value at its lower bound, optional properties left out) and, per bounded node, one
with that node at its upper bound. Only what a schema says counts: a string without
`minLength` may be empty, a number without `minimum` may be 0.

A schema path names a node: property names, `[]` for array items (a nullable `anyOf`
branch keeps its parent's path).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Path = tuple[str, ...]
UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems")
FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "email": "a@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "duration": "P1D",
    "uri": "https://example.com/",
}
_FILL = "aA0 x-_.!"


class UnsatisfiableError(ValueError):
    """The generator cannot build a value this node allows (a pattern it cannot meet)."""


def instance(schema: Any, high: Path | None = None, path: Path = (), *, nulls: bool = False) -> Any:
    """The smallest instance, except the node at `high` which takes its upper bounds;
    `nulls`: null wherever the schema allows it (else the first non-null choice)."""
    if not isinstance(schema, dict):
        return None
    up = high == path
    kinds = schema.get("type")
    branches = schema.get("anyOf", []) + schema.get("oneOf", [])
    if nulls and (
        (isinstance(kinds, list) and "null" in kinds)
        or any(b.get("type") == "null" for b in branches)
    ):
        return None
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][-1 if up else 0]
    for key in ("anyOf", "oneOf"):
        if key in schema:  # the first branch that is not null (a real value to check)
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return instance(branches[0], high, path, nulls=nulls)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props: dict[str, Any] = schema.get("properties", {})
        required = schema.get("required", [])
        return {
            name: instance(props[name], high, (*path, name), nulls=nulls)
            for name in props
            if name in required
        }
    if kind == "array":
        count = schema.get("minItems", 0)
        if up and "maxItems" in schema:
            count = schema["maxItems"]
        items = schema.get("items", {})
        return [instance(items, high, (*path, "[]"), nulls=nulls) for _ in range(count)]
    if kind == "string":
        return _string(schema, up)
    if kind in ("integer", "number"):
        return _number(schema, up, integer=kind == "integer")
    if kind == "boolean":
        return up
    return None


def _string(schema: dict[str, Any], up: bool) -> str:
    if "format" in schema and schema["format"] in FORMATS:
        return FORMATS[schema["format"]]
    length = schema.get("minLength", 0)
    if up and "maxLength" in schema:
        length = schema["maxLength"]
    pattern = schema.get("pattern")
    for char in _FILL:
        text = char * length
        if pattern is None or re.search(pattern, text):
            return text
    raise UnsatisfiableError(f"no string of length {length} matching {pattern!r}")


def _number(schema: dict[str, Any], up: bool, *, integer: bool) -> int | float:
    step = 1 if integer else 0.5
    low: float | None = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + step
    top: float | None = schema.get("maximum")
    if "exclusiveMaximum" in schema:
        top = schema["exclusiveMaximum"] - step
    if up and top is not None:
        value = top
    elif low is not None:
        value = low
    else:
        value = min(0, top) if top is not None else 0
    multiple = schema.get("multipleOf")
    if multiple:
        value = (value // multiple + (0 if value % multiple == 0 else 1)) * multiple
        if up and top is not None and value > top:
            value -= multiple
    return int(value) if integer else value


def bounded(schema: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every node (path, node) with an upper bound: one boundary instance each."""
    if not isinstance(schema, dict):
        return
    if any(k in schema for k in UPPER) or ("enum" in schema and len(schema["enum"]) > 1):
        yield path, schema
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            yield from bounded(branch, path)
    for name, prop in (schema.get("properties") or {}).items():
        yield from bounded(prop, (*path, name))
    if isinstance(schema.get("items"), dict):
        yield from bounded(schema["items"], (*path, "[]"))
