"""The warnings a completion can carry (the envelope's `warnings`): non-fatal remarks a
client may act on. Codes are stable; thresholds come from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.ai.types import RateLimits


@dataclass(frozen=True)
class Thresholds:
    low_confidence: float
    high_token_usage: int
    slow_ms: int
    rate_limit_ratio: float


class WarningCollector:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, code: str, message: str, **details: Any) -> None:
        self.items.append({"code": code, "message": message, "details": details or None})

    def inspect(
        self,
        thresholds: Thresholds,
        *,
        answer: dict[str, Any] | None,
        total_tokens: int,
        latency_ms: int,
        attempts: int,
        truncated: bool,
        max_tokens: int | None,
        rate_limits: RateLimits,
        cached: bool,
        unpriced: tuple[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Every warning that applies to one completion, in a stable order. `unpriced`: the
        (provider, model) that answered, when its price is unknown (the cost is null)."""
        if cached:
            self.add("cached", "Served from the completion cache; no provider call was made.")
        if truncated:
            self.add(
                "truncated",
                "The answer was cut at the token limit.",
                max_tokens=max_tokens,
            )
        if attempts > 1:
            self.add(
                "validation_warning",
                "The model's answer needed repair before it matched the schema.",
                attempts=attempts,
            )
        confidence = (answer or {}).get("confidence_score")
        if isinstance(confidence, int | float) and confidence < thresholds.low_confidence:
            self.add(
                "low_confidence",
                "The model reported low confidence in this answer.",
                confidence_score=confidence,
                threshold=thresholds.low_confidence,
            )
        if total_tokens > thresholds.high_token_usage:
            self.add(
                "high_token_usage",
                "This request used many tokens.",
                total_tokens=total_tokens,
                threshold=thresholds.high_token_usage,
            )
        if latency_ms > thresholds.slow_ms:
            self.add(
                "performance_warning",
                "The provider was slow to answer.",
                latency_ms=latency_ms,
                threshold_ms=thresholds.slow_ms,
            )
        if unpriced is not None:
            provider, model = unpriced
            self.add(
                "unknown_price",
                f"No price is known for {provider}:{model}, so the cost is null; set "
                "AI_PRICES to price it.",
                provider=provider,
                model=model,
            )
        self._rate_limits(thresholds, rate_limits)
        return self.items

    def _rate_limits(self, thresholds: Thresholds, limits: RateLimits) -> None:
        for kind, left, limit in (
            ("requests", limits.remaining_requests, limits.limit_requests),
            ("tokens", limits.remaining_tokens, limits.limit_tokens),
        ):
            if left is not None and limit and left / limit < thresholds.rate_limit_ratio:
                self.add(
                    "rate_limit_warning",
                    f"The provider's {kind} rate limit is nearly used up.",
                    kind=kind,
                    remaining=left,
                    limit=limit,
                )
