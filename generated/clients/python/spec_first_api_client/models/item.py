from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.item_attributes import ItemAttributes


T = TypeVar("T", bound="Item")


@_attrs_define
class Item:
    """An item. Visible to its owner, admins and `readonly` auditors.

    Example:
        {'id': 7, 'owner_id': 3, 'name': 'Blue mug', 'description': 'A mug, in blue.', 'price': '12.50', 'tags':
            ['blue', 'kitchen'], 'attributes': {'color': 'blue'}, 'created_at': '2026-11-25T10:00:00Z', 'updated_at':
            '2026-11-25T10:00:00Z'}

    Attributes:
        id (int):  Example: 7.
        owner_id (int): The owning user's id. Example: 3.
        name (str):  Example: Blue mug.
        description (None | str):  Example: A mug, in blue..
        price (str): A decimal amount >= 0, exact: a string (never a JSON number, which clients parse as a
            float), up to 12 integer digits and 2 decimal places. Returned with exactly 2 decimal
            places (`"12.5"` is stored and returned as `"12.50"`).
             Example: 12.50.
        tags (list[str]):  Example: ['blue', 'kitchen'].
        attributes (ItemAttributes):  Example: {'color': 'blue'}.
        created_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
        updated_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
    """

    id: int
    owner_id: int
    name: str
    description: None | str
    price: str
    tags: list[str]
    attributes: ItemAttributes
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        owner_id = self.owner_id

        name = self.name

        description: None | str
        description = self.description

        price = self.price

        tags = self.tags

        attributes = self.attributes.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "owner_id": owner_id,
                "name": name,
                "description": description,
                "price": price,
                "tags": tags,
                "attributes": attributes,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_attributes import ItemAttributes  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        owner_id = d.pop("owner_id")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        price = d.pop("price")

        tags = cast(list[str], d.pop("tags"))

        attributes = ItemAttributes.from_dict(d.pop("attributes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        item = cls(
            id=id,
            owner_id=owner_id,
            name=name,
            description=description,
            price=price,
            tags=tags,
            attributes=attributes,
            created_at=created_at,
            updated_at=updated_at,
        )

        item.additional_properties = d
        return item

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
