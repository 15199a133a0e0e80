"""Turn already schema-validated input into typed values.

Connexion validated the JSON against the spec; the generated model can still be stricter
(pydantic's EmailStr checks more than JSON Schema's `format: email`), so its errors become
a 422 like any other validation error instead of a 500. Query date-times arrive as strings
(JSON Schema formats are annotations to the validator): `query_datetime` is their one parser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar, overload

from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from app.errors import InvalidInputError, field_error

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@overload
def parse_body(model: type[M], body: Any) -> M: ...


@overload
def parse_body(model: TypeAdapter[T], body: Any) -> T: ...


def parse_body(model: type[M] | TypeAdapter[T], body: Any) -> M | T:
    """`body` as `model`: a generated model, or a TypeAdapter for a schema the generator
    made a union of (a `oneOf` body)."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(body)
        return model.model_validate(body)
    except ValidationError as exc:
        errors = [
            field_error("body", ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InvalidInputError(
            "The request body does not match the schema.", errors=errors
        ) from None


def revealed(secret: SecretStr | None) -> str | None:
    """The value of an optional secret field (`format: password` fields are SecretStr)."""
    return secret.get_secret_value() if secret is not None else None


def query_datetime(name: str, value: str | None) -> datetime | None:
    """An RFC 3339 date-time query parameter (offset required), as an aware UTC datetime;
    anything else is a 400 `invalid_parameter` naming `name`.

    Every RFC 3339 value is accepted: a leap second (`:60`) counts as `:59`, and an instant
    beyond what Python represents in UTC (year 1 with a positive offset, year 9999 with a
    negative one) becomes the earliest or latest representable instant.
    """
    if value is None:
        return None
    text = value.upper()  # RFC 3339 allows a lowercase t and z
    if len(text) > 19 and text[16:19] == ":60":
        text = f"{text[:17]}59{text[19:]}"
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None or "T" not in text:
            raise ValueError
    except ValueError:
        message = "Must be an RFC 3339 date-time with an offset, e.g. 2026-11-25T10:00:00Z."
        raise InvalidInputError(
            f"Invalid {name}.",
            code="invalid_parameter",
            errors=[field_error("query", name, message)],
        ) from None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)
