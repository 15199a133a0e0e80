from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attributes import Attributes


T = TypeVar("T", bound="ItemCreateRequest")


@_attrs_define
class ItemCreateRequest:
    """
    Example:
        {'name': 'Blue mug', 'price': '12.50', 'tags': ['blue', 'kitchen'], 'attributes': {'color': 'blue'}}

    Attributes:
        name (str): At least one visible character, no control characters (the rule of `FullName`); trimmed when stored.
            Example: Blue mug.
        price (str): A decimal amount >= 0, exact: a string (never a JSON number, which clients parse as a
            float), up to 12 integer digits and 2 decimal places. Returned with exactly 2 decimal
            places (`"12.5"` is stored and returned as `"12.50"`).
             Example: 12.50.
        description (None | str | Unset): Free text (markdown welcome), up to 2000 characters. Example: A mug, in blue..
        tags (list[str] | Unset): Up to 20 distinct tags; stored sorted. Example: ['blue', 'kitchen'].
        attributes (Attributes | Unset): Any JSON object of up to 50 keys, 8 levels of nesting (the object itself is
            level 1)
            and 8 KiB once serialized (compact JSON, UTF-8); deeper gives 422
            `attributes_too_deep`, larger 422 `attributes_too_large`. Nothing is stored then.
             Example: {'color': 'blue', 'capacity_ml': 350}.
    """

    name: str
    price: str
    description: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    attributes: Attributes | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        price = self.price

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "price": price,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if tags is not UNSET:
            field_dict["tags"] = tags
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attributes import Attributes  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        price = d.pop("price")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        _attributes = d.pop("attributes", UNSET)
        attributes: Attributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = Attributes.from_dict(_attributes)

        item_create_request = cls(
            name=name,
            price=price,
            description=description,
            tags=tags,
            attributes=attributes,
        )

        return item_create_request
