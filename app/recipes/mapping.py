"""Recipes and recipe generations as wire models."""

from __future__ import annotations

from typing import Any

from app.completions.mapping import money, usage_out
from app.completions.service import CompletionResult
from app.recipes.models import Recipe
from app.recipes.service import Generated
from generated import models as api


def recipe_out(recipe: Recipe) -> api.Recipe:
    return api.Recipe.model_validate(recipe, from_attributes=True)


def recipe_generation_out(done: Generated) -> dict[str, Any]:
    saved_id = done.saved.id if done.saved else None
    return generation_out(done.completion, saved_id=saved_id, prompt_version=done.prompt_version)


def generation_out(
    result: CompletionResult, *, saved_id: int | None, prompt_version: str
) -> dict[str, Any]:
    """A recipe generation (also a recipe job's stored result, rendered on read)."""
    return {
        "recipe": result.object,
        "saved_id": saved_id,
        "prompt_version": prompt_version,
        "provider": result.provider,
        "model": result.model,
        "usage": usage_out(result.prompt_tokens, result.completion_tokens),
        "cost_usd": money(result.cost_usd),
        "latency_ms": result.latency_ms,
        "attempts": result.attempts,
        "cached": result.cached,
    }
