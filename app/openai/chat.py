"""OpenAI's chat-completions format <-> the completion services' input and results.

Pure translation: what a request asks for (refusing what this server cannot honour, so an
answer never silently differs from what was asked), and the `chat.completion` object or
`chat.completion.chunk` stream frames that carry the answer back.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.ai.client_schemas import client_schema, json_object_schema
from app.completions import service as completions
from app.errors import DomainError, InvalidInputError, field_error

# Parameters OpenAI defines that this server does not serve, with the value that is fine.
_REFUSED = ("tools", "tool_choice", "functions", "function_call", "audio", "top_logprobs")
_NEUTRAL = {"top_p": 1, "presence_penalty": 0, "frequency_penalty": 0, "n": 1, "logprobs": False}
_ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}


class StreamEvent(Protocol):
    """An event of the completion stream (`delta`, `object`, `done`)."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> Mapping[str, Any]: ...


class UnsupportedParameterError(DomainError):
    """A parameter (or value) the OpenAI-compatible endpoint cannot honour."""

    code = "unsupported_parameter"

    def __init__(self, param: str, detail: str) -> None:
        super().__init__(detail, errors=[field_error("body", param, detail)])
        self.param = param


@dataclass(frozen=True)
class ChatRequest:
    model_id: str
    completion: completions.CompletionInput
    stream: bool
    include_usage: bool


def model_ids(allowed: Sequence[str]) -> dict[str, tuple[str, str]]:
    """id -> (provider, model) for every allowed `provider:model`: the model's name, or
    `provider/model` where two providers serve the same name."""
    pairs = [tuple(entry.split(":", 1)) for entry in allowed]
    counts = Counter(model for _, model in pairs)
    return {
        (model if counts[model] == 1 else f"{provider}/{model}"): (provider, model)
        for provider, model in pairs
    }


def _text(content: Any, index: int) -> str:
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for part in content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise UnsupportedParameterError(
                f"messages.{index}.content",
                "Only text content parts are served (no images, audio or files).",
            )
        parts.append(part["text"])
    return "".join(parts)


def _check_refused(body: Mapping[str, Any]) -> None:
    for name in _REFUSED:
        if body.get(name) is not None:
            raise UnsupportedParameterError(name, f"`{name}` is not served by this endpoint.")
    for name, neutral in _NEUTRAL.items():
        if body.get(name) is not None and body[name] != neutral:
            raise UnsupportedParameterError(
                name, f"`{name}` is served only at its default ({json.dumps(neutral)})."
            )
    if any(m != "text" for m in body.get("modalities") or []):
        raise UnsupportedParameterError("modalities", "Only the `text` modality is served.")


def _answer_schema(body: Mapping[str, Any]) -> Any:
    fmt = body.get("response_format") or {"type": "text"}
    if fmt["type"] == "text":
        return None
    if fmt["type"] == "json_object":
        if fmt.get("json_schema") is not None:
            raise InvalidInputError(
                "`response_format.json_schema` goes with the type `json_schema`, not "
                "`json_object`.",
                errors=[field_error("body", "response_format.json_schema", "Not for json_object.")],
            )
        return json_object_schema()
    spec = fmt.get("json_schema")
    if not spec or not isinstance(spec.get("schema"), dict):
        raise InvalidInputError(
            "`response_format.json_schema.schema` is required for `json_schema`.",
            errors=[field_error("body", "response_format.json_schema.schema", "Required.")],
        )
    # Strict unless the client turns it off: the answer is validated against the whole
    # schema either way; strict mode makes OpenAI keep to it (but closes every object).
    return client_schema(spec["name"], spec["schema"], strict=spec.get("strict") is not False)


def _max_tokens(body: Mapping[str, Any]) -> int | None:
    a, b = body.get("max_tokens"), body.get("max_completion_tokens")
    if a is not None and b is not None and a != b:
        raise InvalidInputError(
            "`max_tokens` and `max_completion_tokens` disagree; send one of them.",
            errors=[field_error("body", "max_completion_tokens", "Differs from max_tokens.")],
        )
    return b if b is not None else a


