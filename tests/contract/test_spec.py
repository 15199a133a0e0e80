"""The contract itself (as bundled from openapi/): valid OpenAPI 3.0.3, complete, every
component used, and in one-to-one step with the handlers."""

from __future__ import annotations

import copy
import importlib
import importlib.util
import inspect
import pkgutil
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from connexion.exceptions import ResolverError
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    oas30_format_checker,
)
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

import app
from app.contract import routing
from app.contract.spec import HTTP_METHODS, base_path, load_spec, operations

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
    """Every public function defined in an app/<package>/handlers.py module."""
    found = set()
    for info in pkgutil.iter_modules(app.__path__):
        if not info.ispkg or importlib.util.find_spec(f"app.{info.name}.handlers") is None:
            continue
        module = importlib.import_module(f"app.{info.name}.handlers")
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if obj.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{module.__name__}.{name}")
    return found


@pytest.mark.parametrize(("method", "path", "op"), operations(SPEC), ids=lambda v: str(v)[:40])
def test_operation_ids_are_short_lower_camel_case(
    method: str, path: str, op: dict[str, Any]
) -> None:
    # What SDK generators name their functions: `listApiKeys`, never a dotted module path.
    operation_id = op["operationId"]
    assert routing.OPERATION_ID.match(operation_id), operation_id
    assert len(operation_id) <= 32, operation_id
    assert routing.camel_case(routing.snake_case(operation_id)) == operation_id


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in operations(SPEC)]
    assert len(ids) == len(set(ids))


def test_every_operation_id_resolves_to_a_handler_of_its_first_tag() -> None:
    # One hop: tags[0] names app/<tag>/handlers.py, the operationId in snake_case the function.
    for method, path, op in operations(SPEC):
        module_name, _, func_name = routing.handler_name(op).rpartition(".")
        assert module_name == f"app.{op['tags'][0]}.handlers"
        module = importlib.import_module(module_name)
        assert callable(getattr(module, func_name, None)), f"{method.upper()} {path}: {func_name}"


def test_the_resolver_routes_every_operation_by_the_convention() -> None:
    # The resolver Connexion uses agrees with the rule the tests check.
    resolver = routing.TagResolver(SPEC)
    for _, _, op in operations(SPEC):
        function = resolver.resolve_function_from_operation_id(op["operationId"])
        assert f"{function.__module__}.{function.__name__}" == routing.handler_name(op)


def test_resolver_refuses_ids_outside_the_convention() -> None:
    def spec_with(op: dict[str, Any]) -> dict[str, Any]:
        return {"paths": {"/x": {"get": op}}}

    for bad in ("app.users.handlers.get_me", "GetMe", "get_me", "getAPIKey", "get-me", ""):
        with pytest.raises(ValueError, match="lowerCamelCase"):
            routing.handler_table(spec_with({"operationId": bad, "tags": ["users"]}))
    with pytest.raises(ValueError, match="first tag"):
        routing.handler_table(spec_with({"operationId": "getMe"}))
    twice = {
        "paths": {
            "/a": {"get": {"operationId": "getMe", "tags": ["users"]}},
            "/b": {"get": {"operationId": "getMe", "tags": ["users"]}},
        }
    }
    with pytest.raises(ValueError, match="used twice"):
        routing.handler_table(twice)
    with pytest.raises(ResolverError):
        routing.TagResolver(SPEC).resolve_function_from_operation_id("notInTheSpec")


def test_every_package_with_handlers_is_a_tag_and_every_tag_has_one() -> None:
    tags = {tag["name"] for tag in SPEC["tags"]}
    with_handlers = {
        info.name
        for info in pkgutil.iter_modules(app.__path__)
        if info.ispkg and importlib.util.find_spec(f"app.{info.name}.handlers") is not None
    }
    assert with_handlers == tags


def test_every_handler_is_referenced_by_the_spec() -> None:
    referenced = {routing.handler_name(op) for _, _, op in operations(SPEC)}
    assert _handler_functions() - referenced == set(), "handlers missing from the spec"
    assert referenced - _handler_functions() == set(), "operations without a handler"


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
    assert {"Problem", "Warning", "SuccessEnvelope", "PageMeta", "FieldError"} <= set(
        comps["schemas"]
    )
    assert {"Page", "Size", "Order"} <= set(comps["parameters"])
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


def _reachable_components(spec: dict[str, Any]) -> set[tuple[str, str]]:
    """(section, name) of every component the operations use, directly or through others."""
    seen: set[tuple[str, str]] = set()
    todo = [spec["paths"]]
    schemes = [req for _, _, op in operations(spec) for req in op.get("security", [])]
    for requirement in [*spec.get("security", []), *schemes]:
        seen |= {("securitySchemes", name) for name in requirement}
    while todo:
        for _, key, value in _walk(todo.pop()):
            if key == "$ref" and isinstance(value, str):
                _, _, section, name = value.split("/")
                if (section, name) not in seen:
                    seen.add((section, name))
                    todo.append(spec["components"][section][name])
    return seen


