from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_content_part_additional_property import ChatContentPartAdditionalProperty


T = TypeVar("T", bound="ChatContentPart")


@_attrs_define
class ChatContentPart:
    """A content part; only `text` parts are served (others are refused with `unsupported_parameter`).

    Example:
        {'type': 'text', 'text': 'Summarise the water cycle.'}

    Attributes:
        type_ (str):  Example: text.
        text (str | Unset):  Example: Summarise the water cycle..
    """

    type_: str
    text: str | Unset = UNSET
    additional_properties: dict[str, ChatContentPartAdditionalProperty] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        text = self.text

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        field_dict.update(
            {
                "type": type_,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_content_part_additional_property import ChatContentPartAdditionalProperty  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        text = d.pop("text", UNSET)

        chat_content_part = cls(
            type_=type_,
            text=text,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = ChatContentPartAdditionalProperty.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        chat_content_part.additional_properties = additional_properties
        return chat_content_part

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ChatContentPartAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: ChatContentPartAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