def parse(body: Mapping[str, Any], allowed: Sequence[str]) -> ChatRequest:
    """The request as the completion services' input (raises on what cannot be served)."""
    _check_refused(body)
    ids = model_ids(allowed)
    target = ids.get(body["model"])
    if target is None:
        raise DomainError(
            f"The model {body['model']!r} is not served here; `GET /openai/models` lists "
            f"those that are: {', '.join(ids)}.",
            code="unsupported_model",
            errors=[field_error("body", "model", "Not an id from GET /openai/models.")],
        )
    stop = body.get("stop")
    messages = [(_ROLES[m["role"]], _text(m["content"], i)) for i, m in enumerate(body["messages"])]
    completion = completions.CompletionInput(
        messages=completions.conversation(messages=messages, prompt=None, system=None),
        provider=target[0],
        model=target[1],
        temperature=body.get("temperature"),
        max_tokens=_max_tokens(body),
        stop=(stop,) if isinstance(stop, str) else tuple(stop or ()),
        answer_schema=_answer_schema(body),
    )
    options = body.get("stream_options") or {}
    return ChatRequest(
        model_id=body["model"],
        completion=completion,
        stream=bool(body.get("stream")),
        include_usage=bool(options.get("include_usage")),
    )


def completion_id(request_id: str) -> str:
    return f"chatcmpl-{request_id}"


def _content(text: str | None, value: Mapping[str, Any] | None) -> str:
    if value is not None:
        return json.dumps(value, separators=(",", ":"))
    return text or ""


def completion_object(
    result: completions.CompletionResult, model_id: str, request_id: str
) -> dict[str, Any]:
    """A `chat.completion` object."""
    return {
        "id": completion_id(request_id),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model_id if result.model == model_id.rsplit("/", 1)[-1] else result.model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": _content(result.text, result.object),
                    "refusal": None,
                },
                "finish_reason": result.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens,
            "total_tokens": result.prompt_tokens + result.completion_tokens,
        },
        "system_fingerprint": None,
    }


def _data(payload: Mapping[str, Any] | str) -> bytes:
    text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"data: {text}\n\n".encode()


class ChunkFrames:
    """Stream events as `chat.completion.chunk` frames (the first delta carries the role;
    `done` sends the finish reason, then the usage chunk if asked for)."""

    def __init__(self, model_id: str, request_id: str, *, include_usage: bool) -> None:
        self.model_id = model_id
        self.id = completion_id(request_id)
        self.created = int(time.time())
        self.include_usage = include_usage
        self._role_sent = False

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return _data(
            {
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model_id,
                "system_fingerprint": None,
                "choices": choices,
                **extra,
            }
        )

    def _delta(self, content: str) -> bytes:
        delta: dict[str, Any] = {"content": content}
        if not self._role_sent:
            delta = {"role": "assistant", **delta}
            self._role_sent = True
        return self._chunk([{"index": 0, "delta": delta, "finish_reason": None, "logprobs": None}])

    def event(self, event: StreamEvent) -> bytes:
        if event.name == "delta":
            return self._delta(str(event.data["text"]))
        if event.name == "object":
            return self._delta(_content(None, event.data["object"]))
        # done: the finish reason, then (if asked) a chunk with the usage and no choices
        frames = b"" if self._role_sent else self._delta("")
        finish = {"index": 0, "delta": {}, "finish_reason": event.data["finish_reason"]}
        frames += self._chunk([{**finish, "logprobs": None}])
        if self.include_usage:
            frames += self._chunk([], usage=event.data["usage"])
        return frames

    @staticmethod
    def error(problem: dict[str, Any]) -> bytes:
        return _data({"error": openai_error(problem)})


END = b"data: [DONE]\n\n"

# OpenAI's error `type` by HTTP status (what its SDKs and docs use).
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def openai_error(problem: Mapping[str, Any]) -> dict[str, Any]:
    """OpenAI's `error` object for a problem document (same code and message)."""
    status = int(problem.get("status", 500))
    errors = problem.get("errors") or []
    param = errors[0].get("field") if errors and isinstance(errors[0], Mapping) else None
    return {
        "message": problem.get("detail") or problem.get("title") or "Error",
        "type": _ERROR_TYPES.get(
            status, "server_error" if status >= 500 else "invalid_request_error"
        ),
        "param": param,
        "code": problem.get("code"),
    }
