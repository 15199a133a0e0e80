from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user_page import UserPage
    from ..models.warning import Warning_


T = TypeVar("T", bound="UserPageEnvelope")


@_attrs_define
class UserPageEnvelope:
    """
    Example:
        {'success': True, 'message': 'OK', 'data': {'items': [], 'total': 0, 'page': 1, 'size': 20, 'pages': 0},
            'warnings': []}

    Attributes:
        success (bool): True on success. Example: True.
        message (str): Human-readable summary. Example: OK.
        warnings (list[Warning_]): Non-fatal remarks; empty when there are none.
        data (UserPage):  Example: {'items': [], 'total': 0, 'page': 1, 'size': 20, 'pages': 0}.
    """

    success: bool
    message: str
    warnings: list[Warning_]
    data: UserPage
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
        from ..models.user_page import UserPage  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        message = d.pop("message")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        data = UserPage.from_dict(d.pop("data"))

        user_page_envelope = cls(
            success=success,
            message=message,
            warnings=warnings,
            data=data,
        )

        user_page_envelope.additional_properties = d
        return user_page_envelope

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
