"""Items as wire models."""

from __future__ import annotations

from app.items.service import ItemView
from generated import models as api


def item_out(view: ItemView) -> api.Item:
    item = view.item
    assert item.id is not None
    return api.Item(
        id=item.id,
        owner_id=item.owner_id,
        name=item.name,
        description=item.description,
        price=f"{item.price:.2f}",
        tags=view.tags,
        attributes=item.attributes,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )
