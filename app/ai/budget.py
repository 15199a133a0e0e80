"""Budgets that are caps: reserve a call's worst case before it is made, settle to what it
really used when it ends.

Each user has a daily allowance per UTC day in tokens (`AI_DAILY_TOKENS_<ROLE>`) and in
dollars (`AI_DAILY_USD_<ROLE>`); an API key may have its own daily dollar cap. Before a
provider call, `Budget.reserve` adds the call's worst case (the prompt estimate plus
`max_tokens`, and its price) to every counter that has a limit, atomically and only if all
of them stay within it; otherwise 429 `ai_quota_exceeded`. `Reservation.settle` replaces
the worst case by the real usage. A call that never settles (its worker was killed) keeps
its worst case as the charge. A repair attempt (`Reservation.cover`) reserves its own worst
case before it is sent. So requests in flight can never take a user past the cap; only a
provider counting more tokens than the estimate (about four characters a token) can.

    with budget.reserve(principal, provider=p, model=m, prompt_tokens=est,
                        max_tokens=n, operation="completion") as reservation:
        ... one provider call (or a validate-and-repair loop, `cover` before each) ...
        reservation.settle(prompt_tokens, completion_tokens)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import structlog

from app.accounts.principal import Principal
from app.ai.budget_store import MICROS, CounterStore, Line
from app.ai.pricing import PriceTable
from app.ai.quota import today_window
from app.ai.reservation import Reservation, refusal
from app.errors import DomainError, field_error

log = structlog.get_logger(__name__)


class UnknownPriceError(DomainError):
    """A dollar budget applies, and the model's price is not known."""

    code = "unknown_price"


class MaxTokensTooLargeError(DomainError):
    code = "max_tokens_too_large"


@dataclass(frozen=True)
class BudgetLimits:
    """By role name; 0 (or missing) = unlimited."""

    daily_tokens: Mapping[str, int] = field(default_factory=dict)
    daily_usd: Mapping[str, Decimal] = field(default_factory=dict)
    # The most output tokens a request may ask for, and what it gets when it names none.
    max_output_tokens: Mapping[str, int] = field(default_factory=dict)
    default_max_tokens: int = 1024
    allow_unknown_prices: bool = False


@dataclass(frozen=True)
class Standing:
    """Today's charge (settled usage + reservations) against each limit (0 = none)."""

    token_limit: int
    tokens: int
    usd_limit: Decimal
    usd: Decimal
    resets_at: datetime


def _micros(usd: Decimal) -> int:
    return int(usd * MICROS)


class Budget:
    """One per process. `store` None: nothing is counted (no limits can be enforced)."""

    def __init__(self, store: CounterStore | None, limits: BudgetLimits, prices: PriceTable):
        self.store = store
        self.limits = limits
        self.prices = prices

    def max_tokens(self, role: str, requested: int | None) -> int:
        """The request's output limit: what it asked for (refused above the role's ceiling)
        or, when it asked for none, the default within the ceiling."""
        ceiling = self.limits.max_output_tokens.get(role) or self.limits.default_max_tokens
        if requested is None:
            return min(self.limits.default_max_tokens, ceiling)
        if requested > ceiling:
            raise MaxTokensTooLargeError(
                f"max_tokens is {requested}; the {role} role may ask for at most {ceiling}.",
                errors=[field_error("body", "max_tokens", f"At most {ceiling}.")],
            )
        return requested

    def _lines(self, principal: Principal) -> list[Line]:
        role = principal.role.value
        lines = []
        tokens = self.limits.daily_tokens.get(role, 0)
        usd = _micros(self.limits.daily_usd.get(role, Decimal(0)))
        if tokens or usd:
            lines.append(Line(f"user:{principal.user_id}", 0, 0, tokens, usd))
        key_usd = principal.api_key_daily_usd
        if principal.api_key_id is not None and key_usd is not None:
            lines.append(Line(f"key:{principal.api_key_id}", 0, 0, 0, _micros(key_usd)))
        return lines

    def worst_micros(self, provider: str, model: str, prompt: int, completion: int) -> int:
        price = self.prices.price(provider, model)
        if price is None:
            return 0
        return math.ceil(price[0] * prompt + price[1] * completion)

    def actual_micros(self, provider: str, model: str, prompt: int, completion: int) -> int:
        """The cost as the usage row records it (rounded to the micro-dollar)."""
        cost = self.prices.cost(provider, model, prompt, completion)
        return 0 if cost is None else _micros(cost)

    def reserve(
        self,
        principal: Principal,
        *,
        provider: str,
        model: str,
        prompt_tokens: int,
        max_tokens: int,
        operation: str,
    ) -> Reservation:
        """Reserve one call's worst case, or raise `ai_quota_exceeded` (429) /
        `unknown_price` (400: a dollar budget applies and the model's price is unknown)."""
        lines = self._lines(principal) if self.store is not None else []
        self._check_priced(lines, provider, model)
        day, _ = today_window()
        reservation = Reservation(
            self, day=day.date(), lines=lines, provider=provider, model=model, operation=operation
        )
        reservation.cover(prompt_tokens, max_tokens)
        return reservation

    def check_priced(self, principal: Principal, *, provider: str, model: str) -> None:
        """Refuse now (400 `unknown_price`) a model that could never be reserved: its
        price is unknown and a dollar budget applies (a job at submission)."""
        if self.store is not None:
            self._check_priced(self._lines(principal), provider, model)

    def _check_priced(self, lines: list[Line], provider: str, model: str) -> None:
        if (
            any(line.micro_limit for line in lines)
            and self.prices.price(provider, model) is None
            and not self.limits.allow_unknown_prices
        ):
            raise UnknownPriceError(
                f"The price of {provider}:{model} is not known, and a dollar budget applies; "
                "ask an operator to add it (AI_PRICES) or allow it (AI_ALLOW_UNKNOWN_PRICES)."
            )

    def check_fits(
        self, principal: Principal, *, tokens: int, micros: int, what: str = "This request"
    ) -> None:
        """Refuse now (429) what cannot fit in what is left today: a look, nothing is
        reserved (a job at submission, a batch as a whole)."""
        if self.store is None:
            return
        start, _ = today_window()
        for line in self._lines(principal):
            try:
                used_tokens, used_micros = self.store.read(start.date(), line.scope)
            except Exception as exc:  # each call's own reservation still enforces the cap
                log.warning("ai_budget_read_failed", error=type(exc).__name__)
                return
            if (line.token_limit and used_tokens + tokens > line.token_limit) or (
                line.micro_limit and used_micros + micros > line.micro_limit
            ):
                raise refusal(line, tokens, micros, what)

    def standing(self, principal: Principal) -> Standing:
        role = principal.role.value
        start, reset = today_window()
        tokens = micros = 0
        if self.store is not None:
            try:
                tokens, micros = self.store.read(start.date(), f"user:{principal.user_id}")
            except Exception as exc:  # a report: show the settled usage alone
                log.warning("ai_budget_read_failed", error=type(exc).__name__)
        return Standing(
            token_limit=self.limits.daily_tokens.get(role, 0),
            tokens=tokens,
            usd_limit=self.limits.daily_usd.get(role, Decimal(0)),
            usd=Decimal(micros) / MICROS,
            resets_at=reset,
        )
