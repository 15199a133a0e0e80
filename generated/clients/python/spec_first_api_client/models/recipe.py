from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recipe_difficulty import RecipeDifficulty

if TYPE_CHECKING:
    from ..models.recipe_ingredients_item import RecipeIngredientsItem
    from ..models.recipe_instructions_item import RecipeInstructionsItem


T = TypeVar("T", bound="Recipe")


@_attrs_define
class Recipe:
    """A generated recipe kept for its owner.

    Example:
        {'id': 4, 'owner_id': 3, 'title': 'Tomato soup', 'ingredients': [{'item': 'tomato', 'amount': 4, 'unit':
            'pieces'}], 'instructions': [{'step': 1, 'text': 'Chop the tomatoes.'}], 'cooking_time': 30, 'difficulty':
            'easy', 'confidence_score': 0.9, 'cuisine_type': 'Italian', 'dietary_restrictions': ['vegetarian'],
            'prompt_version': 'recipe/v1', 'provider': 'fake', 'model': 'fake-1', 'created_at': '2026-11-29T10:00:00Z'}

    Attributes:
        id (int):  Example: 4.
        owner_id (int):  Example: 3.
        title (str):  Example: Tomato soup.
        ingredients (list[RecipeIngredientsItem]):  Example: [{'item': 'tomato', 'amount': 4, 'unit': 'pieces'}].
        instructions (list[RecipeInstructionsItem]):  Example: [{'step': 1, 'text': 'Chop the tomatoes.'}].
        cooking_time (int): Minutes. Example: 30.
        difficulty (RecipeDifficulty):  Example: easy.
        confidence_score (float):  Example: 0.9.
        cuisine_type (None | str):  Example: Italian.
        dietary_restrictions (list[str]):  Example: ['vegetarian'].
        prompt_version (str): The prompt template that produced it. Example: recipe/v1.
        provider (str):  Example: fake.
        model (str):  Example: fake-1.
        created_at (datetime.datetime):  Example: 2026-11-29T10:00:00Z.
    """

    id: int
    owner_id: int
    title: str
    ingredients: list[RecipeIngredientsItem]
    instructions: list[RecipeInstructionsItem]
    cooking_time: int
    difficulty: RecipeDifficulty
    confidence_score: float
    cuisine_type: None | str
    dietary_restrictions: list[str]
    prompt_version: str
    provider: str
    model: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        owner_id = self.owner_id

        title = self.title

        ingredients = []
        for ingredients_item_data in self.ingredients:
            ingredients_item = ingredients_item_data.to_dict()
            ingredients.append(ingredients_item)

        instructions = []
        for instructions_item_data in self.instructions:
            instructions_item = instructions_item_data.to_dict()
            instructions.append(instructions_item)

        cooking_time = self.cooking_time

        difficulty = self.difficulty.value

        confidence_score = self.confidence_score

        cuisine_type: None | str
        cuisine_type = self.cuisine_type

        dietary_restrictions = self.dietary_restrictions

        prompt_version = self.prompt_version

        provider = self.provider

        model = self.model

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "owner_id": owner_id,
                "title": title,
                "ingredients": ingredients,
                "instructions": instructions,
                "cooking_time": cooking_time,
                "difficulty": difficulty,
                "confidence_score": confidence_score,
                "cuisine_type": cuisine_type,
                "dietary_restrictions": dietary_restrictions,
                "prompt_version": prompt_version,
                "provider": provider,
                "model": model,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipe_ingredients_item import RecipeIngredientsItem  # noqa: PLC0415
        from ..models.recipe_instructions_item import RecipeInstructionsItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        owner_id = d.pop("owner_id")

        title = d.pop("title")

        ingredients = []
        _ingredients = d.pop("ingredients")
        for ingredients_item_data in _ingredients:
            ingredients_item = RecipeIngredientsItem.from_dict(ingredients_item_data)

            ingredients.append(ingredients_item)

        instructions = []
        _instructions = d.pop("instructions")
        for instructions_item_data in _instructions:
            instructions_item = RecipeInstructionsItem.from_dict(instructions_item_data)

            instructions.append(instructions_item)

        cooking_time = d.pop("cooking_time")

        difficulty = RecipeDifficulty(d.pop("difficulty"))

        confidence_score = d.pop("confidence_score")

        def _parse_cuisine_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cuisine_type = _parse_cuisine_type(d.pop("cuisine_type"))

        dietary_restrictions = cast(list[str], d.pop("dietary_restrictions"))

        prompt_version = d.pop("prompt_version")

        provider = d.pop("provider")

        model = d.pop("model")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        recipe = cls(
            id=id,
            owner_id=owner_id,
            title=title,
            ingredients=ingredients,
            instructions=instructions,
            cooking_time=cooking_time,
            difficulty=difficulty,
            confidence_score=confidence_score,
            cuisine_type=cuisine_type,
            dietary_restrictions=dietary_restrictions,
            prompt_version=prompt_version,
            provider=provider,
            model=model,
            created_at=created_at,
        )

        recipe.additional_properties = d
        return recipe

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
