from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dependency_status import DependencyStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breaker_state import BreakerState


T = TypeVar("T", bound="AIServiceHealth")


@_attrs_define
class AIServiceHealth:
    """The default provider's reachability (checked at most once per `AI_HEALTH_TTL_SECONDS`) and every configured
    provider's circuit breaker.

        Example:
            {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail': 'provider: fake; open streams: 0', 'breakers':
                [{'provider': 'fake', 'state': 'closed', 'failures': 0, 'retry_after_s': None}]}

        Attributes:
            status (DependencyStatus): `not_configured` is not a failure: the embedded fallback is in use. Example: up.
            required (bool): Whether a failure of this dependency makes the service unavailable. Example: True.
            breakers (list[BreakerState]):
            latency_ms (float | None | Unset): Round-trip time of the check. Example: 1.3.
            detail (None | str | Unset): Short reason; never a secret or a connection string.
    """

    status: DependencyStatus
    required: bool
    breakers: list[BreakerState]
    latency_ms: float | None | Unset = UNSET
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        required = self.required

        breakers = []
        for breakers_item_data in self.breakers:
            breakers_item = breakers_item_data.to_dict()
            breakers.append(breakers_item)

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
                "breakers": breakers,
            }
        )
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breaker_state import BreakerState  # noqa: PLC0415

        d = dict(src_dict)
        status = DependencyStatus(d.pop("status"))

        required = d.pop("required")

        breakers = []
        _breakers = d.pop("breakers")
        for breakers_item_data in _breakers:
            breakers_item = BreakerState.from_dict(breakers_item_data)

            breakers.append(breakers_item)

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

        ai_service_health = cls(
            status=status,
            required=required,
            breakers=breakers,
            latency_ms=latency_ms,
            detail=detail,
        )

        ai_service_health.additional_properties = d
        return ai_service_health

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
