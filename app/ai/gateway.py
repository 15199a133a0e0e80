"""The AI layer as services see it: the configured providers, the allow-list of
provider/model pairs, the fallbacks and each provider's circuit breaker, the answer
schemas, the price table and the limits. One per process."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from app.ai.breaker import Breaker, BreakerView
from app.ai.budget import Budget, BudgetLimits
from app.ai.errors import UnsupportedModelError
from app.ai.fallback import Candidate, Route
from app.ai.metrics import NoRecorder, Recorder
from app.ai.pricing import PriceTable
from app.ai.providers.base import Provider
from app.ai.schemas import AnswerSchemas
from app.ai.types import ProviderRequest
from app.ai.warnings import Thresholds
from app.infra.cache import Cache, NoCache


@dataclass(frozen=True)
class AILimits:
    max_prompt_chars: int
    context_tokens: int
    validation_retries: int
    thresholds: Thresholds


@dataclass(frozen=True)
class CachePolicy:
    scope: Literal["user", "global"] = "user"
    nonzero_temperature: bool = False


@dataclass(frozen=True)
class ProviderHealth:
    reachable: bool
    latency_ms: float
    provider: str
    checked_at: float  # time.monotonic()


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
        cache: Cache | None = None,
        cache_policy: CachePolicy | None = None,
        health_ttl_seconds: float = 60.0,
        metrics: Recorder | None = None,
        fallbacks: Sequence[tuple[str, str]] = (),
        breakers: Mapping[str, Breaker] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self._providers = dict(providers)
        self._fallbacks = list(dict.fromkeys(fallbacks))
        # Allowed state: one breaker per provider, created here at startup and shared by
        # every thread (and the event loop) of the process.
        self._breakers = dict(breakers or {})
        self._allowed = list(dict.fromkeys(allowed))
        self.default = default
        self.schemas = schemas
        self.prices = prices
        self.limits = limits
        # Reservations against the daily budgets (nothing is counted without a store).
        self.budget = budget or Budget(None, BudgetLimits(), prices)
        self.cache: Cache = cache or NoCache()
        self.cache_policy = cache_policy or CachePolicy()
        self.metrics: Recorder = metrics or NoRecorder()
        self._health_ttl = health_ttl_seconds
        self._health: ProviderHealth | None = None
        self._health_lock = threading.Lock()

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

    def route(self, provider: str, model: str) -> Route:
        """The candidates for a request resolved to `provider`/`model`: that pair, then
        `AI_FALLBACKS` in order (the pair itself not twice)."""
        pairs = [(provider, model)] + [p for p in self._fallbacks if p != (provider, model)]
        return Route([Candidate(self._providers[p], m) for p, m in pairs], self._breakers)

    def breakers(self) -> list[BreakerView]:
        return [breaker.view() for breaker in self._breakers.values()]

    def cache_key(
        self,
        user_id: int,
        provider: str,
        request: ProviderRequest,
        *,
        wanted: bool,
        prompt_version: str | None = None,
    ) -> str | None:
        """The completion cache key, or None when this request is not to be cached
        (`cache: false`, or a temperature above 0 unless configured otherwise)."""
        if isinstance(self.cache, NoCache) or not wanted:
            return None
        # Only answers sampled at temperature 0 are meant to repeat. No temperature means
        # the provider's default (OpenAI: 1), and a provider that takes none samples freely.
        fixed = request.temperature == 0 and self._providers[provider].supports_temperature
        if not fixed and not self.cache_policy.nonzero_temperature:
            return None
        material = {
            "provider": provider,
            "model": request.model,
            "messages": [[m.role, m.content] for m in request.messages],
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            # The whole schema, not only its name: a client's own schema (the OpenAI-
            # compatible endpoint) may reuse a name with other rules. And how it went
            # upstream: strict, as sent (`strict: false`) or JSON mode answer differently.
            "schema": (
                [
                    request.output.name,
                    request.output.schema,
                    request.output.strict is not None,
                    request.output.json_object,
                ]
                if request.output
                else None
            ),
            "stop": list(request.stop),
            "prompt_version": prompt_version,
        }
        digest = hashlib.sha256(
            json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        scope = "global" if self.cache_policy.scope == "global" else f"user:{user_id}"
        return f"ai:completion:{scope}:{digest}"

    def health(self) -> ProviderHealth:
        """The default provider's reachability, checked at most once per TTL per process
        (a health probe must not turn into a paid or rate-limited call per request)."""
        with self._health_lock:
            known = self._health
            now = time.monotonic()
            if known is not None and now - known.checked_at < self._health_ttl:
                return known
            name = self.default[0]
            started = time.perf_counter()
            reachable = self._providers[name].check()  # bounded: a short timeout, no retry
            latency = round((time.perf_counter() - started) * 1000, 2)
            self._health = ProviderHealth(reachable, latency, name, time.monotonic())
            return self._health
