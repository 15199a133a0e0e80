from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageDay")


@_attrs_define
class UsageDay:
    """One day's (UTC) use of one provider/model.

    Example:
        {'day': '2026-11-29', 'provider': 'fake', 'model': 'fake-1', 'requests': 12, 'cached_requests': 3,
            'failed_requests': 1, 'prompt_tokens': 840, 'completion_tokens': 1200, 'cost_usd': '0.000000',
            'unpriced_requests': 0}

    Attributes:
        day (datetime.date):  Example: 2026-11-29.
        provider (str):  Example: fake.
        model (str):  Example: fake-1.
        requests (int):  Example: 12.
        cached_requests (int):  Example: 3.
        failed_requests (int):  Example: 1.
        prompt_tokens (int):  Example: 840.
        completion_tokens (int):  Example: 1200.
        cost_usd (str): The sum of the known costs (see `unpriced_requests`). Example: 0.000846.
        unpriced_requests (int): Requests whose cost is unknown (the model had no price): `cost_usd` sums the known
            costs and leaves these out. Example: 0.
    """

    day: datetime.date
    provider: str
    model: str
    requests: int
    cached_requests: int
    failed_requests: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: str
    unpriced_requests: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        day = self.day.isoformat()

        provider = self.provider

        model = self.model

        requests = self.requests

        cached_requests = self.cached_requests

        failed_requests = self.failed_requests

        prompt_tokens = self.prompt_tokens

        completion_tokens = self.completion_tokens

        cost_usd = self.cost_usd

        unpriced_requests = self.unpriced_requests

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "day": day,
                "provider": provider,
                "model": model,
                "requests": requests,
                "cached_requests": cached_requests,
                "failed_requests": failed_requests,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "cost_usd": cost_usd,
                "unpriced_requests": unpriced_requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = datetime.date.fromisoformat(d.pop("day"))

        provider = d.pop("provider")

        model = d.pop("model")

        requests = d.pop("requests")

        cached_requests = d.pop("cached_requests")

        failed_requests = d.pop("failed_requests")

        prompt_tokens = d.pop("prompt_tokens")

        completion_tokens = d.pop("completion_tokens")

        cost_usd = d.pop("cost_usd")

        unpriced_requests = d.pop("unpriced_requests")

        usage_day = cls(
            day=day,
            provider=provider,
            model=model,
            requests=requests,
            cached_requests=cached_requests,
            failed_requests=failed_requests,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost_usd,
            unpriced_requests=unpriced_requests,
        )

        usage_day.additional_properties = d
        return usage_day

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
