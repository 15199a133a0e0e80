"""Success envelopes, built with the generated models so the shape follows the spec."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from generated.models import SuccessEnvelope, Warning

E = TypeVar("E", bound=SuccessEnvelope)
JSON_HEADERS = {"Content-Type": "application/json"}
# (body, status, headers): operations declare both application/json and
# application/problem+json responses, so Connexion needs the content type named.
HandlerResponse = tuple[dict[str, Any], int, dict[str, str]]


def envelope(
    model: type[E],
    data: Any,
    *,
    message: str = "OK",
    success: bool = True,
    warnings: Sequence[Warning] = (),
) -> dict[str, Any]:
    """Validate `data` into the operation's envelope model; return a JSON-ready dict.

    Generated-model instances are taken as they are (pydantic does not re-validate them);
    plain dicts are validated, so a handler cannot return something off-contract. Fields the
    data did not give are left out (`exclude_unset`), not written as null: an optional,
    non-nullable field (a problem's `errors`) must be absent, and null would break it.
    """
    built = model.model_validate(
        {"success": success, "message": message, "data": data, "warnings": list(warnings)}
    )
    return built.model_dump(mode="json", exclude_unset=True)


def respond(
    model: type[E],
    data: Any,
    *,
    status: int = 200,
    message: str = "OK",
    success: bool = True,
    warnings: Sequence[Warning] = (),
    headers: dict[str, str] | None = None,
) -> HandlerResponse:
    """A handler's return value: the envelope, the status and a JSON content type."""
    body = envelope(model, data, message=message, success=success, warnings=warnings)
    return body, status, {**JSON_HEADERS, **(headers or {})}
