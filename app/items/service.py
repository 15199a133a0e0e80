"""Items: owned objects with exact prices, tags, bounded attributes and optimistic
concurrency (versions as ETags).

Everything items share with other owned resources (who sees which item, ETags and
`If-Match`, the read-through cache and its invalidation, tags, list pages) is
`app.owned.resource.OwnedResource`; this module keeps what is the items' own: prices,
attribute bounds, and which fields a write may change.

Visibility (`Ownership(audited=True)`): a caller sees and changes their own items; `admin`
every item; `readonly`, the auditor role, sees every item (and changes none: the spec's
`x-roles` refuse its writes before they get here). An item the caller may not see is
`not_found`, exactly as a missing one, so ids cannot be probed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.accounts.principal import Principal
from app.contract.lists import sort_fields
from app.errors import InvalidInputError, field_error
from app.infra.cache import Cache
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult
from app.items.models import PRICE_PLACES, Item, ItemTag
from app.owned.etags import PreconditionFailedError
from app.owned.policy import Ownership
from app.owned.resource import UNSET, Owned, OwnedResource, TagTable, not_modified

__all__ = ["ITEMS", "ItemView", "PreconditionFailedError", "not_modified"]

MAX_ATTRIBUTES_BYTES = 8 * 1024
MAX_ATTRIBUTES_DEPTH = 8  # objects/arrays nested in `attributes`, itself level 1
CENT = Decimal(1).scaleb(-PRICE_PLACES)


class ItemView(Owned[Item]):
    """An item with its tags, as handlers return it."""

    @property
    def item(self) -> Item:
        return self.row


ITEMS: OwnedResource[Item, ItemView] = OwnedResource(
    Item,
    ItemView,
    name="items",
    noun="Item",
    policy=Ownership(owner_field="owner_id", audited=True),
    sortable=lambda: sort_fields("listItems"),
    search=("name",),
    tags=TagTable(ItemTag, "item_id"),
)


def _price(text: str) -> Decimal:
    """The spec's pattern already guarantees a non-negative decimal with <= 2 places."""
    return Decimal(text).quantize(CENT)


def _depth(value: Any) -> int:
    """Nesting depth of a JSON value, iteratively (no recursion on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _checked_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Bounded before anything is stored: depth (deep JSON cannot be serialized back, so it
    would be stored and then fail to render), then size."""
    if _depth(attributes) > MAX_ATTRIBUTES_DEPTH:
        raise InvalidInputError(
            f"attributes nest deeper than {MAX_ATTRIBUTES_DEPTH} levels.",
            code="attributes_too_deep",
            errors=[field_error("body", "attributes", f"At most {MAX_ATTRIBUTES_DEPTH} levels.")],
        )
    size = len(json.dumps(attributes, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_ATTRIBUTES_BYTES:
        raise InvalidInputError(
            f"attributes take {size} bytes as JSON; at most {MAX_ATTRIBUTES_BYTES} are allowed.",
            code="attributes_too_large",
            errors=[field_error("body", "attributes", f"At most {MAX_ATTRIBUTES_BYTES} bytes.")],
        )
    return attributes


def create_item(
    uow: UnitOfWork,
    principal: Principal,
    *,
    cache: Cache,
    name: str,
    price: str,
    description: str | None = None,
    tags: Sequence[str] = (),
    attributes: dict[str, Any] | None = None,
) -> ItemView:
    item = Item(
        owner_id=principal.user_id,
        name=name.strip(),
        description=description,
        price=_price(price),
        attributes=_checked_attributes(attributes or {}),
    )
    return ITEMS.create(uow, principal, item, cache=cache, tags=tags)


def get_item(uow: UnitOfWork, principal: Principal, item_id: int, *, cache: Cache) -> ItemView:
    return ITEMS.get(uow, principal, item_id, cache=cache)


def list_items(
    uow: UnitOfWork,
    principal: Principal,
    request: PageRequest,
    *,
    cache: Cache,
    q: str | None = None,
    tag: str | None = None,
    owner_id: int | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> PageResult[ItemView]:
    """A page of visible items; `q` matches the name, case-insensitively."""
    return ITEMS.page(
        uow, principal, request, cache=cache, q=q, tag=tag, where={"owner_id": owner_id},
        created_after=created_after, created_before=created_before,
    )  # fmt: skip


def update_item(
    uow: UnitOfWork,
    principal: Principal,
    item_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
    name: str = UNSET,
    description: str | None = UNSET,
    price: str = UNSET,
    tags: Sequence[str] = UNSET,
    attributes: dict[str, Any] = UNSET,
) -> ItemView:
    """Change the given fields; with `if_match`, only that version."""

    def apply(item: Item) -> None:
        if name is not UNSET:
            item.name = name.strip()
        if description is not UNSET:
            item.description = description
        if price is not UNSET:
            item.price = _price(price)
        if attributes is not UNSET:
            item.attributes = _checked_attributes(attributes)

    return ITEMS.change(uow, principal, item_id, apply, cache=cache, if_match=if_match, tags=tags)


def delete_item(
    uow: UnitOfWork,
    principal: Principal,
    item_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
) -> None:
    ITEMS.delete(uow, principal, item_id, cache=cache, if_match=if_match)
