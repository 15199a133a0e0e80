from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.completion_finish_reason import CompletionFinishReason

if TYPE_CHECKING:
    from ..models.completion_object_type_0 import CompletionObjectType0
    from ..models.token_usage import TokenUsage


T = TypeVar("T", bound="Completion")


@_attrs_define
class Completion:
    """The answer: `text` for a free-form completion, or `object` (valid against
    `response_schema`) for a structured one; the other is null.

        Example:
            {'provider': 'fake', 'model': 'fake-1', 'text': 'The water cycle moves water between sea, air and land.',
                'object': None, 'response_schema': None, 'finish_reason': 'stop', 'usage': {'prompt_tokens': 6,
                'completion_tokens': 11, 'total_tokens': 17}, 'cost_usd': '0.000000', 'latency_ms': 0, 'attempts': 1, 'cached':
                False}

        Attributes:
            provider (str):  Example: fake.
            model (str):  Example: fake-1.
            text (None | str):  Example: The water cycle moves water between sea, air and land..
            object_ (CompletionObjectType0 | None): The structured answer, valid against the `response_schema` component;
                null for text.
            response_schema (None | str):
            finish_reason (CompletionFinishReason): `length`: cut at `max_tokens` (a `truncated` warning says so). Example:
                stop.
            usage (TokenUsage): Tokens as the provider counted them, summed over every attempt (repairs and retries
                included). Example: {'prompt_tokens': 42, 'completion_tokens': 128, 'total_tokens': 170}.
            cost_usd (None | str): Estimated cost in US dollars (exact decimal string): the price from `AI_PRICES`,
                else the genai-prices table. Null when the model has no known price (an
                `unknown_price` warning says so), never a made-up 0.
                 Example: 0.000120.
            latency_ms (int): Time spent waiting on the provider. Example: 850.
            attempts (int): Provider calls this request made: 0 when answered from the cache, more than 1 when answers
                needed repair. Example: 1.
            cached (bool): Served from the completion cache (no provider call). Example: False.
    """

    provider: str
    model: str
    text: None | str
    object_: CompletionObjectType0 | None
    response_schema: None | str
    finish_reason: CompletionFinishReason
    usage: TokenUsage
    cost_usd: None | str
    latency_ms: int
    attempts: int
    cached: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.completion_object_type_0 import CompletionObjectType0  # noqa: PLC0415

        provider = self.provider

        model = self.model

        text: None | str
        text = self.text

        object_: dict[str, Any] | None
        if isinstance(self.object_, CompletionObjectType0):
            object_ = self.object_.to_dict()
        else:
            object_ = self.object_

        response_schema: None | str
        response_schema = self.response_schema

        finish_reason = self.finish_reason.value

        usage = self.usage.to_dict()

        cost_usd: None | str
        cost_usd = self.cost_usd

        latency_ms = self.latency_ms

        attempts = self.attempts

        cached = self.cached

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model": model,
                "text": text,
                "object": object_,
                "response_schema": response_schema,
                "finish_reason": finish_reason,
                "usage": usage,
                "cost_usd": cost_usd,
                "latency_ms": latency_ms,
                "attempts": attempts,
                "cached": cached,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.completion_object_type_0 import CompletionObjectType0  # noqa: PLC0415
        from ..models.token_usage import TokenUsage  # noqa: PLC0415

        d = dict(src_dict)
        provider = d.pop("provider")

        model = d.pop("model")

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))

        def _parse_object_(data: object) -> CompletionObjectType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                object_type_0 = CompletionObjectType0.from_dict(data)

                return object_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompletionObjectType0 | None, data)

        object_ = _parse_object_(d.pop("object"))

        def _parse_response_schema(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_schema = _parse_response_schema(d.pop("response_schema"))

        finish_reason = CompletionFinishReason(d.pop("finish_reason"))

        usage = TokenUsage.from_dict(d.pop("usage"))

        def _parse_cost_usd(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        latency_ms = d.pop("latency_ms")

        attempts = d.pop("attempts")

        cached = d.pop("cached")

        completion = cls(
            provider=provider,
            model=model,
            text=text,
            object_=object_,
            response_schema=response_schema,
            finish_reason=finish_reason,
            usage=usage,
            cost_usd=cost_usd,
            latency_ms=latency_ms,
            attempts=attempts,
            cached=cached,
        )

        completion.additional_properties = d
        return completion

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
