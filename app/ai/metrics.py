"""Metrics hooks of the AI layer. The gateway reports each completion to a `Recorder`; the
default records nothing, and the app wires `PrometheusRecorder`
(`ai_requests_total{provider,model,outcome}`, `ai_tokens_total{provider,model,kind}`,
`ai_cost_usd_total{provider,model}`, `ai_request_duration_seconds{provider,model}`) without
touching the services. Circuit breakers report their state changes to `breaker_changed`
(`ai_breaker_state{provider}`, `ai_breaker_transitions_total{provider,state}`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from app.ai.breaker import State
from app.infra import metrics


@dataclass(frozen=True)
class CompletionEvent:
    provider: str
    model: str
    outcome: str  # "ok" or the error code
    prompt_tokens: int
    completion_tokens: int
    duration_s: float  # time waiting on the provider (0 for a cache hit)
    attempts: int
    cached: bool
    cost_usd: Decimal | None = None  # what the usage row records; None: price unknown


class Recorder(Protocol):
    def completion(self, event: CompletionEvent) -> None: ...


class NoRecorder:
    def completion(self, event: CompletionEvent) -> None:
        return None


class PrometheusRecorder:
    """`ai_requests_total`, `ai_tokens_total`, `ai_cost_usd_total` and
    `ai_request_duration_seconds`. A cache hit counts as a request with outcome `cached` and
    spends no tokens, no money and no time."""

    def completion(self, event: CompletionEvent) -> None:
        outcome = "cached" if event.cached else event.outcome
        metrics.AI_REQUESTS.labels(event.provider, event.model, outcome).inc()
        if event.cached:
            return
        spent = (("prompt", event.prompt_tokens), ("completion", event.completion_tokens))
        for kind, tokens in spent:
            if tokens:
                metrics.AI_TOKENS.labels(event.provider, event.model, kind).inc(tokens)
        if event.cost_usd:
            metrics.AI_COST.labels(event.provider, event.model).inc(float(event.cost_usd))
        metrics.AI_DURATION.labels(event.provider, event.model).observe(event.duration_s)


BREAKER_STATES: dict[State, int] = {"closed": 0, "half_open": 1, "open": 2}


def breaker_created(provider: str) -> None:
    metrics.AI_BREAKER_STATE.labels(provider).set(0)


def breaker_changed(provider: str, state: State) -> None:
    metrics.AI_BREAKER_STATE.labels(provider).set(BREAKER_STATES[state])
    metrics.AI_BREAKER_TRANSITIONS.labels(provider, state).inc()
