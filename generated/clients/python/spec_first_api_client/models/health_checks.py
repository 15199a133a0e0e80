from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ai_service_health import AIServiceHealth
    from ..models.dependency_health import DependencyHealth


T = TypeVar("T", bound="HealthChecks")


@_attrs_define
class HealthChecks:
    """
    Example:
        {'database': {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail': None}, 'redis': {'status':
            'not_configured', 'latency_ms': None, 'required': False, 'detail': 'REDIS_URL is not set'}, 'ai_service':
            {'status': 'up', 'latency_ms': 0.0, 'required': False, 'detail': 'provider: fake', 'breakers': [{'provider':
            'fake', 'state': 'closed', 'failures': 0, 'retry_after_s': None}]}, 'rate_limiter': {'status': 'up',
            'latency_ms': 0.0, 'required': False, 'detail': 'in-process memory (per process)'}}

    Attributes:
        database (DependencyHealth):  Example: {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail': None}.
        redis (DependencyHealth):  Example: {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail': None}.
        ai_service (AIServiceHealth): The default provider's reachability (checked at most once per
            `AI_HEALTH_TTL_SECONDS`) and every configured provider's circuit breaker. Example: {'status': 'up',
            'latency_ms': 0.0, 'required': False, 'detail': 'provider: fake; open streams: 0', 'breakers': [{'provider':
            'fake', 'state': 'closed', 'failures': 0, 'retry_after_s': None}]}.
        rate_limiter (DependencyHealth):  Example: {'status': 'up', 'latency_ms': 1.3, 'required': True, 'detail':
            None}.
    """

    database: DependencyHealth
    redis: DependencyHealth
    ai_service: AIServiceHealth
    rate_limiter: DependencyHealth
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        database = self.database.to_dict()

        redis = self.redis.to_dict()

        ai_service = self.ai_service.to_dict()

        rate_limiter = self.rate_limiter.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "database": database,
                "redis": redis,
                "ai_service": ai_service,
                "rate_limiter": rate_limiter,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ai_service_health import AIServiceHealth  # noqa: PLC0415
        from ..models.dependency_health import DependencyHealth  # noqa: PLC0415

        d = dict(src_dict)
        database = DependencyHealth.from_dict(d.pop("database"))

        redis = DependencyHealth.from_dict(d.pop("redis"))

        ai_service = AIServiceHealth.from_dict(d.pop("ai_service"))

        rate_limiter = DependencyHealth.from_dict(d.pop("rate_limiter"))

        health_checks = cls(
            database=database,
            redis=redis,
            ai_service=ai_service,
            rate_limiter=rate_limiter,
        )

        health_checks.additional_properties = d
        return health_checks

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
