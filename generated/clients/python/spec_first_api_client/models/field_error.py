from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_error_location import FieldErrorLocation

T = TypeVar("T", bound="FieldError")


@_attrs_define
class FieldError:
    """One invalid field.

    Example:
        {'location': 'query', 'field': 'size', 'message': '500 is greater than the maximum of 100'}

    Attributes:
        location (FieldErrorLocation): Where the field is; `output`: in a model's answer (`ai_invalid_output`). Example:
            body.
        field (str): Dotted path to the field; empty for the whole value. Example: items.0.name.
        message (str):  Example: 'name' is a required property.
    """

    location: FieldErrorLocation
    field: str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        location = self.location.value

        field = self.field

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "location": location,
                "field": field,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        location = FieldErrorLocation(d.pop("location"))

        field = d.pop("field")

        message = d.pop("message")

        field_error = cls(
            location=location,
            field=field,
            message=message,
        )

        field_error.additional_properties = d
        return field_error

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
