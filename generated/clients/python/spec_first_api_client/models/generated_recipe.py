from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.generated_recipe_difficulty import GeneratedRecipeDifficulty

if TYPE_CHECKING:
    from ..models.generated_recipe_ingredients_item import GeneratedRecipeIngredientsItem
    from ..models.generated_recipe_instructions_item import GeneratedRecipeInstructionsItem


T = TypeVar("T", bound="GeneratedRecipe")


@_attrs_define
class GeneratedRecipe:
    """A recipe as the model writes it (the answer schema of `POST /recipes/generate`).

    Example:
        {'title': 'Tomato soup', 'ingredients': [{'item': 'tomato', 'amount': 4, 'unit': 'pieces'}], 'instructions':
            [{'step': 1, 'text': 'Chop the tomatoes.'}], 'cooking_time': 30, 'difficulty': 'easy', 'confidence_score': 0.9}

    Attributes:
        title (str):  Example: Tomato soup.
        ingredients (list[GeneratedRecipeIngredientsItem]):
        instructions (list[GeneratedRecipeInstructionsItem]):
        cooking_time (int): Minutes. Example: 30.
        difficulty (GeneratedRecipeDifficulty):  Example: easy.
        confidence_score (float): The model's own confidence (below `AI_LOW_CONFIDENCE` gives a `low_confidence`
            warning). Example: 0.9.
    """

    title: str
    ingredients: list[GeneratedRecipeIngredientsItem]
    instructions: list[GeneratedRecipeInstructionsItem]
    cooking_time: int
    difficulty: GeneratedRecipeDifficulty
    confidence_score: float

    def to_dict(self) -> dict[str, Any]:
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "ingredients": ingredients,
                "instructions": instructions,
                "cooking_time": cooking_time,
                "difficulty": difficulty,
                "confidence_score": confidence_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generated_recipe_ingredients_item import GeneratedRecipeIngredientsItem  # noqa: PLC0415
        from ..models.generated_recipe_instructions_item import GeneratedRecipeInstructionsItem  # noqa: PLC0415

        d = dict(src_dict)
        title = d.pop("title")

        ingredients = []
        _ingredients = d.pop("ingredients")
        for ingredients_item_data in _ingredients:
            ingredients_item = GeneratedRecipeIngredientsItem.from_dict(ingredients_item_data)

            ingredients.append(ingredients_item)

        instructions = []
        _instructions = d.pop("instructions")
        for instructions_item_data in _instructions:
            instructions_item = GeneratedRecipeInstructionsItem.from_dict(instructions_item_data)

            instructions.append(instructions_item)

        cooking_time = d.pop("cooking_time")

        difficulty = GeneratedRecipeDifficulty(d.pop("difficulty"))

        confidence_score = d.pop("confidence_score")

        generated_recipe = cls(
            title=title,
            ingredients=ingredients,
            instructions=instructions,
            cooking_time=cooking_time,
            difficulty=difficulty,
            confidence_score=confidence_score,
        )

        return generated_recipe
