"""The contract itself: valid OpenAPI 3.0.3, complete, and in one-to-one step with the handlers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

import app.api
from app.core.spec import base_path, load_spec, operations

SPEC = load_spec()


def test_spec_is_valid_openapi_303() -> None:
    assert SPEC["openapi"] == "3.0.3"  # Connexion 3.3 does not support 3.1
    validate(SPEC)


def test_validator_catches_a_broken_spec() -> None:
    broken: dict[str, Any] = {**SPEC, "paths": {"/x": {"get": {"responses": "nope"}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_base_path_is_v1() -> None:
    assert base_path(SPEC) == "/api/v1"


def _handler_functions() -> set[str]:
    """Every public function defined in an app/api/<tag>.py module."""
    found = set()
    for info in pkgutil.iter_modules(app.api.__path__):
        module = importlib.import_module(f"app.api.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if obj.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_operation_id_resolves_to_a_handler() -> None:
    for method, path, op in operations(SPEC):
        module_name, _, func_name = op["operationId"].rpartition(".")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, func_name, None)), f"{method.upper()} {path}"
        tag = op["tags"][0]
        assert module_name == f"app.api.{tag}", f"{op['operationId']} is not in app/api/{tag}.py"


def test_every_handler_is_referenced_by_the_spec() -> None:
    referenced = {op["operationId"] for _, _, op in operations(SPEC)}
    assert _handler_functions() - referenced == set(), "handlers missing from the spec"
    assert referenced - _handler_functions() == set(), "operations without a handler"


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in operations(SPEC)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("method", "path", "op"), operations(SPEC), ids=lambda v: str(v)[:40])
def test_operations_are_documented(method: str, path: str, op: dict[str, Any]) -> None:
    assert op.get("summary"), "summary"
    assert op.get("description"), "description"
    assert op.get("tags"), "tags"
    assert "500" in op["responses"], "every operation documents 500"
    for status, response in op["responses"].items():
        if "$ref" in response:
            continue
        for media, content in response.get("content", {}).items():
            assert "example" in content or "examples" in content, f"{status} {media} example"


def test_every_schema_has_an_example() -> None:
    for name, schema in SPEC["components"]["schemas"].items():
        assert "example" in schema, name


def test_reusable_components_exist() -> None:
    comps = SPEC["components"]
    assert {"Problem", "Warning", "SuccessEnvelope", "Page", "PageMeta", "FieldError"} <= set(
        comps["schemas"]
    )
    assert {"Page", "Size", "Sort", "Order"} <= set(comps["parameters"])
    statuses = {
        "BadRequest",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "Conflict",
        "PayloadTooLarge",
        "UnsupportedMediaType",
        "UnprocessableEntity",
        "TooManyRequests",
        "InternalServerError",
        "ServiceUnavailable",
    }
    assert statuses <= set(comps["responses"])
    for name in statuses:
        assert "application/problem+json" in comps["responses"][name]["content"], name
    assert comps["securitySchemes"]["bearerAuth"]["bearerFormat"] == "JWT"
    problem = comps["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "request_id"} <= set(problem["required"])
    assert "errors" in problem["properties"]


def _walk(node: Any, path: tuple[str, ...] = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, str(key)), key, value
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, str(i)))


def test_no_prose_swallowed_by_yaml_flow_mappings() -> None:
    # `{ description: A, b. }` silently splits at the comma into a key "b." with value null.
    suspicious = [
        "/".join(path)
        for path, key, value in _walk(SPEC)
        if value is None and (" " in str(key) or str(key).endswith("."))
    ]
    assert suspicious == []


def test_no_format_email() -> None:
    # Validators disagree on `format: email`; the Email schema's pattern is the one rule.
    assert [p for p, key, value in _walk(SPEC) if key == "format" and value == "email"] == []
