"""What the spec says about lists and URLs, so no Python signature repeats it.

A list operation declares its page, size, sort and order parameters (with defaults and the
sort enum) in the spec; Connexion fills the defaults in before the handler runs, and
`sort_fields` hands the sort enum to the service as its allow-list. `location` builds a
`Location` header from the spec's base path (`servers[0].url`), never a literal `/api/v1`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from app.contract.spec import base_path, load_spec, operations

PAGE_PARAMETERS = ("page", "size", "sort", "order")


def _operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for _, _, op in operations(spec):
        if op.get("operationId") == operation_id:
            return op
    msg = f"operationId {operation_id!r} is not in the spec"
    raise KeyError(msg)


def _resolved(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or what its local `$ref` (`#/components/...`) points at."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return _resolved(spec, target)


def query_parameter(spec: dict[str, Any], operation_id: str, name: str) -> dict[str, Any]:
    """The bundled definition of query parameter `name` of `operation_id`."""
    for node in _operation(spec, operation_id).get("parameters", []):
        parameter = _resolved(spec, node)
        if parameter.get("in") == "query" and parameter.get("name") == name:
            found: dict[str, Any] = parameter
            return found
    msg = f"{operation_id} has no query parameter {name!r}"
    raise KeyError(msg)


@cache
def sort_fields(operation_id: str) -> tuple[str, ...]:
    """The `sort` enum of a list operation: the only fields it may be sorted by."""
    schema = query_parameter(load_spec(), operation_id, "sort")["schema"]
    return tuple(schema["enum"])


@cache
def page_defaults(operation_id: str) -> dict[str, Any]:
    """`page`, `size`, `sort`, `order` defaults of a list operation, as the spec has them."""
    spec = load_spec()
    return {
        name: query_parameter(spec, operation_id, name)["schema"]["default"]
        for name in PAGE_PARAMETERS
    }


def location(path: str) -> str:
    """`path` (as written in the spec, e.g. `/items/7`) under the API's base path."""
    return f"{base_path(load_spec())}{path}"
