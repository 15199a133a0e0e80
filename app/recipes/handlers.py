"""Recipes (handlers for the `recipes` tag)."""

from __future__ import annotations

from typing import Any

from connexion import NoContent

from app.ai.gateway import AIGateway
from app.contract.lists import location
from app.http.envelope import HandlerResponse, respond
from app.http.handler_context import current_principal, get, request_id, unit_of_work
from app.http.idempotency import idempotent
from app.http.pages import list_query, page_response
from app.http.parsing import parse_body
from app.recipes import service as recipes
from app.recipes.mapping import recipe_generation_out, recipe_out
from app.settings import Settings
from generated import models as api


@idempotent
def generate_recipe(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.RecipeGenerateRequest, body)
    done = recipes.generate(
        unit_of_work(),
        current_principal(),
        get(AIGateway),
        ingredients=[i.root for i in req.ingredients],
        dietary_restrictions=[d.root for d in req.dietary_restrictions or []],
        cuisine_type=req.cuisine_type,
        cooking_time_max=req.cooking_time_max,
        save=req.save is not False,
        provider=req.provider,
        model=req.model,
        default_max_tokens=get(Settings).ai.max_output_tokens,
        request_id=request_id(),
    )
    warnings = [api.Warning.model_validate(w) for w in done.completion.warnings]
    data = recipe_generation_out(done)
    if done.saved is None:
        return respond(
            api.RecipeGenerationEnvelope, data, message="Recipe generated", warnings=warnings
        )
    return respond(
        api.RecipeGenerationEnvelope,
        data,
        status=201,
        message="Recipe generated",
        warnings=warnings,
        headers={"Location": location(f"/recipes/{done.saved.id}")},
    )


def list_recipes(**query: Any) -> HandlerResponse:
    page, filters = list_query(query)
    result = recipes.list_recipes(unit_of_work(), current_principal(), page, **filters)
    return page_response(api.RecipePageEnvelope, result, recipe_out)


def get_recipe(recipe_id: int) -> HandlerResponse:
    recipe = recipes.get_recipe(unit_of_work(), current_principal(), recipe_id)
    return respond(api.RecipeEnvelope, recipe_out(recipe))


def delete_recipe(recipe_id: int) -> tuple[Any, int]:
    recipes.delete_recipe(unit_of_work(), current_principal(), recipe_id)
    return NoContent, 204
