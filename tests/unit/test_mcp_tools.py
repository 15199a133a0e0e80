"""MCP tools are derived from the spec: names, descriptions, self-contained input schemas."""

from __future__ import annotations

import json
from typing import Any

from app.contract.spec import base_path, load_spec, operations, role_table
from app.mcp.tools import BODY, build_tools

SPEC = load_spec()
TOOLS = {tool.name: tool for tool in build_tools(SPEC, role_table(SPEC))}


def test_every_marked_operation_is_a_tool_and_no_other() -> None:
    marked = {op["operationId"] for _, _, op in operations(SPEC) if op.get("x-mcp") is True}
    assert set(TOOLS) == marked
    assert {"createItem", "listDocuments", "generateRecipe", "createCompletion", "getJob"} <= marked
    assert "createCompletionStream" not in marked  # text/event-stream is not a tool result


def test_a_tool_is_its_operation() -> None:
    for method, path, op in operations(SPEC):
        tool = TOOLS.get(op["operationId"])
        if tool is None:
            continue
        assert tool.method == method.upper()
        assert tool.path == base_path(SPEC) + path
        assert tool.description.startswith(op["summary"])
        assert op["description"].strip() in tool.description
        assert tool.roles == frozenset(op["x-roles"])
        schema = tool.input_schema
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
        path_params = {p.name for p in tool.parameters if p.location == "path"}
        assert path_params <= set(schema.get("required", []))
        assert (BODY in schema["properties"]) == ("requestBody" in op)


def test_input_schemas_are_self_contained_json_schema() -> None:
    for tool in TOOLS.values():
        text = json.dumps(tool.input_schema)
        assert '"$ref"' not in text, tool.name
        assert '"nullable"' not in text, tool.name  # OpenAPI 3.0 only: became a null type
        assert "API-Version" not in tool.input_schema["properties"], tool.name


def test_headers_an_agent_needs_are_arguments() -> None:
    update = TOOLS["updateItem"].input_schema["properties"]
    assert "If-Match" in update
    create = TOOLS["createCompletion"].input_schema["properties"]
    assert "Idempotency-Key" in create
    assert "If-None-Match" not in TOOLS["getItem"].input_schema["properties"]


def test_nullable_fields_accept_null() -> None:
    body: dict[str, Any] = TOOLS["createItem"].input_schema["properties"][BODY]
    description = body["properties"]["description"]
    kinds = description.get("type")
    assert isinstance(kinds, list), description
    assert "null" in kinds


def test_recursive_references_stop() -> None:
    spec: dict[str, Any] = {
        "servers": [{"url": "/api"}],
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {"child": {"$ref": "#/components/schemas/Node"}},
                }
            }
        },
        "paths": {
            "/nodes": {
                "post": {
                    "operationId": "createNode",
                    "summary": "s",
                    "x-mcp": True,
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        }
                    },
                }
            }
        },
    }
    (tool,) = build_tools(spec, {})
    assert tool.path == "/api/nodes"
    assert '"$ref"' not in json.dumps(tool.input_schema)
