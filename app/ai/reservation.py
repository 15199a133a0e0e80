"""What one request holds against its budgets from `Budget.reserve` until it settles: the
worst case of each provider call, replaced by the real usage at the end (see app/ai/budget.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING

import structlog

from app.ai.budget_store import MICROS, Line
from app.ai.errors import AIQuotaExceededError
from app.ai.quota import Quota, today_window
from app.errors import UnavailableError

if TYPE_CHECKING:
    from app.ai.budget import Budget

log = structlog.get_logger(__name__)


def refusal(line: Line, tokens: int, micros: int, what: str = "This call") -> AIQuotaExceededError:
    """429 `ai_quota_exceeded`, with `Retry-After` running to midnight UTC."""
    _, reset = today_window()
    quota = Quota(limit=1, used=1, resets_at=reset)
    whose = "this API key's" if line.scope.startswith("key:") else "your"
    limits = []
    if line.token_limit:
        limits.append(f"{line.token_limit} tokens")
    if line.micro_limit:
        limits.append(f"${Decimal(line.micro_limit) / MICROS:.2f}")
    cost = f" (${Decimal(micros) / MICROS:.6f})" if micros else ""
    return AIQuotaExceededError(
        f"{what} may use up to {tokens} tokens{cost}, more than is left of {whose} daily "
        f"AI budget of {' and '.join(limits)}; it resets at "
        f"{reset.isoformat().replace('+00:00', 'Z')}.",
        retry_after=quota.retry_after,
    )


class Reservation:
    """What one request holds against its budgets until it settles."""

    def __init__(
        self,
        budget: Budget,
        *,
        day: date,
        lines: list[Line],
        provider: str,
        model: str,
        operation: str,
    ) -> None:
        self._budget = budget
        self._day = day
        self._lines = lines
        self.provider = provider
        self.model = model
        self.operation = operation
        self.tokens = 0  # reserved so far
        self.micros = 0
        self._started = 0
        self.settled = False

    def cover(self, prompt_tokens: int, max_tokens: int) -> None:
        """Before each provider call: the first is covered by `reserve`; each further one
        (a repair) reserves its own worst case, or raises `ai_quota_exceeded`."""
        tokens = prompt_tokens + max_tokens
        micros = self._budget.worst_micros(self.provider, self.model, prompt_tokens, max_tokens)
        store = self._budget.store
        if self._lines and store is not None:
            wanted = [replace(line, tokens=tokens, micros=micros) for line in self._lines]
            try:
                refused = store.try_add(self._day, wanted)
            except Exception as exc:  # a cap that cannot be checked is not enforced silently
                log.error("ai_budget_store_failed", error=type(exc).__name__)
                raise UnavailableError(
                    "The AI budget cannot be checked right now; retry shortly.", retry_after=5
                ) from None
            if refused is not None:
                raise refusal(refused, tokens, micros)
        self.tokens += tokens
        self.micros += micros

    def next_call(self, prompt_tokens: int, max_tokens: int) -> None:
        """Before each provider call of the request: the first was reserved by `reserve`."""
        self._started += 1
        if self._started > 1:
            self.cover(prompt_tokens, max_tokens)

    def settle(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Replace the reservation by the real usage (once; later calls do nothing)."""
        if self.settled:
            return
        self.settled = True
        store = self._budget.store
        if not self._lines or store is None:
            return
        tokens = prompt_tokens + completion_tokens - self.tokens
        micros = (
            self._budget.actual_micros(self.provider, self.model, prompt_tokens, completion_tokens)
            - self.micros
        )
        if not (tokens or micros):
            return
        try:
            store.add(
                self._day, [replace(line, tokens=tokens, micros=micros) for line in self._lines]
            )
        except Exception as exc:  # the worst case stays charged: never more than the cap
            log.error("ai_budget_settle_failed", error=type(exc).__name__, tokens=tokens)

    def __enter__(self) -> Reservation:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if not self.settled:
            # The block ended before any usage was known: nothing was spent.
            log.warning("ai_reservation_unsettled", operation=self.operation, error=kind)
            self.settle(0, 0)
