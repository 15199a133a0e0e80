"""Items: owned objects with visibility by role, exact prices, tags, bounded attributes and
optimistic concurrency (versions as ETags).

Reads go through the cache (`items:item:<id>`, and list pages under the viewer's scope:
`items:list:all:<digest>` for admin/readonly, `items:list:owner:<id>:<digest>` for a user),
so one user's cached view never reaches another; every write drops the item's entry and the
list pages it can appear in. Visibility is checked on every read, cached or not.

Visibility: a `user` sees and changes only their own items; `admin` sees and changes every
item; `readonly` sees every item and changes none (the spec's `x-roles` refuse its writes
before they get here). An item the caller may not see is `not_found`, exactly as a missing
one, so ids cannot be probed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from app.accounts.models import Role
from app.accounts.principal import Principal
from app.errors import ForbiddenError, InvalidInputError, NotFoundError, field_error
from app.infra.cache import Cache, key_digest
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, contains_text, created_window, page_of
from app.items.models import PRICE_PLACES, Item, ItemTag
from app.owned import etags as versioning
from app.owned import tags as tagging
from app.owned.etags import RACE_LOST, PreconditionFailedError, check_if_match, etag

MAX_ATTRIBUTES_BYTES = 8 * 1024
MAX_ATTRIBUTES_DEPTH = 8  # objects/arrays nested in `attributes`, itself level 1
CENT = Decimal(1).scaleb(-PRICE_PLACES)
SORTABLE = {
    "id": Item.id,
    "name": Item.name,
    "price": Item.price,
    "created_at": Item.created_at,
    "updated_at": Item.updated_at,
}
UNSET: Any = object()  # "not in the request", as opposed to an explicit null


@dataclass(frozen=True)
class ItemView:
    """An item with its tags, as handlers return it."""

    item: Item
    tags: list[str]

    @property
    def etag(self) -> str:
        return etag(self.item.id, self.item.version)


def _sees_all(principal: Principal) -> bool:
    return principal.role in (Role.ADMIN, Role.READONLY)


def _not_found(item_id: int) -> NotFoundError:
    return NotFoundError(f"Item {item_id} does not exist.")


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


def _visible(uow: UnitOfWork, principal: Principal, item_id: int) -> Item:
    item = uow.session.get(Item, item_id)
    if item is None or not (_sees_all(principal) or item.owner_id == principal.user_id):
        raise _not_found(item_id)
    return item


def _writable(uow: UnitOfWork, principal: Principal, item_id: int) -> Item:
    """The item, if the caller may change it: its owner or an admin. (The spec's `x-roles`
    already refuse `readonly`; this keeps the rule true for callers other than the API.)"""
    if principal.role == Role.READONLY:
        raise ForbiddenError("The readonly role cannot change items.")
    item = _visible(uow, principal, item_id)
    if principal.role != Role.ADMIN and item.owner_id != principal.user_id:
        raise _not_found(item_id)
    return item


def _snapshot(item: Item, tags: list[str]) -> dict[str, Any]:
    """The cached form of an item (JSON)."""
    return {
        "id": item.id,
        "owner_id": item.owner_id,
        "name": item.name,
        "description": item.description,
        "price": str(item.price),
        "attributes": item.attributes,
        "version": item.version,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "tags": tags,
    }


def _from_snapshot(snap: dict[str, Any]) -> ItemView:
    item = Item(
        id=snap["id"],
        owner_id=snap["owner_id"],
        name=snap["name"],
        description=snap["description"],
        price=Decimal(snap["price"]),
        attributes=snap["attributes"],
        version=snap["version"],
        created_at=datetime.fromisoformat(snap["created_at"]),
        updated_at=datetime.fromisoformat(snap["updated_at"]),
    )
    return ItemView(item, list(snap["tags"]))


def _invalidate(cache: Cache, item_id: int | None, owner_id: int) -> None:
    cache.invalidate(f"items:item:{item_id}", "items:list:all:*", f"items:list:owner:{owner_id}:*")


def not_modified(view: ItemView, if_none_match: str | None) -> bool:
    return versioning.not_modified(view.etag, if_none_match)


def _tags(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, list[str]]:
    return tagging.tags_of(uow, ItemTag.item_id, ItemTag.tag, ids)


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
    if principal.role == Role.READONLY:
        raise ForbiddenError("The readonly role cannot create items.")
    item = Item(
        owner_id=principal.user_id,
        name=name.strip(),
        description=description,
        price=_price(price),
        attributes=_checked_attributes(attributes or {}),
    )
    with uow.transaction() as session:
        session.add(item)
        session.flush()
        assert item.id is not None
        stored = tagging.replace_tags(uow, ItemTag, "item_id", item.id, tags, new=True)
    _invalidate(cache, item.id, item.owner_id)
    return ItemView(item, stored)


def get_item(uow: UnitOfWork, principal: Principal, item_id: int, *, cache: Cache) -> ItemView:
    def produce() -> dict[str, Any] | None:
        item = uow.session.get(Item, item_id)
        return None if item is None else _snapshot(item, _tags(uow, [item_id])[item_id])

    snap = cache.get_or_set(f"items:item:{item_id}", produce)
    if snap is None or not (_sees_all(principal) or snap["owner_id"] == principal.user_id):
        raise _not_found(item_id)
    return _from_snapshot(snap)


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
    scope = "all" if _sees_all(principal) else f"owner:{principal.user_id}"
    digest = key_digest(
        request.page, request.size, request.sort, request.order, q, tag, owner_id,
        created_after, created_before,
    )  # fmt: skip

    def produce() -> dict[str, Any]:
        statement = select(Item).where(
            *created_window(Item.created_at, created_after, created_before)
        )
        if not _sees_all(principal):
            statement = statement.where(Item.owner_id == principal.user_id)
        if owner_id is not None:
            statement = statement.where(Item.owner_id == owner_id)
        if q:
            statement = statement.where(contains_text(q, Item.name))
        if tag is not None:
            with_tag = tagging.tagged(ItemTag.item_id, ItemTag.tag, tag)
            statement = statement.where(col(Item.id).in_(with_tag))
        page = page_of(uow.session, statement, request, sortable=SORTABLE, tiebreaker=Item.id)
        tags = _tags(uow, [i.id for i in page.items if i.id is not None])
        snaps = [_snapshot(i, tags[i.id]) for i in page.items if i.id is not None]
        return {"total": page.total, "items": snaps}

    cached = cache.get_or_set(f"items:list:{scope}:{digest}", produce)
    views = [_from_snapshot(snap) for snap in cached["items"]]
    return PageResult(items=views, total=cached["total"], page=request.page, size=request.size)


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
    """Change the given fields; with `if_match`, only that version. A concurrent writer that
    read the same version loses with 412 (the version check is in the UPDATE itself)."""
    try:
        with uow.transaction() as session:
            item = _writable(uow, principal, item_id)
            check_if_match(etag(item.id, item.version), if_match, what="item")
            if name is not UNSET:
                item.name = name.strip()
            if description is not UNSET:
                item.description = description
            if price is not UNSET:
                item.price = _price(price)
            if attributes is not UNSET:
                item.attributes = _checked_attributes(attributes)
            item.updated_at = utcnow()
            session.add(item)
            session.flush()  # the versioned UPDATE: raises StaleDataError if we lost a race
            assert item.id is not None
            stored = (
                tagging.replace_tags(uow, ItemTag, "item_id", item.id, tags)
                if tags is not UNSET
                else _tags(uow, [item.id])[item.id]
            )
    except StaleDataError:
        raise PreconditionFailedError(RACE_LOST) from None
    _invalidate(cache, item.id, item.owner_id)
    return ItemView(item, stored)


def delete_item(
    uow: UnitOfWork,
    principal: Principal,
    item_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
) -> None:
    try:
        with uow.transaction() as session:
            item = _writable(uow, principal, item_id)
            check_if_match(etag(item.id, item.version), if_match, what="item")
            owner_id = item.owner_id
            session.delete(item)  # tags go with it (ON DELETE CASCADE)
    except StaleDataError:
        raise PreconditionFailedError(RACE_LOST) from None
    _invalidate(cache, item_id, owner_id)
