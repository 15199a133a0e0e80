"""Recipes: generated through the completion service (structured output `GeneratedRecipe`,
prompt template `app/ai/prompts/recipe_v1.py`), then kept for their owner unless `save` is
false. Visibility is the items rule (`app.owned.policy.Ownership`): a caller sees and deletes
their own; `admin` sees and deletes all; `readonly` reads all (its deletes are refused by the
spec's `x-roles`). Someone else's recipe is `not_found`, like a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import select

from app.accounts.principal import Principal
from app.ai.gateway import AIGateway
from app.ai.prompts import recipe_v1
from app.completions import service as completions
from app.contract.lists import sort_fields
from app.errors import NotFoundError
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, contains_text, created_window, page_of
from app.owned.policy import Ownership
from app.recipes.models import Recipe

# The items rule (app/owned/policy.py): owners, admins, and auditors reading.
POLICY = Ownership(owner_field="owner_id", audited=True)


@dataclass(frozen=True)
class Generated:
    completion: completions.CompletionResult
    saved: Recipe | None
    prompt_version: str


def generate(
    uow: UnitOfWork,
    principal: Principal,
    gateway: AIGateway,
    *,
    ingredients: Sequence[str],
    dietary_restrictions: Sequence[str] = (),
    cuisine_type: str | None = None,
    cooking_time_max: int | None = None,
    save: bool = True,
    provider: str | None = None,
    model: str | None = None,
    default_max_tokens: int,
    request_id: str | None = None,
    operation: str = "recipe",
) -> Generated:
    result = completions.complete(
        uow,
        principal,
        gateway,
        recipe_input(
            ingredients=ingredients,
            dietary_restrictions=dietary_restrictions,
            cuisine_type=cuisine_type,
            cooking_time_max=cooking_time_max,
            provider=provider,
            model=model,
        ),
        default_max_tokens=default_max_tokens,
        request_id=request_id,
        operation=operation,
    )
    answer = result.object
    assert answer is not None  # validated against GeneratedRecipe
    if cooking_time_max is not None and answer["cooking_time"] > cooking_time_max:
        # The prompt asked for it; the schema cannot know the caller's limit. Say so.
        over = {
            "code": "validation_warning",
            "message": "The recipe takes longer than cooking_time_max.",
            "details": {"cooking_time": answer["cooking_time"], "max": cooking_time_max},
        }
        result = replace(result, warnings=[*result.warnings, over])
    saved = None
    if save:
        saved = recipe_of(
            principal.user_id,
            result,
            cuisine_type=cuisine_type,
            dietary_restrictions=dietary_restrictions,
        )
        with uow.transaction() as session:
            session.add(saved)
    return Generated(completion=result, saved=saved, prompt_version=recipe_v1.VERSION)


def recipe_input(
    *,
    ingredients: Sequence[str],
    dietary_restrictions: Sequence[str] = (),
    cuisine_type: str | None = None,
    cooking_time_max: int | None = None,
    provider: str | None = None,
    model: str | None = None,
) -> completions.CompletionInput:
    """The completion a recipe request makes."""
    return completions.CompletionInput(
        messages=recipe_v1.messages(
            ingredients=ingredients,
            dietary_restrictions=dietary_restrictions,
            cuisine_type=cuisine_type,
            cooking_time_max=cooking_time_max,
        ),
        provider=provider,
        model=model,
        temperature=0,
        response_schema="GeneratedRecipe",
        prompt_version=recipe_v1.VERSION,
    )


def recipe_of(
    owner_id: int,
    result: completions.CompletionResult,
    *,
    cuisine_type: str | None,
    dietary_restrictions: Sequence[str],
) -> Recipe:
    """The `Recipe` row for a generated answer, not yet added to a session (an async job
    keeps it in the same transaction that records its result, or not at all)."""
    answer = result.object
    assert answer is not None  # validated against GeneratedRecipe
    return Recipe(
        owner_id=owner_id,
        title=answer["title"],
        ingredients=answer["ingredients"],
        instructions=answer["instructions"],
        cooking_time=answer["cooking_time"],
        difficulty=answer["difficulty"],
        confidence_score=answer["confidence_score"],
        cuisine_type=cuisine_type,
        dietary_restrictions=list(dietary_restrictions),
        prompt_version=recipe_v1.VERSION,
        provider=result.provider,
        model=result.model,
    )


def get_recipe(uow: UnitOfWork, principal: Principal, recipe_id: int) -> Recipe:
    recipe = uow.session.get(Recipe, recipe_id)
    if recipe is None or not POLICY.can_read(principal, recipe):
        raise NotFoundError(f"Recipe {recipe_id} does not exist.")
    return recipe


def list_recipes(
    uow: UnitOfWork,
    principal: Principal,
    request: PageRequest,
    *,
    q: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> PageResult[Recipe]:
    statement = select(Recipe).where(
        POLICY.readable(principal, Recipe),
        *created_window(Recipe.created_at, created_after, created_before),
    )
    if q:
        statement = statement.where(contains_text(q, Recipe.title))
    sortable = {f: getattr(Recipe, f) for f in sort_fields("listRecipes")}
    return page_of(uow.session, statement, request, sortable=sortable, tiebreaker=Recipe.id)


def delete_recipe(uow: UnitOfWork, principal: Principal, recipe_id: int) -> None:
    with uow.transaction() as session:
        recipe = get_recipe(uow, principal, recipe_id)
        if not POLICY.can_write(principal, recipe):
            raise NotFoundError(f"Recipe {recipe_id} does not exist.")
        session.delete(recipe)
