from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.generated_recipe import GeneratedRecipe
    from ..models.text_summary import TextSummary


T = TypeVar("T", bound="StreamObject")


@_attrs_define
class StreamObject:
    """`event: object`: the complete structured answer, valid against `response_schema`.

    Example:
        {'response_schema': 'TextSummary', 'object': {'summary': 'Water moves.', 'key_points': ['evaporation'],
            'confidence_score': 0.9}}

    Attributes:
        response_schema (str):  Example: TextSummary.
        object_ (GeneratedRecipe | TextSummary): The answer, valid against the component `response_schema` names.
            Example: {'summary': 'Water moves.', 'key_points': ['evaporation'], 'confidence_score': 0.9}.
    """

    response_schema: str
    object_: GeneratedRecipe | TextSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.generated_recipe import GeneratedRecipe  # noqa: PLC0415

        response_schema = self.response_schema

        object_: dict[str, Any]
        if isinstance(self.object_, GeneratedRecipe):
            object_ = self.object_.to_dict()
        else:
            object_ = self.object_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "response_schema": response_schema,
                "object": object_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generated_recipe import GeneratedRecipe  # noqa: PLC0415
        from ..models.text_summary import TextSummary  # noqa: PLC0415

        d = dict(src_dict)
        response_schema = d.pop("response_schema")

        def _parse_object_(data: object) -> GeneratedRecipe | TextSummary:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                object_type_0 = GeneratedRecipe.from_dict(data)

                return object_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            object_type_1 = TextSummary.from_dict(data)

            return object_type_1

        object_ = _parse_object_(d.pop("object"))

        stream_object = cls(
            response_schema=response_schema,
            object_=object_,
        )

        stream_object.additional_properties = d
        return stream_object

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
