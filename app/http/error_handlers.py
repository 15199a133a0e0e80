"""The one place where every error becomes problem+json with a stable `code`.

Registered on Connexion's ExceptionMiddleware, so it sees domain errors, Connexion's
validation and security problems, routing 404/405 (re-raised from Flask) and any
unhandled exception. A 500 logs the traceback with the request id and returns none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import connexion
import redis.exceptions
import sqlalchemy.exc
import structlog
from connexion.exceptions import (
    BadRequestProblem,
    OAuthProblem,
    ProblemException,
    Unauthorized,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from app.contract.spec import allowed_methods
from app.errors import AuthenticationError, DomainError, TooManyAttemptsError
from app.http.challenge import challenge
from app.http.problems import CODE_BY_STATUS, rate_limit_headers, status_for
from app.http.problems import problem_response as _problem_response
from app.http.request_id import HEADER, accept_or_generate

log = structlog.get_logger("app.errors")

GENERIC_500_DETAIL = "An unexpected error occurred. Quote the request id when reporting it."
# Headers a framework error may carry that clients need (Allow on 405, auth challenges).
_FORWARDED_HEADERS = ("allow", "www-authenticate", "retry-after")


def problem_response(**kwargs: Any) -> ConnexionResponse:
    """Every 401 carries a `WWW-Authenticate` challenge (RFC 9110 requires one)."""
    if kwargs["status"] == 401:
        headers = dict(kwargs.get("headers") or {})
        if not any(k.lower() == "www-authenticate" for k in headers):
            headers["WWW-Authenticate"] = challenge()
        kwargs["headers"] = headers
    return _problem_response(**kwargs)


def _request_id(request: ConnexionRequest) -> str:
    return accept_or_generate(request.headers.get(HEADER))


def _forwarded(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (headers or {}).items() if k.lower() in _FORWARDED_HEADERS}


def handle_domain_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """A domain error: its code decides the status (one table, `app.http.problems`)."""
    assert isinstance(exc, DomainError)
    status = status_for(exc.code)
    headers: dict[str, str] = {}
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, TooManyAttemptsError) and exc.limit is not None:
        headers |= rate_limit_headers(exc.limit, 0, exc.retry_after or 0)
    if isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = (
            challenge("invalid_token", exc.detail) if exc.invalid_token else challenge()
        )
    if status >= 500:
        log.error("domain_error", code=exc.code, status=status, detail=exc.detail)
    return problem_response(
        status=status,
        code=exc.code,
        detail=exc.detail,
        request_id=_request_id(request),
        errors=exc.errors,
        headers=headers,
    )


def handle_problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Connexion's own ProblemExceptions (validation, security, media type)."""
    assert isinstance(exc, ProblemException)
    detail = str(exc.detail) if exc.detail else None
    if isinstance(exc, UnsupportedMediaTypeProblem):
        code = "unsupported_media_type"
    elif isinstance(exc, OAuthProblem | Unauthorized):
        code = "not_authenticated"
        detail = "Credentials are required: send 'Authorization: Bearer <token>' or 'X-API-Key'."
    elif isinstance(exc, BadRequestProblem):
        code = "bad_request"
    else:
        code = CODE_BY_STATUS.get(exc.status, "error")
    if exc.status >= 500:
        # e.g. a response that fails validation (dev/test): details are for the log only.
        log.error("problem", code=code, status=exc.status, detail=exc.detail)
        detail = GENERIC_500_DETAIL
    return problem_response(
        status=exc.status,
        code=code,
        detail=detail,
        request_id=_request_id(request),
        headers=_forwarded(exc.headers),
    )


def http_exception_handler(
    allow_for: Callable[[str], list[str] | None],
) -> Callable[[ConnexionRequest, Exception], ConnexionResponse]:
    """Starlette HTTPExceptions: routing 404/405 and Flask HTTP errors re-raised by Connexion."""

    def handle_http_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, HTTPException)
        status = exc.status_code
        code = CODE_BY_STATUS.get(status, "error")
        headers = _forwarded(exc.headers)
        detail: str | None
        if status == 404:
            code, detail = "not_found", f"No route matches {request.url.path}."
        elif status == 405:
            detail = f"Method {request.method} is not allowed on {request.url.path}."
            methods = allow_for(request.url.path)
            if methods:
                headers = {k: v for k, v in headers.items() if k.lower() != "allow"}
                headers["Allow"] = ", ".join(methods)
        else:
            detail = str(exc.detail) if exc.detail else None
        return problem_response(
            status=status,
            code=code,
            detail=detail,
            request_id=_request_id(request),
            headers=headers,
        )

    return handle_http_exception


RETRY_AFTER_SECONDS = "5"


def handle_dependency_down(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Database or Redis unreachable, or the connection pool exhausted: retryable, so 503."""
    log.error("dependency_unavailable", error=type(exc).__name__, path=request.url.path)
    return problem_response(
        status=503,
        code="service_unavailable",
        detail="A backing service is unavailable; retry later.",
        request_id=_request_id(request),
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def handle_unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Anything else: log the traceback (with request_id via contextvars), return none of it."""
    log.error("unhandled_exception", exc_info=exc, path=request.url.path)
    return problem_response(
        status=500,
        code="internal_error",
        detail=GENERIC_500_DETAIL,
        request_id=_request_id(request),
    )


def register(app: connexion.FlaskApp, spec: dict[str, Any]) -> None:
    """Install the handlers; the most specific class wins in Starlette's lookup."""
    app.add_error_handler(DomainError, handle_domain_error)
    app.add_error_handler(ProblemException, handle_problem)
    app.add_error_handler(HTTPException, http_exception_handler(allowed_methods(spec)))
    for dependency_error in (
        sqlalchemy.exc.OperationalError,  # cannot connect, connection lost, database locked
        sqlalchemy.exc.TimeoutError,  # connection pool exhausted
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
    ):
        app.add_error_handler(dependency_error, handle_dependency_down)
    app.add_error_handler(Exception, handle_unexpected)
