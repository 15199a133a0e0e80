"""Anthropic's Messages API through the official SDK.

System messages go into the `system` parameter (never a turn); consecutive turns of one
role are merged, since the API wants user and assistant to alternate, starting with user
(a conversation that opens with an assistant turn gets a short user turn first).
Structured output is forced tool use: one tool whose `input_schema` is the answer schema,
and `tool_choice` naming it, so the answer arrives as the tool call's input (a JSON
object). `temperature` is not sent: the Messages API of this SDK (2.x) has none.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from typing import Any

import anthropic

from app.ai.errors import AIRefusedError
from app.ai.providers.sdk_errors import (
    CHECK_TIMEOUT_S,
    header_int,
    readable_answer,
    translate,
)
from app.ai.types import FinishReason, ProviderRequest, ProviderResult, RateLimits, StreamChunk
from app.infra.loop_local import LoopLocal

DEFAULT_MAX_TOKENS = 1024


def rate_limits(headers: Any) -> RateLimits:
    prefix = "anthropic-ratelimit-"
    return RateLimits(
        remaining_requests=header_int(headers, f"{prefix}requests-remaining"),
        limit_requests=header_int(headers, f"{prefix}requests-limit"),
        remaining_tokens=header_int(headers, f"{prefix}tokens-remaining"),
        limit_tokens=header_int(headers, f"{prefix}tokens-limit"),
    )


class AnthropicProvider:
    name = "anthropic"
    supports_temperature = False  # the Messages API of SDK 2.x has no sampling parameters

    def __init__(
        self, client: anthropic.Anthropic, *, async_client: Callable[[], anthropic.AsyncAnthropic]
    ) -> None:
        self._client = client
        self._async = LoopLocal(async_client)

    def _params(self, request: ProviderRequest) -> dict[str, Any]:
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        turns: list[dict[str, Any]] = []
        for m in request.messages:
            if m.role == "system":
                continue
            if turns and turns[-1]["role"] == m.role:
                turns[-1]["content"] += "\n\n" + m.content
            else:
                turns.append({"role": m.role, "content": m.content})
        if not turns or turns[0]["role"] != "user":
            turns.insert(0, {"role": "user", "content": "(The conversation so far follows.)"})
        params: dict[str, Any] = {
            "model": request.model,
            "messages": turns,
            "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
        }
        if system:
            params["system"] = system
        if request.stop:
            params["stop_sequences"] = list(request.stop)
        if request.output is not None:
            params["tools"] = [
                {
                    "name": request.output.name,
                    "description": f"Record the answer as a {request.output.name} object.",
                    "input_schema": request.output.schema,
                }
            ]
            params["tool_choice"] = {"type": "tool", "name": request.output.name}
        return params

    def complete(self, request: ProviderRequest) -> ProviderResult:
        try:
            raw = self._client.messages.with_raw_response.create(**self._params(request))
            with readable_answer(self.name):
                return self._result(request, raw)
        except anthropic.AnthropicError as exc:
            raise translate(exc, anthropic, self.name) from None

    def _result(self, request: ProviderRequest, raw: Any) -> ProviderResult:
        message = raw.parse()
        if message.stop_reason == "refusal":
            raise AIRefusedError(f"The model ({self.name}) declined to answer.")
        if request.output is not None:
            tool_input = next((b.input for b in message.content if b.type == "tool_use"), None)
            text = json.dumps(tool_input) if tool_input is not None else _text(message)
        else:
            text = _text(message)
        return ProviderResult(
            text=text,
            model=message.model or request.model,
            prompt_tokens=message.usage.input_tokens,
            completion_tokens=message.usage.output_tokens,
            finish_reason=_finish(message.stop_reason),
            rate_limits=rate_limits(raw.headers),
        )

    async def astream(self, request: ProviderRequest) -> AsyncGenerator[StreamChunk, None]:
        params = {**self._params(request), "stream": True}
        structured = request.output is not None
        # None until the provider says (a stream that ends early: the caller estimates).
        prompt_tokens: int | None = None
        completion_tokens: int | None = None
        finish: FinishReason = "stop"
        try:
            events = await self._async.get().messages.create(**params)
            async with events:  # leaving it (done, cancelled, closed) closes the upstream
                async for event in events:
                    if event.type == "message_start":
                        prompt_tokens = event.message.usage.input_tokens
                    elif event.type == "content_block_delta":
                        # Structured output arrives as the forced tool call's JSON input.
                        if event.delta.type == "input_json_delta" and structured:
                            yield StreamChunk(text=event.delta.partial_json)
                        elif event.delta.type == "text_delta" and not structured:
                            yield StreamChunk(text=event.delta.text)
                    elif event.type == "message_delta":
                        completion_tokens = event.usage.output_tokens
                        if event.delta.stop_reason == "refusal":
                            raise AIRefusedError(f"The model ({self.name}) declined to answer.")
                        finish = _finish(event.delta.stop_reason)
        except anthropic.AnthropicError as exc:
            raise translate(exc, anthropic, self.name) from None
        yield StreamChunk(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            finish_reason=finish,
            rate_limits=rate_limits(events.response.headers),
        )

    def check(self) -> bool:
        try:
            # Short and without retries: a health probe must answer quickly.
            quick = self._client.with_options(timeout=CHECK_TIMEOUT_S, max_retries=0)
            quick.models.with_raw_response.list()
        except anthropic.AnthropicError:
            return False
        return True


def _text(message: Any) -> str:
    return "".join(b.text for b in message.content if b.type == "text")


def _finish(reason: str | None) -> FinishReason:
    return "length" if reason in ("max_tokens", "model_context_window_exceeded") else "stop"
