"""The providers one request may be answered by, in order, and what happened to each.

The chosen provider/model first, then `AI_FALLBACKS`. A candidate whose circuit breaker is
open is skipped at once; a candidate that fails with a retryable error (`is_retryable`:
timeout, connection error, 429, 5xx, overloaded) hands over to the next one. Any other
failure (a request error, a refusal, an invalid answer) ends the request: another provider
would only be asked the same thing. Callers write ONE loop, one provider call (with its
SDK retries and repairs) per iteration:

    with gateway.route(provider, model) as route:
        for candidate in route:
            try:
                answer = ask(candidate.provider, candidate.model)
            except DomainError as exc:
                if route.failed(candidate, exc):
                    continue   # retryable: the next candidate
                raise
            route.succeeded(candidate)
            break
        else:
            raise route.exhausted()
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from app.ai.breaker import Admission, Breaker
from app.ai.errors import AIProviderUnavailableError, is_retryable
from app.ai.providers.base import Provider
from app.errors import DomainError

SKIPPED = "circuit_open"  # the failure code of a candidate skipped by its open breaker


@dataclass(frozen=True)
class Candidate:
    provider: Provider
    model: str


@dataclass(frozen=True)
class Failure:
    provider: str
    model: str
    code: str  # the error code, or `circuit_open` (skipped, not called)
    retry_after: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "code": self.code}


class Route:
    def __init__(self, candidates: Sequence[Candidate], breakers: Mapping[str, Breaker]) -> None:
        self._candidates = list(candidates)
        self._breakers = breakers
        self._held: Admission | None = None
        self._errors: list[DomainError] = []
        self.failures: list[Failure] = []

    def __iter__(self) -> Iterator[Candidate]:
        """The candidates to call, in order; those whose breaker is open are noted and skipped."""
        for candidate in self._candidates:
            name = candidate.provider.name
            breaker = self._breakers.get(name)
            admission = breaker.admit() if breaker else Admission(name, probe=False)
            if admission is None:
                assert breaker is not None
                self.failures.append(Failure(name, candidate.model, SKIPPED, breaker.retry_after()))
                continue
            self._held = admission
            yield candidate

    def failed(self, candidate: Candidate, exc: DomainError) -> bool:
        """Note how the call ended; True when the next candidate may answer instead."""
        retryable = is_retryable(exc)
        self._settle(ok=not retryable)
        if retryable:
            self.failures.append(
                Failure(candidate.provider.name, candidate.model, exc.code, exc.retry_after)
            )
            self._errors.append(exc)
        return retryable

    def passed_over(self, candidate: Candidate, code: str) -> bool:
        """A fallback that cannot be asked for a reason of ours (its price is unknown under
        a dollar budget): noted, not called, no breaker verdict. True when the caller may
        go on to the next candidate; the chosen provider is never passed over."""
        if candidate == self._candidates[0]:
            return False
        self._settle(ok=None)
        self.failures.append(Failure(candidate.provider.name, candidate.model, code, None))
        return True

    def succeeded(self, candidate: Candidate) -> None:
        self._settle(ok=True)

    def exhausted(self) -> DomainError:
        """The error once no candidate answered: a lone provider's own error (as without
        fallbacks), else `ai_provider_unavailable` naming each provider and why."""
        if len(self.failures) == 1 and self._errors:
            return self._errors[0]
        waits = [f.retry_after for f in self.failures if f.retry_after]
        listed = ", ".join(f"{f.provider}:{f.model} ({f.code})" for f in self.failures)
        return AIProviderUnavailableError(
            f"No AI provider could answer: {listed}.", retry_after=min(waits, default=10)
        )

    def warning(self, answered: Candidate) -> dict[str, Any] | None:
        """The `provider_fallback` warning when someone other than the first candidate
        answered (None otherwise)."""
        if not self.failures:
            return None
        failed = ", ".join(f"{f.provider} ({f.code})" for f in self.failures)
        return {
            "code": "provider_fallback",
            "message": f"Answered by {answered.provider.name} after {failed}.",
            "details": {
                "provider": answered.provider.name,
                "model": answered.model,
                "failed": [f.as_dict() for f in self.failures],
            },
        }

    def _settle(self, *, ok: bool | None) -> None:
        held, self._held = self._held, None
        if held is not None and held.provider in self._breakers:
            self._breakers[held.provider].settle(held, ok=ok)

    def __enter__(self) -> Route:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # A call that ended otherwise (cancelled, our own bug) gives no verdict.
        self._settle(ok=None)
