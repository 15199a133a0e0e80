"""MCP tools derived from the spec: one per operation marked `x-mcp: true`.

The allow-list lives in the spec, next to each operation, so a new operation is never
exposed to agents by accident, and admin or credential operations are never marked (a
test says so). A tool's name is the operationId, its description the operation's summary
and description, and its input schema the operation's parameters and body, with every
`$ref` inlined (MCP clients expect self-contained schemas). Headers the transport owns
(`API-Version`, `If-None-Match`) are left out; `If-Match` and `Idempotency-Key` are
arguments like any other, so optimistic concurrency and safe retries work for agents too.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.contract.spec import base_path, operations

EXTENSION = "x-mcp"
BODY = "body"
# Request headers an agent never sets: the transport's, or meaningless without a cache.
SKIPPED_HEADERS = frozenset({"api-version", "if-none-match", "x-request-id"})
MAX_REF_DEPTH = 12  # recursive schemas stop here (as "any value")


@dataclass(frozen=True)
class Parameter:
    name: str  # the tool argument's name (the spec parameter's name)
    location: str  # path | query | header
    required: bool


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what `tools/list` shows, and how a call becomes the HTTP request."""

    name: str
    description: str
    input_schema: dict[str, Any]
    method: str
    path: str  # with the spec's base path, e.g. /api/v1/items/{item_id}
    parameters: tuple[Parameter, ...]
    has_body: bool
    roles: frozenset[str]  # the operation's x-roles


def _resolve(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """`node` as plain JSON Schema: every local `$ref` replaced by a copy of its target,
    OpenAPI's `nullable` as a `null` type, and examples dropped (tool lists stay small)."""
    if isinstance(node, list):
        return [_resolve(spec, item, depth) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        if depth >= MAX_REF_DEPTH:
            return {}
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
        return _resolve(spec, merged, depth + 1)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("example", "examples", "nullable"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _resolve(spec, sub, depth) for name, sub in value.items()}
        else:
            out[key] = _resolve(spec, value, depth)
    return _nullable(out) if node.get("nullable") is True else out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's `nullable: true` in JSON Schema: `null` among the types (and values)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif "type" not in schema and ("anyOf" in schema or "oneOf" in schema):
        key = "anyOf" if "anyOf" in schema else "oneOf"
        schema[key] = [*schema[key], {"type": "null"}]
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _parameters(
    spec: Mapping[str, Any], path_item: Mapping[str, Any], op: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The operation's parameters after the path item's, an operation's winning a tie."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        merged[(param["name"].lower(), param["in"])] = param
    return list(merged.values())


def build_tools(spec: Mapping[str, Any], roles: Mapping[str, frozenset[Any]]) -> list[ToolSpec]:
    """Every `x-mcp: true` operation as a tool, in the spec's order."""
    prefix = base_path(dict(spec))
    tools: list[ToolSpec] = []
    for method, path, op in operations(dict(spec)):
        if op.get(EXTENSION) is not True:
            continue
        properties: dict[str, Any] = {}
        required: list[str] = []
        params: list[Parameter] = []
        for param in _parameters(spec, spec["paths"][path], op):
            if param["in"] == "header" and param["name"].lower() in SKIPPED_HEADERS:
                continue
            schema = dict(param.get("schema", {}))
            if param.get("description"):
                schema["description"] = param["description"].strip()
            properties[param["name"]] = schema
            is_required = bool(param.get("required"))
            if is_required:
                required.append(param["name"])
            params.append(Parameter(param["name"], param["in"], is_required))
        body = op.get("requestBody")
        if body is not None:
            content = _resolve(spec, body).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            properties[BODY] = schema
            if body.get("required"):
                required.append(BODY)
        input_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            input_schema["required"] = required
        input_schema["additionalProperties"] = False
        summary = str(op.get("summary", "")).strip()
        details = str(op.get("description", "")).strip()
        tools.append(
            ToolSpec(
                name=op["operationId"],
                description=f"{summary}\n\n{details}".strip(),
                input_schema=input_schema,
                method=method.upper(),
                path=prefix + path,
                parameters=tuple(params),
                has_body=body is not None,
                roles=frozenset(str(r) for r in roles.get(op["operationId"], frozenset())),
            )
        )
    return tools
