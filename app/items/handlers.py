"""Items: owned objects with ETags (handlers for the `items` tag)."""

from __future__ import annotations

from typing import Any, Literal

from connexion import NoContent

from app.http.conditional import if_match, if_none_match, not_modified
from app.http.context import current_principal, get, unit_of_work
from app.http.envelope import HandlerResponse, respond
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import parse_body, query_datetime
from app.infra.cache import Cache
from app.infra.pagination import PageRequest
from app.items import service as items
from app.items.mapping import item_out
from generated import models as api


def list_items(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "created_at",
    order: Literal["asc", "desc"] = "desc",
    q: str | None = None,
    tag: str | None = None,
    owner_id: int | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
) -> HandlerResponse:
    result = items.list_items(
        unit_of_work(),
        current_principal(),
        PageRequest(page=page, size=size, sort=sort, order=order),
        cache=get(Cache),
        q=q,
        tag=tag,
        owner_id=owner_id,
        created_after=query_datetime("created_after", created_after),
        created_before=query_datetime("created_before", created_before),
    )
    data = page_out(result, [item_out(v) for v in result.items])
    return respond(
        api.ItemPageEnvelope, data, headers=link_header(page=result.page, pages=result.pages)
    )


def create_item(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.ItemCreateRequest, body)
    view = items.create_item(
        unit_of_work(),
        current_principal(),
        cache=get(Cache),
        name=req.name,
        price=req.price,
        description=req.description,
        tags=[t.root for t in req.tags or []],
        attributes=req.attributes.root if req.attributes is not None else None,
    )
    headers = {"ETag": view.etag, "Location": f"/api/v1/items/{view.item.id}"}
    return respond(
        api.ItemEnvelope, item_out(view), status=201, message="Item created", headers=headers
    )


def get_item(item_id: int) -> HandlerResponse | tuple[Any, int, dict[str, str]]:
    view = items.get_item(unit_of_work(), current_principal(), item_id, cache=get(Cache))
    if items.not_modified(view, if_none_match()):
        return not_modified(view.etag)
    return respond(api.ItemEnvelope, item_out(view), headers={"ETag": view.etag})


def update_item(item_id: int, body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.ItemUpdateRequest, body)
    changes: dict[str, Any] = {}
    for field in req.model_fields_set:
        value = getattr(req, field)
        if field == "tags":
            value = [t.root for t in value or []]
        elif field == "attributes":
            value = value.root if value is not None else {}
        changes[field] = value
    view = items.update_item(
        unit_of_work(),
        current_principal(),
        item_id,
        cache=get(Cache),
        if_match=if_match(),
        **changes,
    )
    return respond(
        api.ItemEnvelope, item_out(view), message="Item updated", headers={"ETag": view.etag}
    )


def delete_item(item_id: int) -> tuple[Any, int]:
    items.delete_item(
        unit_of_work(), current_principal(), item_id, cache=get(Cache), if_match=if_match()
    )
    return NoContent, 204
