"""Answer schemas a client sends with its request (the OpenAI-compatible endpoint's
`response_format`), treated like the spec's: sent in every provider dialect, validated,
repaired. There is no generated model for them, so `jsonschema` validates the answers."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from app.ai.schemas import AnswerSchema, optional_not_null, strict_form
from app.ai.types import OutputSchema
from app.errors import InvalidInputError, field_error

# OpenAI's JSON mode (`response_format` `json_object`): any JSON object.
JSON_OBJECT = "json_object"


def client_schema(name: str, schema: Mapping[str, Any], *, strict: bool = True) -> AnswerSchema:
    """A schema a client sent with its request (the OpenAI-compatible endpoint's
    `response_format`): checked as JSON Schema 2020-12, sent in every dialect like the
    spec's, and validated with `jsonschema` (there is no generated model for it). With
    `strict=False` (the client's `strict: false`) it goes upstream as it is, not in the
    strict form that closes every object (a schema with free-form maps needs that)."""
    plain = copy.deepcopy(dict(schema))
    try:
        Draft202012Validator.check_schema(plain)
    except SchemaError as exc:
        raise InvalidInputError(
            f"The response schema is not valid JSON Schema: {exc.message}",
            errors=[field_error("body", "response_format.json_schema.schema", exc.message)],
        ) from None
    return AnswerSchema(
        OutputSchema(name=name, schema=plain, strict=strict_form(plain) if strict else None),
        None,
        nulls_mean_absent=strict and optional_not_null(plain),
        validator=Draft202012Validator(plain),
    )


def json_object_schema() -> AnswerSchema:
    """OpenAI's JSON mode: the answer is any JSON object. OpenAI and Azure get
    `response_format` `json_object`; Anthropic a forced tool taking any object; the
    `instructions` mode and the fake provider the schema `{"type": "object"}`."""
    plain: dict[str, Any] = {"type": "object"}
    return AnswerSchema(
        OutputSchema(name=JSON_OBJECT, schema=plain, strict=None, json_object=True),
        None,
        validator=Draft202012Validator(plain),
    )
