"""Markdown pieces for a reference rendered from the bundled spec: table cells, `$ref`
resolution, one-line schema summaries, JSON blocks, extensions, roles, heading anchors."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

KNOWN_EXTENSIONS = frozenset({"x-roles"})


def cell(text: Any) -> str:
    """One markdown table cell: a single line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow internal `$ref`s (the bundle has only `#/components/...` ones)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def schema_type(schema: Any) -> str:
    """A short, linked summary of a schema: `array of [Item](schemas.md#item)`."""
    name = ref_name(schema)
    if name:
        return f"[{name}](schemas.md#{name.lower()})"
    if not isinstance(schema, dict):
        return "any"
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            joiner = " and " if key == "allOf" else " or "
            return joiner.join(schema_type(s) for s in schema[key])
    kind = schema.get("type", "object" if "properties" in schema else "any")
    text = f"array of {schema_type(schema.get('items'))}" if kind == "array" else str(kind)
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += ": " + ", ".join(f"`{v}`" for v in schema["enum"])
    if schema.get("nullable"):
        text += ", nullable"
    return text


def json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def extensions(node: Mapping[str, Any]) -> str:
    """Extensions this renderer has no column for, shown as they are."""
    lines = [
        f"- `{key}`: `{json.dumps(value, ensure_ascii=False)}`\n"
        for key, value in node.items()
        if key.startswith("x-") and key not in KNOWN_EXTENSIONS
    ]
    return "".join(lines)


def roles(op: Mapping[str, Any]) -> str:
    if op.get("security") == []:
        return "public"
    return ", ".join(op.get("x-roles", [])) or "authenticated"


def anchor(method: str, path: str) -> str:
    """GitHub's anchor for a heading `METHOD /path`."""
    return re.sub(r"[^a-z0-9 _-]", "", f"{method} {path}".lower()).replace(" ", "-")
