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


def client_schema(name: str, schema: Mapping[str, Any]) -> AnswerSchema:
    """A schema a client sent with its request (the OpenAI-compatible endpoint's
    `response_format`): checked as JSON Schema 2020-12, sent in every dialect like the
    spec's, and validated with `jsonschema` (there is no generated model for it)."""
    plain = copy.deepcopy(dict(schema))
    try:
        Draft202012Validator.check_schema(plain)
    except SchemaError as exc:
        raise InvalidInputError(
            f"The response schema is not valid JSON Schema: {exc.message}",
            errors=[field_error("body", "response_format.json_schema.schema", exc.message)],
        ) from None
    return AnswerSchema(
        OutputSchema(name=name, schema=plain, strict=strict_form(plain)),
        None,
        nulls_mean_absent=optional_not_null(plain),
        validator=Draft202012Validator(plain),
    )
