from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus

if TYPE_CHECKING:
    from ..models.health_checks import HealthChecks


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Example:
        {'status': 'ok', 'version': '1.0.0', 'checks': {'database': {'status': 'up', 'latency_ms': 1.3, 'required':
            True, 'detail': None}, 'redis': {'status': 'not_configured', 'latency_ms': None, 'required': False, 'detail':
            'REDIS_URL is not set'}, 'ai_service': {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail':
            'provider: fake', 'breakers': [{'provider': 'fake', 'state': 'closed', 'failures': 0, 'retry_after_s': None}]},
            'rate_limiter': {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail': 'in-process memory (per
            process)'}}}

    Attributes:
        status (HealthStatus): `degraded`: every required dependency is up, but the rate limiter's storage is not.
            Example: ok.
        version (str): API version (`info.version`). Example: 1.0.0.
        checks (HealthChecks):  Example: {'database': {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail':
            None}, 'redis': {'status': 'not_configured', 'latency_ms': None, 'required': False, 'detail': 'REDIS_URL is not
            set'}, 'ai_service': {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail': 'provider: fake',
            'breakers': [{'provider': 'fake', 'state': 'closed', 'failures': 0, 'retry_after_s': None}]}, 'rate_limiter':
            {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail': 'in-process memory (per process)'}}.
    """

    status: HealthStatus
    version: str
    checks: HealthChecks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        version = self.version

        checks = self.checks.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "version": version,
                "checks": checks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_checks import HealthChecks  # noqa: PLC0415

        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        version = d.pop("version")

        checks = HealthChecks.from_dict(d.pop("checks"))

        health = cls(
            status=status,
            version=version,
            checks=checks,
        )

        health.additional_properties = d
        return health

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
