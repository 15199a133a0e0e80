"""RFC 9457 problem+json: each error `code` rendered with its status, title and `type`.

Services raise `app.errors.DomainError`s that carry only a code. The HTTP status of each
code, its `title` and the page its `type` URI names come from one place: the spec's
problem-type catalogue (`x-problem-types` in openapi/problems.yaml, read by
app/contract/problem_types.py). A code missing from it is a bug (a test walks every code the
app raises) and renders as 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connexion.lifecycle import ConnexionResponse
from starlette.types import Send

from app.contract.problem_types import (
    DEFAULT_TYPE_BASE,
    ProblemType,
    catalogue,
    status_phrase,
    type_uri,
)
from app.infra.tracing import current_trace_id

PROBLEM_MEDIA_TYPE = "application/problem+json"

# The code of a framework error that arrives with only a status.
CODE_BY_STATUS: Mapping[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}


def rate_limit_headers(limit: int, remaining: int, reset_after: int) -> dict[str, str]:
    """The spec's X-RateLimit-* headers (components/common.yaml)."""
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset_after),
    }


def status_for(code: str) -> int:
    """The catalogue's status for this code; 500 for a code it lacks (a bug)."""
    problem = _types().problems.get(code)
    return problem.status if problem is not None else 500


def status_title(status: int) -> str:
    """The standard reason phrase: the `title` of a code the catalogue lacks."""
    return status_phrase(status)


@dataclass(frozen=True, slots=True)
class _TypeScheme:
    base: str
    problems: Mapping[str, ProblemType]


class _Configured:
    """Module state, set once per process by the composition root (`configure_types`):
    problems are built in middleware, handlers, streams and job workers alike, and threading
    a setting through each of them would buy nothing (a process serves one configuration)."""

    scheme: _TypeScheme | None = None


def configure_types(base: str, problems: Mapping[str, ProblemType]) -> None:
    """Set the `type` URI base (`PROBLEM_TYPE_BASE_URL`) and the catalogue (each code's
    status and `title`)."""
    _Configured.scheme = _TypeScheme(base=base, problems=dict(problems))


def _types() -> _TypeScheme:
    if _Configured.scheme is None:  # unconfigured (a script, a unit test): the defaults
        from app.contract.spec import load_spec  # noqa: PLC0415 - only when unconfigured

        configure_types(DEFAULT_TYPE_BASE, catalogue(load_spec()))
    assert _Configured.scheme is not None
    return _Configured.scheme


def type_base() -> str:
    """The configured base of the `type` URIs (see app/contract/problem_types.py)."""
    return _types().base


# A problem stays small whatever the request held: every text is bounded, and so is the
# number of field errors (a 1 MB body must not produce a 1 MB error).
MAX_TEXT_CHARS = 200
MAX_FIELD_ERRORS = 50


def bounded(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def problem_body(
    *,
    status: int,
    code: str,
    detail: str | None,
    request_id: str,
    errors: Sequence[Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The problem document; shape fixed by the spec's `Problem` schema."""
    scheme = _types()
    body: dict[str, Any] = {
        "type": type_uri(scheme.base, code),
        "title": problem.title if (problem := scheme.problems.get(code)) else status_title(status),
        "status": status,
        "detail": bounded(detail) if detail is not None else None,
        "code": code,
        "request_id": request_id,
    }
    if (trace_id := current_trace_id()) is not None:  # tracing on: the trace to look up
        body["trace_id"] = trace_id
    if errors:
        body["errors"] = [{k: bounded(v) for k, v in e.items()} for e in errors[:MAX_FIELD_ERRORS]]
        if len(errors) > MAX_FIELD_ERRORS:
            note = f"(The first {MAX_FIELD_ERRORS} of {len(errors)} errors are listed.)"
            body["detail"] = f"{body['detail'] or ''} {note}".strip()
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


async def send_problem(
    send: Send,
    *,
    status: int,
    code: str,
    detail: str,
    request_id: str,
    errors: Sequence[Mapping[str, str]] | None = None,
    headers: Sequence[tuple[str, str]] = (),
) -> None:
    """Send a problem from raw ASGI middleware (outside Connexion's exception handling)."""
    body = json.dumps(
        problem_body(status=status, code=code, detail=detail, request_id=request_id, errors=errors),
        separators=(",", ":"),
    ).encode()
    raw = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
