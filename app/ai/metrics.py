"""Metrics hooks of the AI layer. The gateway reports each completion to a `Recorder`; the
default records nothing. The operations work plugs in a Prometheus recorder
(`ai_requests_total{provider,model,outcome}`, `ai_tokens_total{provider,model,kind}`,
`ai_request_duration_seconds`, cache hits and misses) without touching the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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


class Recorder(Protocol):
    def completion(self, event: CompletionEvent) -> None: ...


class NoRecorder:
    def completion(self, event: CompletionEvent) -> None:
        return None
