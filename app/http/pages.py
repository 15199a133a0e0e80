"""A list page on the wire: `items`, `total`, `page`, `size`, `pages`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.infra.pagination import PageResult


def page_out(result: PageResult[Any], items: Sequence[object]) -> dict[str, object]:
    """The `data` of a page envelope, with `items` already mapped."""
    return {
        "items": list(items),
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
    }
