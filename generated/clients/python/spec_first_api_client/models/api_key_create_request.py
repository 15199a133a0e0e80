from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyCreateRequest")


@_attrs_define
class ApiKeyCreateRequest:
    """
    Example:
        {'name': 'nightly-import', 'expires_at': '2027-01-01T00:00:00Z', 'daily_usd': '2.50'}

    Attributes:
        name (str): What the key is for: at least one visible character, no control characters. Example: nightly-import.
        expires_at (datetime.datetime | None | Unset): When the key stops working (must be in the future); null = never.
            Example: 2027-01-01T00:00:00Z.
        daily_usd (None | str | Unset): Dollars this key may spend on AI calls per UTC day (more than 0), on top of the
            owner's role budget; null = only the role budget. A call that may not fit is refused with 429
            `ai_quota_exceeded`. Example: 2.50.
    """

    name: str
    expires_at: datetime.datetime | None | Unset = UNSET
    daily_usd: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        daily_usd: None | str | Unset
        if isinstance(self.daily_usd, Unset):
            daily_usd = UNSET
        else:
            daily_usd = self.daily_usd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if daily_usd is not UNSET:
            field_dict["daily_usd"] = daily_usd

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_daily_usd(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        daily_usd = _parse_daily_usd(d.pop("daily_usd", UNSET))

        api_key_create_request = cls(
            name=name,
            expires_at=expires_at,
            daily_usd=daily_usd,
        )

        return api_key_create_request
