"""Cost estimates from a price table: US dollars per million prompt / completion tokens.

Built-in prices cover common models; `AI_PRICES` (JSON, `{"provider:model": [in, out]}`)
adds or overrides entries. Unknown models cost 0 (and say so in the usage record's model
name only: estimates are never invented).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

MILLION = Decimal(1_000_000)
MICRO_DOLLAR = Decimal("0.000001")
BUILT_IN: dict[str, tuple[str, str]] = {
    "fake:fake-1": ("0", "0"),
    "openai:gpt-4o-mini": ("0.15", "0.60"),
    "openai:gpt-4o": ("2.50", "10.00"),
    "openai:gpt-4.1-mini": ("0.40", "1.60"),
    "openai:gpt-4.1": ("2.00", "8.00"),
    "anthropic:claude-haiku-4-5": ("1.00", "5.00"),
    "anthropic:claude-sonnet-4-5": ("3.00", "15.00"),
    "anthropic:claude-opus-4-1": ("15.00", "75.00"),
}


class PriceTable:
    def __init__(self, overrides: Mapping[str, tuple[float | str, float | str]]) -> None:
        merged = {**BUILT_IN, **{k: (str(a), str(b)) for k, (a, b) in overrides.items()}}
        self._prices = {key: (Decimal(a), Decimal(b)) for key, (a, b) in merged.items()}

    def price(self, provider: str, model: str) -> tuple[Decimal, Decimal] | None:
        """Dollars per million prompt and completion tokens; None when unknown."""
        return self._prices.get(f"{provider}:{model}")

    def cost(
        self, provider: str, model: str, prompt_tokens: int, completion_tokens: int
    ) -> Decimal:
        """Dollars, rounded to the micro-dollar."""
        prices = self._prices.get(f"{provider}:{model}")
        if prices is None:
            return Decimal("0.000000")
        price_in, price_out = prices
        total = (price_in * prompt_tokens + price_out * completion_tokens) / MILLION
        return total.quantize(MICRO_DOLLAR, rounding=ROUND_HALF_UP)
