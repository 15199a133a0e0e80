"""What a call costs, in US dollars: `AI_PRICES` first (`{"provider:model": [in, out]}`, per
million prompt / completion tokens), then the table `genai-prices` ships (maintained by the
pydantic team). Its data is bundled with the package: nothing is fetched at run time (its
auto-update is never started). The fake provider costs 0.

A model neither knows has no price: `price` and `cost` return None (unknown, never 0), and
callers say so (`unknown_price` warning, a null `cost_usd`). Lookups are cached per
(provider, model) for the process: genai-prices' table loads on the first lookup (about a
third of a second), not at start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import structlog

MILLION = Decimal(1_000_000)
MICRO_DOLLAR = Decimal("0.000001")
FREE_PROVIDERS = frozenset({"fake"})  # deterministic answers, no bill
# Our provider names -> genai-prices provider ids. Azure's own table falls back to OpenAI's
# models; an Azure deployment name that is not a model name needs an `AI_PRICES` entry.
PROVIDER_IDS = {"openai": "openai", "azure": "azure", "anthropic": "anthropic"}

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class _Price:
    per_million: tuple[Decimal, Decimal]  # the base rates (what `price` returns)
    model_price: Any = None  # genai-prices' ModelPrice (tiers included), if it came from there

    def cost(self, prompt_tokens: int, completion_tokens: int) -> Decimal:
        if self.model_price is not None:
            from genai_prices import Usage  # noqa: PLC0415 - loaded with the table

            usage = Usage(input_tokens=prompt_tokens, output_tokens=completion_tokens)
            total = Decimal(self.model_price.calc_price(usage)["total_price"])
        else:
            price_in, price_out = self.per_million
            total = (price_in * prompt_tokens + price_out * completion_tokens) / MILLION
        return total.quantize(MICRO_DOLLAR, rounding=ROUND_HALF_UP)


def _base(value: Any) -> Decimal:
    """A flat price, or the base rate of a tiered one (dearer past e.g. 200K prompt tokens)."""
    if value is None:
        return Decimal(0)
    return Decimal(getattr(value, "base", value))


def _maintained(provider: str, model: str) -> _Price | None:
    """genai-prices' current price for the model, or None when it has none."""
    provider_id = PROVIDER_IDS.get(provider)
    if provider_id is None:
        return None
    from genai_prices import data_snapshot  # noqa: PLC0415 - a large table: load on first use

    try:
        _, info = data_snapshot.get_snapshot().find_provider_model(model, None, provider_id, None)
        model_price = info.get_prices(datetime.now(tz=UTC))
    except LookupError:
        return None
    price_in, price_out = model_price.input_mtok, model_price.output_mtok
    if price_in is None and price_out is None:
        return None  # priced per request, image or second, not per token
    return _Price((_base(price_in), _base(price_out)), model_price)


class PriceTable:
    def __init__(self, overrides: Mapping[str, tuple[float | str, float | str]]) -> None:
        self._overrides = {
            key: _Price((Decimal(str(a)), Decimal(str(b)))) for key, (a, b) in overrides.items()
        }
        # Filled on first lookup; a dict write is atomic, and two threads that look up the
        # same model at once store the same answer.
        self._known: dict[tuple[str, str], _Price | None] = {}

    def _lookup(self, provider: str, model: str) -> _Price | None:
        key = (provider, model)
        if key in self._known:
            return self._known[key]
        found = self._overrides.get(f"{provider}:{model}")
        if found is None and provider in FREE_PROVIDERS:
            found = _Price((Decimal(0), Decimal(0)))
        if found is None:
            found = _maintained(provider, model)
        if found is None:
            log.warning("ai_price_unknown", provider=provider, model=model)
        self._known[key] = found
        return found

    def price(self, provider: str, model: str) -> tuple[Decimal, Decimal] | None:
        """US dollars per million prompt and completion tokens, or None when unknown.
        A tiered price gives its base rate (`cost` applies the tiers)."""
        found = self._lookup(provider, model)
        return found.per_million if found is not None else None

    def cost(
        self, provider: str, model: str, prompt_tokens: int, completion_tokens: int
    ) -> Decimal | None:
        """US dollars rounded to the micro-dollar, or None when the price is unknown."""
        found = self._lookup(provider, model)
        return found.cost(prompt_tokens, completion_tokens) if found is not None else None
