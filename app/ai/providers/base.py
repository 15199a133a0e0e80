"""The provider interface every implementation meets."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Protocol

from app.ai.types import ProviderRequest, ProviderResult, StreamChunk


class Provider(Protocol):
    """One configured backend. Built once per process; safe to share between threads.

    `complete` raises the errors of `app.ai.errors` (never an SDK's exception), after the
    SDK's own retries with backoff on 429, 5xx and timeouts. It blocks: it runs in a request
    thread. `astream` is a coroutine iterator: streams stay open for the whole answer, so
    they are served on the event loop (no thread held per stream), and closing the
    iterator (the client left) closes the upstream request.
    """

    name: str
    # False when the provider ignores `temperature` (answers are never fixed, so not cached).
    supports_temperature: bool

    def complete(self, request: ProviderRequest) -> ProviderResult: ...

    def astream(self, request: ProviderRequest) -> AsyncGenerator[StreamChunk, None]: ...

    def check(self) -> bool:
        """Is the provider reachable with our credentials? (No paid call where avoidable.)"""
        ...


def estimate_tokens(text: str) -> int:
    """About four characters per token: good enough for limits and the fake's usage."""
    return max(1, (len(text) + 3) // 4)
