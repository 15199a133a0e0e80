"""Answer schemas: the spec components a model may be asked to answer in.

Each comes from the bundled spec (so the contract is the one source), as plain JSON Schema
(refs inlined, OpenAPI's `nullable` turned into a `null` type, examples dropped), plus the
form OpenAI's strict mode accepts. The generated pydantic model of the same name validates
every answer, so each dialect's schema keeps every rule it can carry and says the others in
the field's `description`: a rule the model was never told turns valid answers into paid
repair loops. The plain form (the `instructions` prompt, Anthropic's tool `input_schema`,
which takes any JSON Schema) carries them all.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from app.ai.types import OutputSchema

# OpenAI strict mode (Structured Outputs, "supported schemas", since May 2025) enforces these
# validation keywords (not for fine-tuned models); `format` only with the formats below.
STRICT_CARRIES = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
    }
)
STRICT_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)
# Rules strict mode cannot carry: dropped from the schema and said in the description, so
# the model still hears every rule the generated model will apply.
_RESTATED = frozenset({"uniqueItems", "minProperties", "maxProperties"})
_STRICT_DROPS = frozenset({"default"})  # an annotation, not a rule
_RULE_TEXT = {
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "pattern": "matches the regular expression {}",
    "format": "in {} format",
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "greater than {}",
    "exclusiveMaximum": "less than {}",
    "multipleOf": "a multiple of {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "uniqueItems": "no two items equal",
    "minProperties": "at least {} properties",
    "maxProperties": "at most {} properties",
}
_DROPS = frozenset({"example", "examples", "xml", "externalDocs", "readOnly", "writeOnly"})


def _properties(props: Any, convert: Any) -> Any:
    """A `properties` map: its keys are property names (a property may be called
    `pattern` or `example`), so only the values are schemas to convert."""
    if not isinstance(props, dict):
        return props
    return {name: convert(schema) for name, schema in props.items()}


def _plain(node: Any, components: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """JSON Schema from an OpenAPI 3.0 schema: refs inlined, `nullable` as a `null` type."""
    if isinstance(node, list):
        return [_plain(n, components, seen) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            msg = f"answer schema {seen[0]} is recursive ({' -> '.join((*seen, name))})"
            raise ValueError(msg)
        return _plain(components[name], components, (*seen, name))
    out = {
        k: (_properties(v, lambda n: _plain(n, components, seen)) if k == "properties" else
            _plain(v, components, seen))
        for k, v in node.items()
        if k not in _DROPS
    }  # fmt: skip
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def strict_carries(keyword: str, value: Any) -> bool:
    """Whether OpenAI strict mode can carry this validation keyword as it is."""
    return keyword in STRICT_CARRIES and (keyword != "format" or value in STRICT_FORMATS)


def rule_text(keyword: str, value: Any) -> str:
    return _RULE_TEXT[keyword].format(json.dumps(value) if keyword == "pattern" else value)


def _restate(out: dict[str, Any], rules: list[str]) -> None:
    said = f"Rules: {'; '.join(rules)}."
    out["description"] = f"{out['description'].rstrip()} {said}" if out.get("description") else said


def _strict(node: Any) -> Any:
    """OpenAI strict mode: every object closed and every property required (optional ones
    become nullable); the validation keywords it cannot carry move into `description`."""
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    rules: list[str] = []
    for k, v in node.items():
        if k in _STRICT_DROPS:
            continue
        if k in _RESTATED or (k in STRICT_CARRIES and not strict_carries(k, v)):
            if not (k == "uniqueItems" and v is False):
                rules.append(rule_text(k, v))
            continue
        out[k] = _properties(v, _strict) if k == "properties" else _strict(v)
    if rules:
        _restate(out, rules)
    if out.get("type") == "object" or "properties" in out:
        props: dict[str, Any] = out.get("properties", {})
        required = set(out.get("required", []))
        for name, prop in props.items():
            if name not in required and isinstance(prop, dict):
                props[name] = {"anyOf": [prop, {"type": "null"}]}
        out["required"] = list(props)
        out["additionalProperties"] = False
    return out


def _takes_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(_takes_null(b) for b in schema.get("anyOf", []) + schema.get("oneOf", []))


def _shapes(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema and its `anyOf`/`oneOf` branches: where properties and items may be."""
    branches = [b for b in schema.get("anyOf", []) + schema.get("oneOf", []) if isinstance(b, dict)]
    return [schema, *branches]


