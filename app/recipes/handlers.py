"""Recipes (handlers for the `recipes` tag)."""

from __future__ import annotations

from typing import Any, Literal

from connexion import NoContent

from app.ai.gateway import AIGateway
from app.http.context import current_principal, get, request_id, unit_of_work
from app.http.envelope import HandlerResponse, respond
from app.http.idempotency import idempotent
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import parse_body, query_datetime
from app.infra.pagination import PageRequest
from app.recipes import service as recipes
from app.recipes.mapping import recipe_generation_out, recipe_out
from app.settings import Settings
from generated import models as api


@idempotent("generateRecipe")
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
        default_max_tokens=get(Settings).ai_max_output_tokens,
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
        headers={"Location": f"/api/v1/recipes/{done.saved.id}"},
    )


def list_recipes(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "created_at",
    order: Literal["asc", "desc"] = "desc",
    q: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
) -> HandlerResponse:
    result = recipes.list_recipes(
        unit_of_work(),
        current_principal(),
        PageRequest(page=page, size=size, sort=sort, order=order),
        q=q,
        created_after=query_datetime("created_after", created_after),
        created_before=query_datetime("created_before", created_before),
    )
    data = page_out(result, [recipe_out(r) for r in result.items])
    return respond(
        api.RecipePageEnvelope, data, headers=link_header(page=result.page, pages=result.pages)
    )


def get_recipe(recipe_id: int) -> HandlerResponse:
    recipe = recipes.get_recipe(unit_of_work(), current_principal(), recipe_id)
    return respond(api.RecipeEnvelope, recipe_out(recipe))


def delete_recipe(recipe_id: int) -> tuple[Any, int]:
    recipes.delete_recipe(unit_of_work(), current_principal(), recipe_id)
    return NoContent, 204
