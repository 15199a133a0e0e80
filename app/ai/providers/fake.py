"""The deterministic fake: instant (unless told to be slow), free, and schema-valid.

The embedded default and the test double. The same request always gives the same answer:
text derived from the last user message, or an instance of the requested JSON Schema
built from its constraints. Settings make it misbehave on purpose: `AI_FAKE_LATENCY_MS`
(slow), `AI_FAKE_FAIL_STATUS` (fail as a provider answering that status would) and
`AI_FAKE_INVALID_ANSWERS` (the first N answers of each request are not valid JSON);
`AI_FAKE_STREAM_PAUSE_MS` spaces streamed words out (long-lived streams for tests and bench).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import AsyncGenerator
from typing import Any

import anyio

from app.ai.errors import (
    AIProviderAuthError,
    AIProviderDownError,
    AIProviderError,
    AIRateLimitedError,
    AIRefusedError,
    AITimeoutError,
)
from app.ai.providers.base import estimate_tokens
from app.ai.types import ProviderRequest, ProviderResult, StreamChunk

MODEL = "fake-1"


class FakeProvider:
    name = "fake"
    supports_temperature = True  # deterministic whatever the temperature

    def __init__(
        self,
        *,
        latency_s: float = 0.0,
        fail_status: int | None = None,
        invalid_answers: int = 0,
        stream_pause_s: float = 0.0,
    ) -> None:
        self._latency = latency_s
        self._stream_pause = stream_pause_s
        self._fail_status = fail_status
        self._invalid_answers = invalid_answers
        # Answers given per conversation, so "the first N are invalid" holds per request
        # (a repair re-asks with the same conversation plus the errors).
        self._given: dict[str, int] = {}
        self._lock = threading.Lock()

    def complete(self, request: ProviderRequest) -> ProviderResult:
        if self._latency:
            time.sleep(self._latency)
        return self._answer_now(request)

    def _answer_now(self, request: ProviderRequest) -> ProviderResult:
        if self._fail_status is not None:
            _fail(self._fail_status)
        prompt = "\n".join(m.content for m in request.messages)
        text = self._answer(request)
        finish = "stop"
        if request.output is None:  # like a real model: the answer ends before a stop sequence
            cuts = [text.find(s) for s in request.stop if s and s in text]
            text = text[: min(cuts)] if cuts else text
        too_long = request.max_tokens is not None and estimate_tokens(text) > request.max_tokens
        if too_long and request.output is None and request.max_tokens is not None:
            text, finish = text[: request.max_tokens * 4], "length"
        return ProviderResult(
            text=text,
            model=request.model,
            prompt_tokens=estimate_tokens(prompt),
            completion_tokens=estimate_tokens(text),
            finish_reason="length" if finish == "length" else "stop",
        )

    async def astream(self, request: ProviderRequest) -> AsyncGenerator[StreamChunk, None]:
        """The same answer as `complete`, word by word (`stream_pause_s` apart)."""
        if self._latency:
            await anyio.sleep(self._latency)
        result = self._answer_now(request)
        words = result.text.split(" ")
        for i, word in enumerate(words):
            if i and self._stream_pause:
                await anyio.sleep(self._stream_pause)
            yield StreamChunk(text=word if i == 0 else " " + word)
        yield StreamChunk(
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            finish_reason=result.finish_reason,
        )

    def check(self) -> bool:
        return self._fail_status is None

    def _answer(self, request: ProviderRequest) -> str:
        first = next((m.content for m in request.messages if m.role == "user"), "")
        seed = hashlib.sha256(first.encode()).hexdigest()[:8]
        if self._invalid_answers:
            with self._lock:
                given = self._given.get(seed, 0)
                self._given[seed] = given + 1
                if len(self._given) > 10_000:  # bounded: forget old conversations
                    self._given.clear()
            if given < self._invalid_answers:
                return '{"this is": not JSON'
        if request.output is not None:
            return json.dumps(instance(request.output.schema, seed), separators=(",", ":"))
        last = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
        words = " ".join(last.split()[:12])
        return f"Fake answer {seed} to: {words}"


def _fail(status: int) -> None:
    if status in (401, 403):
        raise AIProviderAuthError("The AI provider rejected the credentials.")
    if status == 429:
        raise AIRateLimitedError("The AI provider is rate limiting us.", retry_after=1)
    if status in (408, 504):
        raise AITimeoutError("The AI provider did not answer in time.")
    if status == 451:
        raise AIRefusedError("The model declined to answer.")
    if status >= 500:
        raise AIProviderDownError(f"The AI provider failed (status {status}).")
    raise AIProviderError(f"The AI provider failed (status {status}).")


def instance(schema: dict[str, Any], seed: str, name: str = "value") -> Any:  # noqa: PLR0911
    """A deterministic value valid against `schema` (the subset our answer schemas use)."""
    if "anyOf" in schema or "oneOf" in schema:
        return instance((schema.get("anyOf") or schema["oneOf"])[0], seed, name)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        props: dict[str, Any] = schema.get("properties", {})
        return {key: instance(sub, seed, key) for key, sub in props.items()}
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        count = min(count, schema.get("maxItems", count))
        return [instance(schema.get("items", {}), seed, name) for _ in range(count)]
    if kind == "string":
        text = f"fake {name} {seed}"[: schema.get("maxLength", 10_000)]
        return text.ljust(schema.get("minLength", 0), "x")
    if kind == "integer":
        low, high = schema.get("minimum", 1), schema.get("maximum", 10**6)
        return int(min(max(1, low), high))
    if kind == "number":
        low, high = schema.get("minimum", 0), schema.get("maximum", 10**6)
        return float(min(max(0.9, low), high))
    if kind == "boolean":
        return True
    return None
