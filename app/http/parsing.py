"""Turn an already schema-validated body into its generated model.

Connexion validated the JSON against the spec; the generated model can still be stricter
(pydantic's EmailStr checks more than JSON Schema's `format: email`), so its errors become
a 422 like any other validation error instead of a 500.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from app.errors import InvalidInputError, field_error

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], body: Any) -> M:
    try:
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
