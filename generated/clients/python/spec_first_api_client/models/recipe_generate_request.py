from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.recipe_generate_request_provider import RecipeGenerateRequestProvider
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecipeGenerateRequest")


@_attrs_define
class RecipeGenerateRequest:
    """
    Example:
        {'ingredients': ['tomatoes', 'onion', 'garlic'], 'dietary_restrictions': ['vegetarian'], 'cuisine_type':
            'Italian', 'cooking_time_max': 45}

    Attributes:
        ingredients (list[str]): What there is to cook with (visible text, no control characters). Example: ['tomatoes',
            'onion', 'garlic'].
        dietary_restrictions (list[str] | Unset):  Example: ['vegetarian'].
        cuisine_type (str | Unset):  Example: Italian.
        cooking_time_max (int | Unset): Minutes at most. Example: 45.
        save (bool | Unset): false: return the recipe without keeping it. Default: True. Example: True.
        provider (RecipeGenerateRequestProvider | Unset):  Example: fake.
        model (str | Unset):  Example: fake-1.
    """

    ingredients: list[str]
    dietary_restrictions: list[str] | Unset = UNSET
    cuisine_type: str | Unset = UNSET
    cooking_time_max: int | Unset = UNSET
    save: bool | Unset = True
    provider: RecipeGenerateRequestProvider | Unset = UNSET
    model: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ingredients = self.ingredients

        dietary_restrictions: list[str] | Unset = UNSET
        if not isinstance(self.dietary_restrictions, Unset):
            dietary_restrictions = self.dietary_restrictions

        cuisine_type = self.cuisine_type

        cooking_time_max = self.cooking_time_max

        save = self.save

        provider: str | Unset = UNSET
        if not isinstance(self.provider, Unset):
            provider = self.provider.value

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ingredients": ingredients,
            }
        )
        if dietary_restrictions is not UNSET:
            field_dict["dietary_restrictions"] = dietary_restrictions
        if cuisine_type is not UNSET:
            field_dict["cuisine_type"] = cuisine_type
        if cooking_time_max is not UNSET:
            field_dict["cooking_time_max"] = cooking_time_max
        if save is not UNSET:
            field_dict["save"] = save
        if provider is not UNSET:
            field_dict["provider"] = provider
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ingredients = cast(list[str], d.pop("ingredients"))

        dietary_restrictions = cast(list[str], d.pop("dietary_restrictions", UNSET))

        cuisine_type = d.pop("cuisine_type", UNSET)

        cooking_time_max = d.pop("cooking_time_max", UNSET)

        save = d.pop("save", UNSET)

        _provider = d.pop("provider", UNSET)
        provider: RecipeGenerateRequestProvider | Unset
        if isinstance(_provider, Unset):
            provider = UNSET
        else:
            provider = RecipeGenerateRequestProvider(_provider)

        model = d.pop("model", UNSET)

        recipe_generate_request = cls(
            ingredients=ingredients,
            dietary_restrictions=dietary_restrictions,
            cuisine_type=cuisine_type,
            cooking_time_max=cooking_time_max,
            save=save,
            provider=provider,
            model=model,
        )

        return recipe_generate_request
