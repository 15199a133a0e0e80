from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dependency_status import DependencyStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="DependencyHealth")


@_attrs_define
class DependencyHealth:
    """
    Example:
        {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail': None}

    Attributes:
        status (DependencyStatus): `not_configured` is not a failure: the embedded fallback is in use. Example: up.
        required (bool): Whether a failure of this dependency makes the service unavailable. Example: True.
        latency_ms (float | None | Unset): Round-trip time of the check. Example: 1.3.
        detail (None | str | Unset): Short reason; never a secret or a connection string.
    """

    status: DependencyStatus
    required: bool
    latency_ms: float | None | Unset = UNSET
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        required = self.required

        latency_ms: float | None | Unset
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "required": required,
            }
        )
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = DependencyStatus(d.pop("status"))

        required = d.pop("required")

        def _parse_latency_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        dependency_health = cls(
            status=status,
            required=required,
            latency_ms=latency_ms,
            detail=detail,
        )

        dependency_health.additional_properties = d
        return dependency_health

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
