"""OpenAI Chat Completions through the official SDK: OpenAI itself, any OpenAI-compatible
server (`AI_BASE_URL`: vLLM, Ollama, LM Studio, a LiteLLM proxy) and Azure OpenAI (the
SDK's AzureOpenAI client, `model` = the deployment name).

Structured output: `native` sends `response_format` json_schema with `strict: true` (the
strict form of the schema); `instructions` puts the schema in a system message and
extracts the JSON from the answer, for servers without json_schema support.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from typing import Any, Literal

import openai

from app.ai.errors import AIRefusedError
from app.ai.providers.sdk_errors import (
    CHECK_TIMEOUT_S,
    header_int,
    readable_answer,
    translate,
)
from app.ai.types import (
    FinishReason,
    Message,
    ProviderRequest,
    ProviderResult,
    RateLimits,
    StreamChunk,
)
from app.infra.loop_local import LoopLocal

Structured = Literal["native", "instructions"]


def rate_limits(headers: Any) -> RateLimits:
    return RateLimits(
        remaining_requests=header_int(headers, "x-ratelimit-remaining-requests"),
        limit_requests=header_int(headers, "x-ratelimit-limit-requests"),
        remaining_tokens=header_int(headers, "x-ratelimit-remaining-tokens"),
        limit_tokens=header_int(headers, "x-ratelimit-limit-tokens"),
    )


def schema_instructions(request: ProviderRequest) -> str:
    assert request.output is not None
    return (
        "Answer with only a JSON object (no prose, no code fence) that is valid against "
        f"this JSON Schema named {request.output.name}:\n"
        + json.dumps(request.output.schema, separators=(",", ":"))
    )


def extract_json(text: str) -> str:
    """The outermost {...} of an answer that may wrap it in prose or a code fence."""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


class OpenAIChatProvider:
    supports_temperature = True

    def __init__(
        self,
        client: openai.OpenAI,
        *,
        async_client: Callable[[], openai.AsyncOpenAI],
        name: str = "openai",
        structured: Structured = "native",
        max_tokens_param: str = "max_completion_tokens",
    ) -> None:
        self.name = name
        self._client = client
        self._async = LoopLocal(async_client)
        self._structured = structured
        self._max_tokens_param = max_tokens_param

    def _params(self, request: ProviderRequest) -> dict[str, Any]:
        messages = list(request.messages)
        params: dict[str, Any] = {"model": request.model}
        output = request.output
        if output is not None:
            if self._structured != "native":
                messages.insert(0, Message("system", schema_instructions(request)))
            elif output.json_object:
                # JSON mode needs the word "JSON" in the messages (OpenAI answers 400
                # otherwise): the instructions say it, and what an object must look like.
                params["response_format"] = {"type": "json_object"}
                messages.insert(0, Message("system", schema_instructions(request)))
            else:
                strict = output.strict is not None
                params["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {
                        "name": output.name,
                        "schema": output.strict if strict else output.schema,
                        "strict": strict,
                    },
                }
        params["messages"] = [{"role": m.role, "content": m.content} for m in messages]
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.max_tokens is not None:
            params[self._max_tokens_param] = request.max_tokens
        if request.stop:
            params["stop"] = list(request.stop)
        return params

    def complete(self, request: ProviderRequest) -> ProviderResult:
        try:
            raw = self._client.chat.completions.with_raw_response.create(**self._params(request))
            with readable_answer(self.name):
                return self._result(request, raw)
        except openai.OpenAIError as exc:
            raise translate(exc, openai, self.name) from None

    def _result(self, request: ProviderRequest, raw: Any) -> ProviderResult:
        completion = raw.parse()
        if not completion.choices:
            raise translate(RuntimeError("no choices"), openai, self.name)
        choice = completion.choices[0]
        if getattr(choice.message, "refusal", None) or choice.finish_reason == "content_filter":
            raise AIRefusedError(f"The model ({self.name}) declined to answer.")
        text = choice.message.content or ""
        if request.output is not None and self._structured == "instructions":
            text = extract_json(text)
        usage = completion.usage
        return ProviderResult(
            text=text,
            model=completion.model or request.model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            finish_reason=_finish(choice.finish_reason),
            rate_limits=rate_limits(raw.headers),
        )

    async def astream(self, request: ProviderRequest) -> AsyncGenerator[StreamChunk, None]:
        params = {**self._params(request), "stream": True}
        params["stream_options"] = {"include_usage": True}  # usage arrives in a last chunk
        try:
            stream = await self._async.get().chat.completions.create(**params)
        except openai.OpenAIError as exc:
            raise translate(exc, openai, self.name) from None
        finish: FinishReason | None = None
        try:
            async with stream:  # leaving it (done, cancelled, closed) closes the upstream
                async for chunk in stream:
                    if chunk.choices:
                        choice = chunk.choices[0]
                        if choice.finish_reason == "content_filter":
                            raise AIRefusedError(f"The model ({self.name}) declined to answer.")
                        if choice.finish_reason:
                            finish = _finish(choice.finish_reason)
                        if choice.delta and choice.delta.content:
                            yield StreamChunk(text=choice.delta.content)
                    if chunk.usage is not None:
                        yield StreamChunk(
                            prompt_tokens=chunk.usage.prompt_tokens,
                            completion_tokens=chunk.usage.completion_tokens,
                            finish_reason=finish or "stop",
                            rate_limits=rate_limits(stream.response.headers),
                        )
                        return
        except openai.OpenAIError as exc:
            raise translate(exc, openai, self.name) from None
        # A server that sends no usage chunk: the caller estimates the tokens.
        yield StreamChunk(
            finish_reason=finish or "stop", rate_limits=rate_limits(stream.response.headers)
        )

    def check(self) -> bool:
        try:
            # Short and without retries: a health probe must answer quickly.
            quick = self._client.with_options(timeout=CHECK_TIMEOUT_S, max_retries=0)
            quick.models.with_raw_response.list()
        except openai.OpenAIError:
            return False
        return True


def _finish(reason: str | None) -> FinishReason:
    return "length" if reason == "length" else "stop"
