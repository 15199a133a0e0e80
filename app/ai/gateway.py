"""The AI layer as services see it: the configured providers, the allow-list of
provider/model pairs, the answer schemas, the price table and the limits. One per process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.ai.errors import UnsupportedModelError
from app.ai.pricing import PriceTable
from app.ai.providers.base import Provider
from app.ai.schemas import AnswerSchemas
from app.ai.warnings import Thresholds


@dataclass(frozen=True)
class AILimits:
    max_prompt_chars: int
    context_tokens: int
    validation_retries: int
    thresholds: Thresholds


class AIGateway:
    def __init__(
        self,
        *,
        providers: Mapping[str, Provider],
        allowed: Sequence[tuple[str, str]],
        default: tuple[str, str],
        schemas: AnswerSchemas,
        prices: PriceTable,
        limits: AILimits,
    ) -> None:
        self._providers = dict(providers)
        self._allowed = list(dict.fromkeys(allowed))
        self.default = default
        self.schemas = schemas
        self.prices = prices
        self.limits = limits

    @property
    def allowed_models(self) -> list[str]:
        return [f"{p}:{m}" for p, m in self._allowed]

    def provider(self, name: str) -> Provider:
        return self._providers[name]

    def resolve(self, provider: str | None, model: str | None) -> tuple[Provider, str]:
        """The provider and model to use: the defaults, or the requested pair if allowed.
        A provider named without a model gets its first allowed model."""
        name = provider or self.default[0]
        if model is None:
            if name == self.default[0]:
                model = self.default[1]
            else:
                model = next((m for p, m in self._allowed if p == name), None)
        if model is None or (name, model) not in self._allowed:
            asked = f"{name}:{model}" if model else name
            raise UnsupportedModelError(
                f"{asked} is not allowed here; allowed: {', '.join(self.allowed_models)}."
            )
        return self._providers[name], model