def test_every_component_is_used() -> None:
    defined = {(section, name) for section, items in SPEC["components"].items() for name in items}
    assert defined - _reachable_components(SPEC) == set(), "unused components"


def test_every_component_in_the_spec_files_reaches_the_bundle(root_dir: Path) -> None:
    # The bundle copies only what is referenced: a component defined in openapi/components/
    # but used nowhere would silently vanish instead of being caught above.
    bundled = SPEC["components"]
    for path in sorted((root_dir / "openapi/components").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for section, items in doc.items():
            missing = set(items) - set(bundled.get(section, {}))
            assert missing == set(), f"{path.name}: unused {section} {sorted(missing)}"


def test_the_unused_component_check_bites() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Orphan"] = {"type": "object"}
    spec["components"]["schemas"]["OrphanChild"] = {"$ref": "#/components/schemas/Orphan"}
    unused = {("schemas", "Orphan"), ("schemas", "OrphanChild")}
    assert unused == {
        (section, name) for section, items in spec["components"].items() for name in items
    } - _reachable_components(spec)


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


# --- lint rules Redocly and Spectral apply (issue 18, item 11) -------------------------------
def _schemas(node: Any, path: tuple[str, ...] = ()):
    """Every schema object in the spec (keyword dicts; `properties` maps are not schemas)."""
    if isinstance(node, dict):
        if "$ref" not in node and any(
            k in node for k in ("type", "nullable", "properties", "allOf", "oneOf", "anyOf")
        ):
            yield path, node
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    yield from _schemas(sub, (*path, key, name))
            elif key not in ("example", "examples"):
                yield from _schemas(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas(value, (*path, str(i)))


def test_nullable_always_has_a_type() -> None:
    # OpenAPI 3.0: `nullable` modifies `type`; alone it is an error for Redocly and Spectral.
    bad = ["/".join(p) for p, s in _schemas(SPEC) if "nullable" in s and "type" not in s]
    assert bad == []


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _object_parts(schema: Any) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    return [schema, *(p for part in schema.get("allOf", []) for p in _object_parts(part))]


def _stray_keys(value: Any, schema: Any, where: str) -> list[str]:
    """Keys of `value` that `schema` does not declare (an object schema with properties and
    no `additionalProperties` admits no others in an example)."""
    schema = _resolve(schema)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:  # the branch the example fits best
        return min((_stray_keys(value, b, where) for b in branches), key=len)
    if isinstance(value, list):
        items = schema.get("items")
        return [k for i, v in enumerate(value) for k in _stray_keys(v, items or {}, f"{where}.{i}")]
    if not isinstance(value, dict):
        return []
    properties: dict[str, Any] = {}
    extra: Any = None
    for part in _object_parts(schema):
        properties.update(part.get("properties", {}))
        extra = part.get("additionalProperties", extra)
    if not properties and extra is None:
        return []  # a free-form object
    out: list[str] = []
    for key, sub in value.items():
        if key in properties:
            out += _stray_keys(sub, properties[key], f"{where}.{key}")
        elif isinstance(extra, dict):
            out += _stray_keys(sub, extra, f"{where}.{key}")
        elif extra is not True:
            out.append(f"{where}.{key}")
    return out


def _examples(node: Any, path: tuple[str, ...] = ()):
    """(where, example value, its schema) for schema examples and media-type examples."""
    if isinstance(node, dict):
        schema = node.get("schema") if "schema" in node else node
        if "example" in node and isinstance(schema, dict):
            yield "/".join(path), node["example"], schema
        for name, named in (node.get("examples") or {}).items():
            if isinstance(named, dict) and "value" in named and isinstance(schema, dict):
                yield "/".join((*path, "examples", name)), named["value"], schema
        for key, value in node.items():
            if key not in ("example", "examples"):
                yield from _examples(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _examples(value, (*path, str(i)))


def test_examples_hold_only_declared_properties() -> None:
    stray = [
        k for where, value, schema in _examples(SPEC) for k in _stray_keys(value, schema, where)
    ]
    assert stray == []


def test_the_stray_key_check_bites() -> None:
    schema = SPEC["components"]["schemas"]["Health"]
    value = {**schema["example"], "rate_limiter": {}}
    assert _stray_keys(value, schema, "Health") == ["Health.rate_limiter"]


# --- every example valid against its schema (issue 22, item 5) -------------------------------
# Where the spec shows an example: a schema's own `example` (components, properties, items,
# every inline schema); a request body's or response's media type (`example`, `examples`);
# a parameter and a response header (`example`, `examples`). Request examples are checked as
# writes and response examples as reads (OpenAPI 3.0's readOnly/writeOnly), formats included.
Example = tuple[str, Any, dict[str, Any], str]  # (where, value, schema, "read"|"write"|"any")

_SCHEMA_CHILDREN = ("items", "not", "additionalProperties")
_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf")


def _schema_examples(schema: Any, where: str, mode: str) -> Iterator[Example]:
    """The `example` of `schema` and of every schema nested in it (not through `$ref`:
    a referenced component is checked once, where it is defined)."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if "example" in schema:
        yield where, schema["example"], schema, mode
    for name, sub in (schema.get("properties") or {}).items():
        yield from _schema_examples(sub, f"{where}/properties/{name}", mode)
    for key in _SCHEMA_CHILDREN:
        yield from _schema_examples(schema.get(key), f"{where}/{key}", mode)
    for key in _SCHEMA_LISTS:
        for i, sub in enumerate(schema.get(key) or []):
            yield from _schema_examples(sub, f"{where}/{key}/{i}", mode)


def _shown_examples(holder: dict[str, Any], where: str, mode: str) -> Iterator[Example]:
    """A media type's, parameter's or header's `example` and `examples`, with its schema,
    then the examples inside that schema."""
    schema = holder.get("schema") or {}
    if "example" in holder:
        yield f"{where}/example", holder["example"], schema, mode
    for name, named in (holder.get("examples") or {}).items():
        shown = _resolve(named)
        if "value" in shown:
            yield f"{where}/examples/{name}", shown["value"], schema, mode
    yield from _schema_examples(schema, f"{where}/schema", mode)


def _spec_examples(spec: dict[str, Any]) -> Iterator[Example]:
    comps = spec["components"]
    for name, schema in comps.get("schemas", {}).items():
        yield from _schema_examples(schema, f"#/components/schemas/{name}", "any")
    for name, param in comps.get("parameters", {}).items():
        yield from _shown_examples(param, f"#/components/parameters/{name}", "write")
    for name, header in comps.get("headers", {}).items():
        yield from _shown_examples(header, f"#/components/headers/{name}", "read")
    for name, body in comps.get("requestBodies", {}).items():
        for media, content in body.get("content", {}).items():
            at = f"#/components/requestBodies/{name}/{media}"
            yield from _shown_examples(content, at, "write")
    responses = [(f"#/components/responses/{n}", r) for n, r in comps.get("responses", {}).items()]
    for path, item in spec["paths"].items():
        for i, param in enumerate(item.get("parameters", [])):
            if "$ref" not in param:
                yield from _shown_examples(param, f"{path}/parameters/{i}", "write")
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            at = f"{method.upper()} {path}"
            for i, param in enumerate(op.get("parameters", [])):
                if "$ref" not in param:
                    yield from _shown_examples(param, f"{at}/parameters/{i}", "write")
            body = op.get("requestBody", {})
            for media, content in body.get("content", {}).items():
                yield from _shown_examples(content, f"{at}/requestBody/{media}", "write")
            responses += [(f"{at}/{s}", r) for s, r in op["responses"].items() if "$ref" not in r]
    for at, response in responses:
        for name, header in (response.get("headers") or {}).items():
            if "$ref" not in header:
                yield from _shown_examples(header, f"{at}/headers/{name}", "read")
        for media, content in (response.get("content") or {}).items():
            yield from _shown_examples(content, f"{at}/{media}", "read")


_VALIDATORS = {"read": OAS30ReadValidator, "write": OAS30WriteValidator, "any": OAS30Validator}


def _example_errors(
    spec: dict[str, Any], value: Any, schema: dict[str, Any], mode: str
) -> list[str]:
    # The spec's components ride along so `#/components/...` refs resolve inside the schema.
    validator = _VALIDATORS[mode](
        {**schema, "components": spec["components"]}, format_checker=oas30_format_checker
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
        for e in validator.iter_errors(value)
    ]


_ALL_EXAMPLES = list(_spec_examples(SPEC))


def test_examples_are_found_everywhere() -> None:
    # The walk reaches each kind of place an example can sit.
    places = " ".join(where for where, *_ in _ALL_EXAMPLES)
    for part in (
        "#/components/schemas/",
        "#/components/parameters/",
        "#/components/headers/",
        "#/components/responses/",
        "/requestBody/application/json/example",
        "/application/json/example",
        "/schema/properties/",
    ):
        assert part in places, part
    assert len(_ALL_EXAMPLES) > 400


def test_every_example_is_valid_against_its_schema() -> None:
    invalid = [
        f"{where}: {error}"
        for where, value, schema, mode in _ALL_EXAMPLES
        for error in _example_errors(SPEC, value, schema, mode)
    ]
    assert invalid == []


def test_the_example_check_bites() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["TokenUsage"]["example"]["prompt_tokens"] = -1
    login = spec["paths"]["/auth/login"]["post"]
    login["requestBody"]["content"]["application/json"]["example"] = {"email": 3}
    spec["components"]["parameters"]["APIVersion"]["example"] = "one"
    spec["components"]["headers"]["XRequestID"]["example"] = ""
    invalid = {
        where
        for where, value, schema, mode in _spec_examples(spec)
        if _example_errors(spec, value, schema, mode)
    }
    assert invalid == {
        "#/components/schemas/TokenUsage",
        "POST /auth/login/requestBody/application/json/example",
        "#/components/parameters/APIVersion/example",
        "#/components/headers/XRequestID/example",
    }


# --- business-rule refusals: declared on their operations, expected by Schemathesis ----------
# (issue 22, item 7) A schema-valid request these operations may still refuse, by a rule JSON
# Schema cannot state. Each is in the operation's responses (its code named in the
# description or an example) and in tests/contract/schemathesis.toml's expected statuses for
# positive data, so a fuzzer that sends valid data does not report the refusal as a bug.
SCHEMATHESIS_TOML = Path(__file__).with_name("schemathesis.toml")
REFUSALS = {
    ("updateMe", 422, "invalid_current_password"),
    ("createApiKey", 422, "validation_error"),  # expires_at in the past
    *(
        (op_id, 400, "unsupported_model")
        for op_id in ("createCompletion", "createCompletionStream", "createJob", "generateRecipe")
    ),
}


def _refusals(spec: dict[str, Any]) -> set[tuple[str, int, str]]:
    """REFUSALS, plus what the parameters imply: `If-Match` can be stale (412), an
    `Idempotency-Key` reused with another body (422)."""
    found = set(REFUSALS)
    implied = {
        "IfMatch": (412, "precondition_failed"),
        "IdempotencyKey": (422, "idempotency_key_mismatch"),
    }
    for _, _, op in operations(spec):
        for param in op.get("parameters", []):
            name = param.get("$ref", "").rsplit("/", 1)[-1]
            if name in implied:
                found.add((op["operationId"], *implied[name]))
    return found


def _codes_named(response: dict[str, Any]) -> set[str]:
    response = _resolve(response)
    named = set(re.findall(r"`([a-z_]+)`", response.get("description", "")))
    for content in response.get("content", {}).values():
        shown = [
            content.get("example"),
            *(_resolve(e).get("value") for e in content.get("examples", {}).values()),
        ]
        named |= {e["code"] for e in shown if isinstance(e, dict) and "code" in e}
    return named


def _expected_for_positive_data() -> dict[str, set[str]]:
    config = tomllib.loads(SCHEMATHESIS_TOML.read_text())
    return {
        entry["include-operation-id"]: set(
            entry.get("checks", {}).get("positive_data_acceptance", {}).get("expected-statuses", [])
        )
        for entry in config.get("operations", [])
    }


def _undeclared_refusals(spec: dict[str, Any], expected: dict[str, set[str]]) -> list[str]:
    by_id = {op["operationId"]: op for _, _, op in operations(spec)}
    problem_types = spec["x-problem-types"]
    out = []
    for op_id, status, code in sorted(_refusals(spec)):
        response = by_id[op_id]["responses"].get(str(status))
        if problem_types[code]["status"] != status:
            out.append(f"{code} is not a {status}")
        if response is None or code not in _codes_named(response):
            out.append(f"{op_id} does not declare {status} {code}")
        if str(status) not in expected.get(op_id, set()):
            out.append(f"schemathesis.toml: {op_id} does not expect {status}")
    return out


def test_business_rule_refusals_are_declared_and_expected() -> None:
    assert len(_refusals(SPEC)) >= 16  # 6 If-Match, 4 Idempotency-Key operations, the list
    assert _undeclared_refusals(SPEC, _expected_for_positive_data()) == []


def test_the_refusal_check_bites() -> None:
    spec = copy.deepcopy(SPEC)
    expected = _expected_for_positive_data()
    update = next(op for _, _, op in operations(spec) if op["operationId"] == "updateItem")
    del update["responses"]["412"]
    me = next(op for _, _, op in operations(spec) if op["operationId"] == "updateMe")
    me["responses"]["422"] = {"$ref": "#/components/responses/UnprocessableEntity"}
    expected["createJob"] = {"2xx"}
    assert _undeclared_refusals(spec, expected) == [
        "schemathesis.toml: createJob does not expect 400",
        "schemathesis.toml: createJob does not expect 422",
        "updateItem does not declare 412 precondition_failed",
        "updateMe does not declare 422 invalid_current_password",
    ]
