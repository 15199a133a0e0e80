"""Domain exceptions and the one function that renders every error as RFC 9457 problem+json.

Handlers and services raise `AppError` (or a subclass); `app.core.error_handlers` turns
it, and every framework error, into a problem body with a stable `code`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Literal

from connexion.lifecycle import ConnexionResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"
Location = Literal["body", "query", "path", "header", "cookie"]


def field_error(location: Location, field: str, message: str) -> dict[str, str]:
    """One entry of a problem's `errors` list (schema `FieldError`)."""
    return {"location": location, "field": field, "message": message}


class AppError(Exception):
    """An expected failure with an HTTP status and a stable machine code."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        errors: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or code or self.code)
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = dict(headers or {})


class NotFoundError(AppError):
    status = 404
    code = "not_found"


class ConflictError(AppError):
    status = 409
    code = "conflict"


class RequestValidationError(AppError):
    status = 422
    code = "validation_error"


class PayloadTooLargeError(AppError):
    status = 413
    code = "payload_too_large"


def status_title(status: int) -> str:
    """The standard reason phrase, used as the problem `title`."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    *,
    status: int,
    code: str,
    detail: str | None,
    request_id: str,
    errors: Sequence[Mapping[str, str]] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The problem document; shape fixed by the spec's `Problem` schema."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or status_title(status),
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id,
    }
    if errors:
        body["errors"] = [dict(e) for e in errors]
    return body


def problem_response(
    *,
    status: int,
    code: str,
    detail: str | None,
    request_id: str,
    errors: Sequence[Mapping[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ConnexionResponse:
    """A ready-to-send problem+json response."""
    body = problem_body(
        status=status, code=code, detail=detail, request_id=request_id, errors=errors
    )
    return ConnexionResponse(
        status_code=status,
        mimetype=PROBLEM_MEDIA_TYPE,
        content_type=PROBLEM_MEDIA_TYPE,
        body=json.dumps(body, separators=(",", ":")).encode(),
        headers=dict(headers or {}),
    )
