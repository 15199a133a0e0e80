from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breaker_state_state import BreakerStateState

T = TypeVar("T", bound="BreakerState")


@_attrs_define
class BreakerState:
    """One AI provider's circuit breaker in this process (`AI_BREAKER_FAILURES`, `AI_BREAKER_OPEN_S`).

    Example:
        {'provider': 'openai', 'state': 'closed', 'failures': 0, 'retry_after_s': None}

    Attributes:
        provider (str):  Example: openai.
        state (BreakerStateState): `open`: the provider is skipped without a call until `retry_after_s`; `half_open`:
            one probe call decides whether it closes again. Example: closed.
        failures (int): Consecutive retryable failures counted while closed. Example: 0.
        retry_after_s (int | None): While open: seconds until a probe call may go; otherwise null.
    """

    provider: str
    state: BreakerStateState
    failures: int
    retry_after_s: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        state = self.state.value

        failures = self.failures

        retry_after_s: int | None
        retry_after_s = self.retry_after_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "state": state,
                "failures": failures,
                "retry_after_s": retry_after_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        state = BreakerStateState(d.pop("state"))

        failures = d.pop("failures")

        def _parse_retry_after_s(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        retry_after_s = _parse_retry_after_s(d.pop("retry_after_s"))

        breaker_state = cls(
            provider=provider,
            state=state,
            failures=failures,
            retry_after_s=retry_after_s,
        )

        breaker_state.additional_properties = d
        return breaker_state

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
