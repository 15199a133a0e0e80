"""Failures of the LLM layer, each with its stable `code` (statuses: app/http/problems.py).

Providers translate their SDK's exceptions into these; the SDK's message and the provider's
error body never travel further (they can hold keys, prompts or internals).
"""

from __future__ import annotations

from app.errors import DomainError


class UnsupportedModelError(DomainError):
    code = "unsupported_model"


class PromptTooLongError(DomainError):
    code = "prompt_too_long"


class AIRefusedError(DomainError):
    """The model declined to answer, or the provider's content filter stopped it."""

    code = "ai_refused"


class AIInvalidOutputError(DomainError):
    """Every attempt's answer broke the response schema; `errors` lists each attempt's."""

    code = "ai_invalid_output"


class AIProviderAuthError(DomainError):
    """The provider refused our credentials: an operator problem, not the caller's."""

    code = "ai_provider_auth"


class AIProviderError(DomainError):
    """The provider failed (5xx after retries, a connection error, a request it rejected)."""

    code = "ai_provider_error"


class AIProviderDownError(AIProviderError):
    """The provider answered 5xx or could not be reached: the same code for the caller,
    but a failure another provider may not share (so it counts for fallback and breaker)."""


class AIProviderUnavailableError(DomainError):
    """No provider could be asked: every candidate failed or its breaker is open."""

    code = "ai_provider_unavailable"


class AIRateLimitedError(DomainError):
    """The provider still said 429 after our retries."""

    code = "ai_rate_limited"


class AITimeoutError(DomainError):
    code = "ai_timeout"


class AIOutputTruncatedError(DomainError):
    """A structured answer was cut at `max_tokens` before it was complete: repairing with
    the same limit would only cut it again, so the caller is told to raise the limit."""

    code = "ai_output_truncated"


class AIQuotaExceededError(DomainError):
    """The caller used their daily token allowance; `retry_after` runs to its reset."""

    code = "ai_quota_exceeded"


def is_retryable(exc: BaseException) -> bool:
    """A failure of the provider, not of the request: a timeout, a connection error, 429,
    5xx, overloaded. Another provider may answer it (fallback), and it counts towards the
    provider's circuit breaker. Request errors (4xx), refusals and invalid answers do not."""
    return isinstance(exc, AITimeoutError | AIRateLimitedError | AIProviderDownError)
