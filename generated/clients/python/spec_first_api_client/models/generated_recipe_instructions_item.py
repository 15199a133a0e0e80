from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GeneratedRecipeInstructionsItem")


@_attrs_define
class GeneratedRecipeInstructionsItem:
    """
    Attributes:
        step (int):  Example: 1.
        text (str):  Example: Chop the tomatoes..
    """

    step: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        step = self.step

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "step": step,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        step = d.pop("step")

        text = d.pop("text")

        generated_recipe_instructions_item = cls(
            step=step,
            text=text,
        )

        return generated_recipe_instructions_item
