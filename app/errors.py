"""Domain errors: what went wrong, as a stable machine `code`, never an HTTP status.

Services and the security domain raise these; the HTTP layer (`app.http.problems`) owns the
one table that maps each code to a status and renders RFC 9457 problem+json. The CLI and
background tasks catch the same errors and word them for their own audience.

May import: nothing from `app` (this is the bottom layer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Location = Literal["body", "query", "path", "header", "cookie", "output"]


@dataclass(frozen=True)
class FieldError:
    """One entry of a problem's `errors` list (the spec's `FieldError`)."""

    location: Location
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "field": self.field, "message": self.message}


def field_error(location: Location, field: str, message: str) -> dict[str, str]:
    """One `errors` entry as the plain mapping the problem body carries."""
    return FieldError(location, field, message).as_dict()


class DomainError(Exception):
    """An expected failure with a stable `code` (its status: openapi/problems.yaml)."""

    code: str = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: Sequence[Mapping[str, str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail or code or self.code)
        if code is not None:
            self.code = code
        self.detail = detail
        self.errors = [dict(e) for e in errors] if errors else None
        # Seconds after which a retry may succeed (lockouts, saturation); None = not retryable.
        self.retry_after = retry_after


class InvalidInputError(DomainError):
    """The input breaks a rule the schema cannot express (password policy, past expiry)."""

    code = "validation_error"


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class AuthenticationError(DomainError):
    """The credentials are missing or unacceptable.

    `invalid_token` says whether credentials were presented (RFC 6750's `invalid_token`
    challenge) or were simply missing or wrong at login.
    """

    code = "not_authenticated"

    def __init__(self, code: str, detail: str, *, invalid_token: bool = True) -> None:
        super().__init__(detail, code=code)
        self.invalid_token = invalid_token


class ForbiddenError(DomainError):
    code = "forbidden"


class TooManyAttemptsError(DomainError):
    """A rate limit or lockout is spent. `limit` (the budget) feeds the X-RateLimit-*
    headers of the 429, with nothing remaining until `retry_after`."""

    code = "too_many_login_attempts"

    def __init__(
        self, detail: str, *, code: str, retry_after: int, limit: int | None = None
    ) -> None:
        super().__init__(detail, code=code, retry_after=retry_after)
        self.limit = limit


class RateLimiterUnavailableError(DomainError):
    """The rate-limit storage is down and RATE_LIMIT_FAIL_OPEN is false."""

    code = "rate_limiter_unavailable"


class UnavailableError(DomainError):
    """A dependency or a bounded resource is saturated; retry later."""

    code = "service_unavailable"
