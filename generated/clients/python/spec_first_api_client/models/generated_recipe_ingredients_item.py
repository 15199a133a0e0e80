from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GeneratedRecipeIngredientsItem")


@_attrs_define
class GeneratedRecipeIngredientsItem:
    """
    Attributes:
        item (str):  Example: tomato.
        amount (float):  Example: 4.
        unit (str):  Example: pieces.
    """

    item: str
    amount: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        item = self.item

        amount = self.amount

        unit = self.unit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "item": item,
                "amount": amount,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item = d.pop("item")

        amount = d.pop("amount")

        unit = d.pop("unit")

        generated_recipe_ingredients_item = cls(
            item=item,
            amount=amount,
            unit=unit,
        )

        return generated_recipe_ingredients_item
