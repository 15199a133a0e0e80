from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_key_created import ApiKeyCreated
    from ..models.warning import Warning_


T = TypeVar("T", bound="ApiKeyCreatedEnvelope")


@_attrs_define
class ApiKeyCreatedEnvelope:
    """
    Example:
        {'success': True, 'message': 'API key created', 'data': {'id': 3, 'name': 'nightly-import', 'prefix':
            'ak_x7k2m9qa', 'key': 'ak_x7k2m9qa_kQ3v8Zr1sT0uYw2xPq5nLm7bVc4dEf6g', 'created_at': '2026-11-25T10:00:00Z',
            'expires_at': None, 'last_used_at': None, 'daily_usd': None}, 'warnings': []}

    Attributes:
        success (bool): True on success. Example: True.
        message (str): Human-readable summary. Example: OK.
        warnings (list[Warning_]): Non-fatal remarks; empty when there are none.
        data (ApiKeyCreated): A new API key with its secret, shown only once. Example: {'id': 3, 'name': 'nightly-
            import', 'prefix': 'ak_x7k2m9qa', 'key': 'ak_x7k2m9qa_kQ3v8Zr1sT0uYw2xPq5nLm7bVc4dEf6g', 'created_at':
            '2026-11-25T10:00:00Z', 'expires_at': None, 'last_used_at': None, 'daily_usd': None}.
    """

    success: bool
    message: str
    warnings: list[Warning_]
    data: ApiKeyCreated
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        message = self.message

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "message": message,
                "warnings": warnings,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_created import ApiKeyCreated  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        message = d.pop("message")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        data = ApiKeyCreated.from_dict(d.pop("data"))

        api_key_created_envelope = cls(
            success=success,
            message=message,
            warnings=warnings,
            data=data,
        )

        api_key_created_envelope.additional_properties = d
        return api_key_created_envelope

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
