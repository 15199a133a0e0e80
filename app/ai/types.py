"""What crosses the provider interface: a request, a completion, stream chunks, limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Who wrote a chat message (not a user's account role: that is app.accounts.models.Role).
MessageRole = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length"]


@dataclass(frozen=True)
class Message:
    role: MessageRole
    content: str


@dataclass(frozen=True)
class OutputSchema:
    """A JSON Schema the answer must match: `schema` as the spec states it, `strict` the
    form OpenAI's strict mode needs (every property required, no extra properties), or None
    when the schema goes upstream as it is, without strict mode (a client's `strict: false`).
    `json_object` is OpenAI's JSON mode: any JSON object, no schema to send."""

    name: str
    schema: dict[str, Any]
    strict: dict[str, Any] | None
    json_object: bool = False


@dataclass(frozen=True)
class ProviderRequest:
    model: str
    messages: tuple[Message, ...]
    temperature: float | None = None
    max_tokens: int | None = None
    output: OutputSchema | None = None
    # Sequences that end the answer where they would begin (not part of it); at most 4.
    stop: tuple[str, ...] = ()
    # The versioned prompt the messages come from (`recipe/v1`), if any. Never sent to the
    # provider: it labels the call's span (`app.ai.prompt_version`).
    prompt_version: str | None = None


@dataclass(frozen=True)
class RateLimits:
    """What the provider said is left in its current window (response headers), if anything."""

    remaining_requests: int | None = None
    limit_requests: int | None = None
    remaining_tokens: int | None = None
    limit_tokens: int | None = None


@dataclass(frozen=True)
class ProviderResult:
    """One provider call's answer: raw text (JSON text for structured output)."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: FinishReason
    rate_limits: RateLimits = field(default_factory=RateLimits)


@dataclass(frozen=True)
class StreamChunk:
    """A piece of a streamed answer; the last one carries usage, the finish reason and
    what the provider said about its rate limits."""

    text: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: FinishReason | None = None
    rate_limits: RateLimits | None = None
