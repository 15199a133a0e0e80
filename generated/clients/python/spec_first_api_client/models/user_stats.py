from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UserStats")


@_attrs_define
class UserStats:
    """
    Example:
        {'user_id': 3, 'requests': 120, 'prompt_tokens': 8400, 'completion_tokens': 12000, 'cost_usd': '0.008460',
            'unpriced_requests': 0}

    Attributes:
        requests (int):  Example: 120.
        prompt_tokens (int):  Example: 8400.
        completion_tokens (int):  Example: 12000.
        cost_usd (str): The sum of the known costs (see `unpriced_requests`). Example: 0.008460.
        unpriced_requests (int): Requests whose cost is unknown (the model had no price): `cost_usd` sums the known
            costs and leaves these out. Example: 0.
        user_id (int | None): Null for usage of deleted accounts. Example: 3.
    """

    requests: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: str
    unpriced_requests: int
    user_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        requests = self.requests

        prompt_tokens = self.prompt_tokens

        completion_tokens = self.completion_tokens

        cost_usd = self.cost_usd

        unpriced_requests = self.unpriced_requests

        user_id: int | None
        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requests": requests,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "cost_usd": cost_usd,
                "unpriced_requests": unpriced_requests,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests = d.pop("requests")

        prompt_tokens = d.pop("prompt_tokens")

        completion_tokens = d.pop("completion_tokens")

        cost_usd = d.pop("cost_usd")

        unpriced_requests = d.pop("unpriced_requests")

        def _parse_user_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        user_id = _parse_user_id(d.pop("user_id"))

        user_stats = cls(
            requests=requests,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost_usd,
            unpriced_requests=unpriced_requests,
            user_id=user_id,
        )

        user_stats.additional_properties = d
        return user_stats

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
