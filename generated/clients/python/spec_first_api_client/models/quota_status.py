from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuotaStatus")


@_attrs_define
class QuotaStatus:
    """Today's budget (a cap: each call reserves its worst case before it is made, and settles to what it used).
    `used_today + reserved` never exceeds `limit`, nor `usd_used_today + usd_reserved` `usd_limit`.

        Example:
            {'limit': 200000, 'used_today': 2040, 'reserved': 1100, 'usd_limit': '5.000000', 'usd_used_today': '0.001310',
                'usd_reserved': '0.000660', 'resets_at': '2026-11-30T00:00:00Z'}

        Attributes:
            limit (int): Tokens per UTC day for the caller's role; 0 = unlimited. Example: 200000.
            used_today (int): Tokens of the calls that ended today. Example: 2040.
            reserved (int): Tokens held by calls in flight (their worst case), or by calls that never ended (a job whose
                worker was killed keeps its reservation as the charge). Example: 1100.
            usd_limit (str): Dollars per UTC day for the caller's role (`AI_DAILY_USD_<ROLE>`); "0.000000" = unlimited.
                Example: 5.000000.
            usd_used_today (str):  Example: 0.001310.
            usd_reserved (str):  Example: 0.000660.
            resets_at (datetime.datetime):  Example: 2026-11-30T00:00:00Z.
    """

    limit: int
    used_today: int
    reserved: int
    usd_limit: str
    usd_used_today: str
    usd_reserved: str
    resets_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        used_today = self.used_today

        reserved = self.reserved

        usd_limit = self.usd_limit

        usd_used_today = self.usd_used_today

        usd_reserved = self.usd_reserved

        resets_at = self.resets_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "used_today": used_today,
                "reserved": reserved,
                "usd_limit": usd_limit,
                "usd_used_today": usd_used_today,
                "usd_reserved": usd_reserved,
                "resets_at": resets_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit = d.pop("limit")

        used_today = d.pop("used_today")

        reserved = d.pop("reserved")

        usd_limit = d.pop("usd_limit")

        usd_used_today = d.pop("usd_used_today")

        usd_reserved = d.pop("usd_reserved")

        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))

        quota_status = cls(
            limit=limit,
            used_today=used_today,
            reserved=reserved,
            usd_limit=usd_limit,
            usd_used_today=usd_used_today,
            usd_reserved=usd_reserved,
            resets_at=resets_at,
        )

        quota_status.additional_properties = d
        return quota_status

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
