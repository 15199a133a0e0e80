"""RFC 9457 problem+json, and the one table that maps every error `code` to an HTTP status.

Services raise `app.errors.DomainError`s that carry only a code; the HTTP status of each
code is decided here and nowhere else. A code missing from the table is a bug (a test
walks every code the app raises) and renders as 500.

Every code also has an entry in the spec's problem-type catalogue (`x-problem-types`,
app/contract/problem_types.py) with the same status (a test compares both ways): it gives the
problem its `title` and its `type` URI, whose page says what the code means and how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connexion.lifecycle import ConnexionResponse
from starlette.types import Send

from app.contract.problem_types import DEFAULT_TYPE_BASE, catalogue, status_phrase, type_uri

PROBLEM_MEDIA_TYPE = "application/problem+json"

STATUS_BY_CODE: Mapping[str, int] = {
    # 400: the request is malformed
    "bad_request": 400,
    "unsupported_model": 400,
    "unsupported_parameter": 400,  # the OpenAI-compatible endpoint (app/openai/)
    "unknown_price": 400,
    "max_tokens_too_large": 400,
    "malformed_json": 400,
    "invalid_parameter": 400,
    "missing_body": 400,
    "unsupported_api_version": 400,
    "not_a_session": 400,
    # 401: credentials missing or unacceptable
    "not_authenticated": 401,
    "invalid_credentials": 401,
    "ambiguous_credentials": 401,
    "token_malformed": 401,
    "token_unsigned": 401,
    "token_algorithm_mismatch": 401,
    "token_signature_invalid": 401,
    "token_expired": 401,
    "token_not_yet_valid": 401,
    "token_audience_invalid": 401,
    "token_issuer_invalid": 401,
    "token_claims_missing": 401,
    "token_revoked": 401,
    "token_user_not_found": 401,
    "token_user_inactive": 401,
    "refresh_token_invalid": 401,
    "refresh_token_expired": 401,
    "refresh_token_revoked": 401,
    "refresh_token_reused": 401,
    "api_key_invalid": 401,
    "api_key_expired": 401,
    "api_key_revoked": 401,
    # 403: authenticated, but not allowed
    "forbidden": 403,
    "user_inactive": 403,
    "session_required": 403,
    # 404/405/406
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    # 409: conflicts with the current state
    "conflict": 409,
    "email_taken": 409,
    "last_admin": 409,
    "invalid_transition": 409,
    "request_in_progress": 409,
    "precondition_failed": 412,
    # 413/415/422/429
    "payload_too_large": 413,
    "prompt_too_long": 413,
    "unsupported_media_type": 415,
    "validation_error": 422,
    "invalid_current_password": 422,
    "attributes_too_large": 422,
    "attributes_too_deep": 422,
    "ai_refused": 422,
    "ai_output_truncated": 422,
    "idempotency_key_mismatch": 422,
    "invalid_time_range": 422,
    "rate_limited": 429,
    "too_many_login_attempts": 429,
    "ai_quota_exceeded": 429,
    "too_many_streams": 429,
    # 5xx
    "internal_error": 500,
    "ai_provider_auth": 502,
    "ai_provider_error": 502,
    "ai_invalid_output": 502,
    "service_unavailable": 503,
    "stream_capacity_reached": 503,
    "server_shutting_down": 503,
    "rate_limiter_unavailable": 503,
    "ai_rate_limited": 503,
    "ai_provider_unavailable": 503,
    "ai_timeout": 504,
    # async jobs (app/jobs/service.py)
    "job_not_cancellable": 409,
    "job_worker_lost": 503,
}
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
    return STATUS_BY_CODE.get(code, 500)


def status_title(status: int) -> str:
    """The standard reason phrase: the `title` of a code the catalogue lacks."""
    return status_phrase(status)


@dataclass(frozen=True, slots=True)
class _TypeScheme:
    base: str
    titles: Mapping[str, str]


class _Configured:
    """Module state, set once per process by the composition root (`configure_types`):
    problems are built in middleware, handlers, streams and job workers alike, and threading
    a setting through each of them would buy nothing (a process serves one configuration)."""

    scheme: _TypeScheme | None = None


def configure_types(base: str, titles: Mapping[str, str]) -> None:
    """Set the `type` URI base (`PROBLEM_TYPE_BASE_URL`) and each code's `title`."""
    _Configured.scheme = _TypeScheme(base=base, titles=dict(titles))


def _types() -> _TypeScheme:
    if _Configured.scheme is None:  # unconfigured (a script, a unit test): the defaults
        from app.contract.spec import load_spec  # noqa: PLC0415 - only when unconfigured

        problems = catalogue(load_spec())
        configure_types(DEFAULT_TYPE_BASE, {c: p.title for c, p in problems.items()})
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
        "title": scheme.titles.get(code) or status_title(status),
        "status": status,
        "detail": bounded(detail) if detail is not None else None,
        "code": code,
        "request_id": request_id,
    }
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
