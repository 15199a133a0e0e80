"""Items: owned objects with ETags (handlers for the `items` tag)."""

from __future__ import annotations

from typing import Any

from connexion import NoContent

from app.http.conditional import if_match
from app.http.envelope import HandlerResponse
from app.http.handler_context import current_principal, get, unit_of_work
from app.http.owned_responses import fields, list_query, one_response, page_response, read_response
from app.http.parsing import parse_body
from app.infra.cache import Cache
from app.items import service as items
from app.items.mapping import item_out
from generated import models as api


def list_items(**query: Any) -> HandlerResponse:
    page, filters = list_query(query, "tag", "owner_id")
    result = items.list_items(
        unit_of_work(), current_principal(), page, cache=get(Cache), **filters
    )
    return page_response(api.ItemPageEnvelope, result, item_out)


def create_item(body: dict[str, Any]) -> HandlerResponse:
    req = fields(parse_body(api.ItemCreateRequest, body), tags=[])
    view = items.create_item(unit_of_work(), current_principal(), cache=get(Cache), **req)
    path = f"/items/{view.item.id}"
    return one_response(
        api.ItemEnvelope, view, item_out, status=201, message="Item created", path=path
    )


def get_item(item_id: int) -> HandlerResponse | tuple[Any, int, dict[str, str]]:
    view = items.get_item(unit_of_work(), current_principal(), item_id, cache=get(Cache))
    return read_response(api.ItemEnvelope, view, item_out)


def update_item(item_id: int, body: dict[str, Any]) -> HandlerResponse:
    changes = fields(parse_body(api.ItemUpdateRequest, body), tags=[], attributes={})
    view = items.update_item(
        unit_of_work(),
        current_principal(),
        item_id,
        cache=get(Cache),
        if_match=if_match(),
        **changes,
    )
    return one_response(api.ItemEnvelope, view, item_out, message="Item updated")


def delete_item(item_id: int) -> tuple[Any, int]:
    items.delete_item(
        unit_of_work(), current_principal(), item_id, cache=get(Cache), if_match=if_match()
    )
    return NoContent, 204