def _optional_not_null(schema: Any) -> bool:
    """Whether some property is optional and may not be null: strict mode sends it as null."""
    if not isinstance(schema, dict):
        return False
    for shape in _shapes(schema):
        props = shape.get("properties") or {}
        required = set(shape.get("required", []))
        if any(n not in required and not _takes_null(p) for n, p in props.items()):
            return True
        if any(_optional_not_null(p) for p in props.values()):
            return True
        if _optional_not_null(shape.get("items")):
            return True
    return False


def _drop_absent(value: Any, schema: Any) -> Any:
    """Strict mode's null for an optional property means "absent": leave it out."""
    if not isinstance(schema, dict):
        return value
    for shape in _shapes(schema):
        if isinstance(value, dict) and "properties" in shape:
            required = set(shape.get("required", []))
            for name, prop in shape["properties"].items():
                if name not in value:
                    continue
                if value[name] is None and name not in required and not _takes_null(prop):
                    del value[name]
                else:
                    _drop_absent(value[name], prop)
        elif isinstance(value, list) and isinstance(shape.get("items"), dict):
            for item in value:
                _drop_absent(item, shape["items"])
    return value


@dataclass(frozen=True)
class AnswerSchema:
    output: OutputSchema
    # The generated model that validates answers (the spec's schemas), or None for a schema
    # a client sent, which `validator` (JSON Schema 2020-12) checks instead.
    model: type[BaseModel] | None
    # The schema has optional properties that may not be null, which strict mode sends as
    # null when absent (every property is required there).
    nulls_mean_absent: bool = False
    validator: Draft202012Validator | None = None

    def validate(self, text: str) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
        """The answer as a JSON object if `text` is valid, else the errors (field, message)."""
        text = _strip_fences(text)
        if self.nulls_mean_absent:
            # Not JSON (or nested past the parser): the model's own parser says so below.
            with contextlib.suppress(ValueError, RecursionError):
                text = json.dumps(_drop_absent(json.loads(text), self.output.schema))
        if self.model is None:
            return self._validate_json_schema(text)
        try:
            parsed = self.model.model_validate_json(text)
        except ValidationError as exc:
            return None, [
                {
                    "field": ".".join(str(p) for p in e["loc"]) or "(answer)",
                    "message": "not valid JSON" if e["type"] == "json_invalid" else e["msg"],
                }
                for e in exc.errors()[:20]
            ]
        value: dict[str, Any] = json.loads(parsed.model_dump_json())
        return value, []

    def _validate_json_schema(
        self, text: str
    ) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return None, [{"field": "(answer)", "message": "not valid JSON"}]
        assert self.validator is not None
        errors = sorted(self.validator.iter_errors(value), key=lambda e: list(e.path))[:20]
        if errors:
            return None, [
                {"field": ".".join(str(p) for p in e.path) or "(answer)", "message": e.message}
                for e in errors
            ]
        if not isinstance(value, dict):
            return {"value": value}, []
        return value, []


def _strip_fences(text: str) -> str:
    """Models asked for JSON in prose mode sometimes wrap it in a ``` fence."""
    stripped = text.strip()
    if stripped.startswith("```") and stripped.endswith("```"):
        stripped = stripped[3:-3]
        stripped = stripped.removeprefix("json").strip()
    return stripped


class AnswerSchemas:
    """The answer schemas named by the spec's `ResponseSchemaName` enum."""

    def __init__(self, components: Mapping[str, Any], models: Any, names: Iterable[str]) -> None:
        self._schemas: dict[str, AnswerSchema] = {}
        for name in names:
            schema = _plain(copy.deepcopy(components[name]), components, (name,))
            model = getattr(models, name)
            self._schemas[name] = AnswerSchema(
                OutputSchema(name=name, schema=schema, strict=_strict(schema)),
                model,
                nulls_mean_absent=_optional_not_null(schema),
            )

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], models: Any) -> AnswerSchemas:
        """The schemas `ResponseSchemaName` names (its enum, mapped by `x-answer-schemas`)."""
        components = spec["components"]["schemas"]
        names = components["ResponseSchemaName"]
        mapped = {k: v["$ref"].rsplit("/", 1)[-1] for k, v in names["x-answer-schemas"].items()}
        if sorted(mapped) != sorted(names["enum"]) or any(k != v for k, v in mapped.items()):
            msg = "ResponseSchemaName: enum and x-answer-schemas must name the same components"
            raise ValueError(msg)
        return cls(components, models, names["enum"])

    def get(self, name: str) -> AnswerSchema:
        return self._schemas[name]

    @property
    def names(self) -> list[str]:
        return list(self._schemas)


def strict_form(schema: Any) -> Any:
    """The form OpenAI's strict mode accepts (see `_strict`)."""
    return _strict(schema)


def optional_not_null(schema: Any) -> bool:
    """Whether strict mode will send absent optional properties as null."""
    return _optional_not_null(schema)
