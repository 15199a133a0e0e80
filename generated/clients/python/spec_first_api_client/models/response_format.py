from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.response_format_type import ResponseFormatType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_schema_format import JsonSchemaFormat


T = TypeVar("T", bound="ResponseFormat")


@_attrs_define
class ResponseFormat:
    """`text` (the default), `json_schema` (the answer is validated against the schema and
    repaired like a structured completion; sent upstream in strict mode unless `strict` is
    false) or `json_object` (OpenAI's JSON mode: any JSON object, validated and repaired
    the same way; no `json_schema` with it).

        Example:
            {'type': 'json_schema', 'json_schema': {'name': 'summary', 'schema': {'type': 'object', 'properties':
                {'summary': {'type': 'string'}}, 'required': ['summary']}}}

        Attributes:
            type_ (ResponseFormatType):  Example: json_schema.
            json_schema (JsonSchemaFormat | Unset):  Example: {'name': 'summary', 'schema': {'type': 'object', 'properties':
                {'summary': {'type': 'string'}}, 'required': ['summary']}, 'strict': True}.
    """

    type_: ResponseFormatType
    json_schema: JsonSchemaFormat | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        json_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.json_schema, Unset):
            json_schema = self.json_schema.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if json_schema is not UNSET:
            field_dict["json_schema"] = json_schema

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_schema_format import JsonSchemaFormat  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ResponseFormatType(d.pop("type"))

        _json_schema = d.pop("json_schema", UNSET)
        json_schema: JsonSchemaFormat | Unset
        if isinstance(_json_schema, Unset):
            json_schema = UNSET
        else:
            json_schema = JsonSchemaFormat.from_dict(_json_schema)

        response_format = cls(
            type_=type_,
            json_schema=json_schema,
        )

        return response_format
