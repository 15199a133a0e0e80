from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.generated_recipe import GeneratedRecipe
    from ..models.token_usage import TokenUsage


T = TypeVar("T", bound="RecipeGeneration")


@_attrs_define
class RecipeGeneration:
    """The generated recipe, where it was kept (`saved_id`, null with `save` false), and what it cost.

    Example:
        {'recipe': {'title': 'Tomato soup', 'ingredients': [{'item': 'tomato', 'amount': 4, 'unit': 'pieces'}],
            'instructions': [{'step': 1, 'text': 'Chop the tomatoes.'}], 'cooking_time': 30, 'difficulty': 'easy',
            'confidence_score': 0.9}, 'saved_id': 4, 'prompt_version': 'recipe/v1', 'provider': 'fake', 'model': 'fake-1',
            'usage': {'prompt_tokens': 80, 'completion_tokens': 60, 'total_tokens': 140}, 'cost_usd': '0.000000',
            'latency_ms': 0, 'attempts': 1, 'cached': False}

    Attributes:
        recipe (GeneratedRecipe): A recipe as the model writes it (the answer schema of `POST /recipes/generate`).
            Example: {'title': 'Tomato soup', 'ingredients': [{'item': 'tomato', 'amount': 4, 'unit': 'pieces'}],
            'instructions': [{'step': 1, 'text': 'Chop the tomatoes.'}], 'cooking_time': 30, 'difficulty': 'easy',
            'confidence_score': 0.9}.
        saved_id (int | None):  Example: 4.
        prompt_version (str):  Example: recipe/v1.
        provider (str):  Example: fake.
        model (str):  Example: fake-1.
        usage (TokenUsage): Tokens as the provider counted them, summed over every attempt (repairs and retries
            included). Example: {'prompt_tokens': 42, 'completion_tokens': 128, 'total_tokens': 170}.
        cost_usd (None | str): As in `AICompletion`: null when the model's price is unknown (`unknown_price` warning).
            Example: 0.000000.
        latency_ms (int):  Example: 0.
        attempts (int):  Example: 1.
        cached (bool):  Example: False.
    """

    recipe: GeneratedRecipe
    saved_id: int | None
    prompt_version: str
    provider: str
    model: str
    usage: TokenUsage
    cost_usd: None | str
    latency_ms: int
    attempts: int
    cached: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recipe = self.recipe.to_dict()

        saved_id: int | None
        saved_id = self.saved_id

        prompt_version = self.prompt_version

        provider = self.provider

        model = self.model

        usage = self.usage.to_dict()

        cost_usd: None | str
        cost_usd = self.cost_usd

        latency_ms = self.latency_ms

        attempts = self.attempts

        cached = self.cached

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipe": recipe,
                "saved_id": saved_id,
                "prompt_version": prompt_version,
                "provider": provider,
                "model": model,
                "usage": usage,
                "cost_usd": cost_usd,
                "latency_ms": latency_ms,
                "attempts": attempts,
                "cached": cached,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generated_recipe import GeneratedRecipe  # noqa: PLC0415
        from ..models.token_usage import TokenUsage  # noqa: PLC0415

        d = dict(src_dict)
        recipe = GeneratedRecipe.from_dict(d.pop("recipe"))

        def _parse_saved_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        saved_id = _parse_saved_id(d.pop("saved_id"))

        prompt_version = d.pop("prompt_version")

        provider = d.pop("provider")

        model = d.pop("model")

        usage = TokenUsage.from_dict(d.pop("usage"))

        def _parse_cost_usd(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        latency_ms = d.pop("latency_ms")

        attempts = d.pop("attempts")

        cached = d.pop("cached")

        recipe_generation = cls(
            recipe=recipe,
            saved_id=saved_id,
            prompt_version=prompt_version,
            provider=provider,
            model=model,
            usage=usage,
            cost_usd=cost_usd,
            latency_ms=latency_ms,
            attempts=attempts,
            cached=cached,
        )

        recipe_generation.additional_properties = d
        return recipe_generation

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
