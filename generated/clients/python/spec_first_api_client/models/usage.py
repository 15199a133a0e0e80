from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_status import QuotaStatus
    from ..models.usage_day import UsageDay


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """
    Example:
        {'days': [], 'quota': {'limit': 200000, 'used_today': 0, 'reserved': 0, 'usd_limit': '0.000000',
            'usd_used_today': '0.000000', 'usd_reserved': '0.000000', 'resets_at': '2026-11-30T00:00:00Z'}}

    Attributes:
        days (list[UsageDay]): Newest day first.
        quota (QuotaStatus): Today's budget (a cap: each call reserves its worst case before it is made, and settles to
            what it used). `used_today + reserved` never exceeds `limit`, nor `usd_used_today + usd_reserved` `usd_limit`.
            Example: {'limit': 200000, 'used_today': 2040, 'reserved': 1100, 'usd_limit': '5.000000', 'usd_used_today':
            '0.001310', 'usd_reserved': '0.000660', 'resets_at': '2026-11-30T00:00:00Z'}.
    """

    days: list[UsageDay]
    quota: QuotaStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        quota = self.quota.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "days": days,
                "quota": quota,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_status import QuotaStatus  # noqa: PLC0415
        from ..models.usage_day import UsageDay  # noqa: PLC0415

        d = dict(src_dict)
        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = UsageDay.from_dict(days_item_data)

            days.append(days_item)

        quota = QuotaStatus.from_dict(d.pop("quota"))

        usage = cls(
            days=days,
            quota=quota,
        )

        usage.additional_properties = d
        return usage

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
