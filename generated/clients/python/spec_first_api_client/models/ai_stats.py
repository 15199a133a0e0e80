from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_stats import ModelStats
    from ..models.usage_totals import UsageTotals
    from ..models.user_stats import UserStats


T = TypeVar("T", bound="AIStats")


@_attrs_define
class AIStats:
    """
    Example:
        {'since': '2026-10-31T00:00:00Z', 'totals': {'requests': 0, 'prompt_tokens': 0, 'completion_tokens': 0,
            'cost_usd': '0.000000', 'unpriced_requests': 0}, 'cache_hit_rate': 0, 'error_rate': 0, 'per_model': [],
            'per_user': []}

    Attributes:
        since (datetime.datetime): Start of the window (UTC midnight). Example: 2026-10-31T00:00:00Z.
        totals (UsageTotals):  Example: {'requests': 120, 'prompt_tokens': 8400, 'completion_tokens': 12000, 'cost_usd':
            '0.008460', 'unpriced_requests': 0}.
        cache_hit_rate (float): Share of requests answered from the cache. Example: 0.25.
        error_rate (float): Share of requests that ended in an error. Example: 0.02.
        per_model (list[ModelStats]):
        per_user (list[UserStats]): The 20 heaviest users by tokens.
    """

    since: datetime.datetime
    totals: UsageTotals
    cache_hit_rate: float
    error_rate: float
    per_model: list[ModelStats]
    per_user: list[UserStats]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        totals = self.totals.to_dict()

        cache_hit_rate = self.cache_hit_rate

        error_rate = self.error_rate

        per_model = []
        for per_model_item_data in self.per_model:
            per_model_item = per_model_item_data.to_dict()
            per_model.append(per_model_item)

        per_user = []
        for per_user_item_data in self.per_user:
            per_user_item = per_user_item_data.to_dict()
            per_user.append(per_user_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "since": since,
                "totals": totals,
                "cache_hit_rate": cache_hit_rate,
                "error_rate": error_rate,
                "per_model": per_model,
                "per_user": per_user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_stats import ModelStats  # noqa: PLC0415
        from ..models.usage_totals import UsageTotals  # noqa: PLC0415
        from ..models.user_stats import UserStats  # noqa: PLC0415

        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        totals = UsageTotals.from_dict(d.pop("totals"))

        cache_hit_rate = d.pop("cache_hit_rate")

        error_rate = d.pop("error_rate")

        per_model = []
        _per_model = d.pop("per_model")
        for per_model_item_data in _per_model:
            per_model_item = ModelStats.from_dict(per_model_item_data)

            per_model.append(per_model_item)

        per_user = []
        _per_user = d.pop("per_user")
        for per_user_item_data in _per_user:
            per_user_item = UserStats.from_dict(per_user_item_data)

            per_user.append(per_user_item)

        ai_stats = cls(
            since=since,
            totals=totals,
            cache_hit_rate=cache_hit_rate,
            error_rate=error_rate,
            per_model=per_model,
            per_user=per_user,
        )

        ai_stats.additional_properties = d
        return ai_stats

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
