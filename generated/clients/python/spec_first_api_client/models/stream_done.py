from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stream_done_finish_reason import StreamDoneFinishReason

if TYPE_CHECKING:
    from ..models.token_usage import TokenUsage
    from ..models.warning import Warning_


T = TypeVar("T", bound="StreamDone")


@_attrs_define
class StreamDone:
    """`event: done`: the last event of a stream that succeeded.

    Example:
        {'provider': 'fake', 'model': 'fake-1', 'finish_reason': 'stop', 'usage': {'prompt_tokens': 6,
            'completion_tokens': 3, 'total_tokens': 9}, 'cost_usd': '0.000000', 'latency_ms': 12, 'attempts': 1, 'warnings':
            []}

    Attributes:
        provider (str):  Example: fake.
        model (str):  Example: fake-1.
        finish_reason (StreamDoneFinishReason):  Example: stop.
        usage (TokenUsage): Tokens as the provider counted them, summed over every attempt (repairs and retries
            included). Example: {'prompt_tokens': 42, 'completion_tokens': 128, 'total_tokens': 170}.
        cost_usd (None | str): As in `AICompletion`: null when the model's price is unknown (`unknown_price` warning).
            Example: 0.000000.
        latency_ms (int):  Example: 12.
        attempts (int):  Example: 1.
        warnings (list[Warning_]):
    """

    provider: str
    model: str
    finish_reason: StreamDoneFinishReason
    usage: TokenUsage
    cost_usd: None | str
    latency_ms: int
    attempts: int
    warnings: list[Warning_]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model = self.model

        finish_reason = self.finish_reason.value

        usage = self.usage.to_dict()

        cost_usd: None | str
        cost_usd = self.cost_usd

        latency_ms = self.latency_ms

        attempts = self.attempts

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model": model,
                "finish_reason": finish_reason,
                "usage": usage,
                "cost_usd": cost_usd,
                "latency_ms": latency_ms,
                "attempts": attempts,
                "warnings": warnings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_usage import TokenUsage  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415

        d = dict(src_dict)
        provider = d.pop("provider")

        model = d.pop("model")

        finish_reason = StreamDoneFinishReason(d.pop("finish_reason"))

        usage = TokenUsage.from_dict(d.pop("usage"))

        def _parse_cost_usd(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        latency_ms = d.pop("latency_ms")

        attempts = d.pop("attempts")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        stream_done = cls(
            provider=provider,
            model=model,
            finish_reason=finish_reason,
            usage=usage,
            cost_usd=cost_usd,
            latency_ms=latency_ms,
            attempts=attempts,
            warnings=warnings,
        )

        stream_done.additional_properties = d
        return stream_done

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
