"""Recipes and recipe generations as wire models."""

from __future__ import annotations

from typing import Any

from app.completions.mapping import money, usage_out
from app.recipes.models import Recipe
from app.recipes.service import Generated
from generated import models as api


def recipe_out(recipe: Recipe) -> api.Recipe:
    return api.Recipe.model_validate(recipe, from_attributes=True)


def recipe_generation_out(done: Generated) -> dict[str, Any]:
    result = done.completion
    return {
        "recipe": result.object,
        "saved_id": done.saved.id if done.saved else None,
        "prompt_version": done.prompt_version,
        "provider": result.provider,
        "model": result.model,
        "usage": usage_out(result.prompt_tokens, result.completion_tokens),
        "cost_usd": money(result.cost_usd),
        "latency_ms": result.latency_ms,
        "attempts": result.attempts,
        "cached": result.cached,
    }
