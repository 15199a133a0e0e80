from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.job_recipe_request_kind import JobRecipeRequestKind

if TYPE_CHECKING:
    from ..models.recipe_generate_request import RecipeGenerateRequest


T = TypeVar("T", bound="JobRecipeRequest")


@_attrs_define
class JobRecipeRequest:
    """
    Example:
        {'kind': 'recipe', 'recipe': {'ingredients': ['tomatoes', 'onion', 'garlic']}}

    Attributes:
        kind (JobRecipeRequestKind):  Example: recipe.
        recipe (RecipeGenerateRequest):  Example: {'ingredients': ['tomatoes', 'onion', 'garlic'],
            'dietary_restrictions': ['vegetarian'], 'cuisine_type': 'Italian', 'cooking_time_max': 45}.
    """

    kind: JobRecipeRequestKind
    recipe: RecipeGenerateRequest

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        recipe = self.recipe.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "recipe": recipe,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipe_generate_request import RecipeGenerateRequest  # noqa: PLC0415

        d = dict(src_dict)
        kind = JobRecipeRequestKind(d.pop("kind"))

        recipe = RecipeGenerateRequest.from_dict(d.pop("recipe"))

        job_recipe_request = cls(
            kind=kind,
            recipe=recipe,
        )

        return job_recipe_request
