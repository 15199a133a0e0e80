"""Schema fidelity, derived from the spec: every answer schema (`x-answer-schemas`, the recipe
among them) in every provider dialect tells the model every rule the generated model applies.

For each dialect's sent schema: each rule of the full schema is carried as a keyword or
restated in that node's `description`; the smallest instance a provider honouring the sent
schema may answer, and each boundary instance (every upper bound reached), validate against
the generated model, or fail only on a rule the dialect could not carry and restated."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

import generated.models as wire
from app.ai.providers.openai_chat import schema_instructions
from app.ai.schemas import AnswerSchema, AnswerSchemas
from app.ai.types import Message, ProviderRequest
from app.contract.spec import load_spec
from tests.fakes.instances import Path, bounded, instance

# What the validator checks beyond types, and how a description must say it (our own
# wording, so a rule dropped without a sentence fails here).
RULES = {
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
SPEC = load_spec()
SCHEMAS = AnswerSchemas.from_spec(SPEC, wire)
NAMES = SPEC["components"]["schemas"]["ResponseSchemaName"]["x-answer-schemas"]


def _instructions_schema(answer: AnswerSchema) -> dict[str, Any]:
    """The schema as the `instructions` prompt quotes it (what the model reads)."""
    request = ProviderRequest("m", (Message("user", "hi"),), output=answer.output)
    text = schema_instructions(request)
    sent, _ = json.JSONDecoder().raw_decode(text[text.index("{") :])
    return dict(sent)


DIALECTS = {
    "openai_strict": lambda a: a.output.strict,  # OpenAI and Azure: response_format strict
    "instructions": _instructions_schema,  # OpenAI-compatible servers without json_schema
    "anthropic_tool": lambda a: a.output.schema,  # forced tool use: the tool's input_schema
}
CASES = [(d, n) for d in DIALECTS for n in NAMES]


def said(keyword: str, value: Any) -> str:
    return RULES[keyword].format(json.dumps(value) if keyword == "pattern" else value)


def _branch(node: dict[str, Any]) -> dict[str, Any]:
    """A nullable `anyOf` (strict mode's optional property) stands for its non-null branch."""
    if "anyOf" in node:
        return next(b for b in node["anyOf"] if b.get("type") != "null")
    return node


def walk(full: Any, sent: Any, path: Path = ()) -> list[tuple[Path, str, Any, dict[str, Any]]]:
    """Every rule of the full schema: (path, keyword, value, the sent node at that path)."""
    full, sent = _branch(full), _branch(sent)
    found = [(path, k, v, sent) for k, v in full.items() if k in RULES]
    for name, prop in (full.get("properties") or {}).items():
        assert name in sent["properties"], f"{'.'.join((*path, name))} is not sent at all"
        found += walk(prop, sent["properties"][name], (*path, name))
    if isinstance(full.get("items"), dict):
        found += walk(full["items"], sent["items"], (*path, "[]"))
    return found


def uncarried(answer: AnswerSchema, sent: dict[str, Any]) -> dict[Path, list[str]]:
    """The rules the dialect could not carry, by path; each must be restated there."""
    missing: dict[Path, list[str]] = {}
    for path, keyword, value, node in walk(answer.output.schema, sent):
        if node.get(keyword) == value:
            continue
        rule = f"{'.'.join(path) or '(answer)'}: {keyword}={value!r}"
        assert said(keyword, value) in node.get("description", ""), (
            f"{rule} is neither sent nor said"
        )
        missing.setdefault(path, []).append(keyword)
    return missing


def check(answer: AnswerSchema, value: Any, missing: dict[Path, list[str]]) -> None:
    """`value` (sent back as the model's JSON text) is accepted, or fails only where a rule
    was restated instead of sent."""
    accepted, errors = answer.validate(json.dumps(value))
    for error in errors:
        path = tuple("[]" if p.isdigit() else p for p in error["field"].split("."))
        assert path in missing, f"{path}: {error['message']} (a rule the sent schema allows)"
    assert accepted is not None or errors


@pytest.mark.parametrize(("dialect", "name"), CASES)
def test_every_rule_is_sent_or_said(dialect: str, name: str) -> None:
    answer = SCHEMAS.get(name)
    sent = DIALECTS[dialect](answer)
    missing = uncarried(answer, sent)
    # The spec's answer schemas use only rules every dialect here carries.
    assert missing == {}, missing


@pytest.mark.parametrize(("dialect", "name"), CASES)
def test_the_smallest_instance_of_the_sent_schema_is_valid(dialect: str, name: str) -> None:
    answer = SCHEMAS.get(name)
    sent = DIALECTS[dialect](answer)
    missing = uncarried(answer, sent)
    check(answer, instance(sent), missing)
    check(answer, instance(sent, nulls=True), missing)  # null wherever it is allowed


@pytest.mark.parametrize(("dialect", "name"), CASES)
def test_every_upper_bound_of_the_sent_schema_is_valid(dialect: str, name: str) -> None:
    answer = SCHEMAS.get(name)
    sent = DIALECTS[dialect](answer)
    missing = uncarried(answer, sent)
    paths = [path for path, _ in bounded(sent)]
    assert paths, "a bounded answer schema has boundary values to try"
    for path in paths:
        check(answer, instance(sent, high=path), missing)


def test_the_recipe_keeps_its_numeric_ranges_in_strict_mode() -> None:
    """Regression: strict mode dropped `minimum`, so `step: 0` was a valid answer to send
    back and an invalid one to receive (three paid calls, then 502)."""
    strict = SCHEMAS.get("GeneratedRecipe").output.strict
    step = strict["properties"]["instructions"]["items"]["properties"]["step"]
    assert step["minimum"] == 1
    cooking = strict["properties"]["cooking_time"]
    assert (cooking["minimum"], cooking["maximum"]) == (1, 1440)
    assert strict["properties"]["title"]["minLength"] == 1
    assert strict["properties"]["ingredients"]["minItems"] == 1
    assert instance(strict)["instructions"][0]["step"] == 1


class _Tagged(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tags: list[str] = Field(min_length=1, max_length=3)
    link: str
    extra: dict[str, int] = Field(min_length=1)
    when: str | None = None
    note: str = "none"  # optional, never null


class _Noted(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[_Tagged]


def test_rules_strict_mode_cannot_carry_are_said_in_the_description() -> None:
    """uniqueItems, minProperties and formats outside OpenAI's list leave the strict schema
    and are restated; the full (instructions, Anthropic) schema keeps them."""
    components = {
        "Tagged": {
            "type": "object",
            "required": ["tags", "link", "extra"],
            "properties": {
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 3,
                    "uniqueItems": True,
                    "description": "Labels.",
                },
                "link": {"type": "string", "format": "uri"},
                "extra": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                    "minProperties": 1,
                },
                "when": {"type": "string", "format": "date-time", "nullable": True},
                "note": {"type": "string", "default": "none"},
            },
        }
    }
    answer = AnswerSchemas(components, SimpleNamespace(Tagged=_Tagged), ["Tagged"]).get("Tagged")
    strict = answer.output.strict
    missing = uncarried(answer, strict)
    assert missing == {
        ("tags",): ["uniqueItems"],
        ("link",): ["format"],
        ("extra",): ["minProperties"],
    }
    tags = strict["properties"]["tags"]
    assert tags["description"] == "Labels. Rules: no two items equal."
    assert (tags["minItems"], tags["maxItems"]) == (1, 3)  # carried
    assert strict["properties"]["when"]["anyOf"][0]["format"] == "date-time"  # carried
    assert strict["required"] == ["tags", "link", "extra", "when", "note"]
    assert uncarried(answer, answer.output.schema) == {}


def test_strict_modes_null_for_an_optional_property_means_absent() -> None:
    """Strict mode makes every property required, the optional ones nullable; a provider
    honouring that sends `note: null` for a `note` that may be absent but never null."""
    tagged = {
        "type": "object",
        "required": ["tags", "link", "extra"],
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "link": {"type": "string"},
            "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
            "when": {"type": "string", "nullable": True},
            "note": {"type": "string"},
        },
    }
    components = {
        "Noted": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/Tagged"}}},
        },
        "Tagged": tagged,
    }
    models = SimpleNamespace(Noted=_Noted)
    answer = AnswerSchemas(components, models, ["Noted"]).get("Noted")
    item = {"tags": ["a"], "link": "x", "extra": {"a": 1}, "when": None, "note": None}
    value, errors = answer.validate(json.dumps({"items": [item]}))
    assert errors == []
    assert value == {"items": [{**item, "note": "none"}]}  # absent: the default, not null
    invalid, errors = answer.validate(json.dumps({"items": [{**item, "tags": None}]}))
    assert invalid is None and errors[0]["field"] == "items.0.tags"  # required stays required
    deep, errors = answer.validate("[" * 100_000 + "]" * 100_000)  # no parser crash, no 500
    assert deep is None and errors == [{"field": "(answer)", "message": "not valid JSON"}]
