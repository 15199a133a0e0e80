"""List pages on the wire, the same way for every list operation: the page request and
filters from the handler's keyword arguments (Connexion has filled in the spec's defaults,
so no signature repeats them), and the page envelope (`items`, `total`, `page`, `size`,
`pages`) with its RFC 8288 `Link` header.

A list handler is then three lines:

    def list_users(**query: Any) -> HandlerResponse:
        page, filters = list_query(query, "role", "is_active")
        return page_response(api.UserPageEnvelope, users.list_users(uow, page, **filters), user_out)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from app.contract.lists import PAGE_PARAMETERS
from app.http.envelope import HandlerResponse, respond
from app.http.links import link_header
from app.http.parsing import query_datetime
from app.infra.pagination import PageRequest, PageResult
from generated.models import SuccessEnvelope

E = TypeVar("E", bound=SuccessEnvelope)
SHARED_FILTERS = ("q", "created_after", "created_before")


def list_query(
    query: Mapping[str, Any], *filters: str, datetimes: Sequence[str] = ()
) -> tuple[PageRequest, dict[str, Any]]:
    """A list handler's keyword arguments as the page request and the filters the client
    sent, for the service: `q` and the created-at window when the operation has them, its
    own `filters`, and its own date-time `datetimes`. Date-times are parsed (400
    `invalid_parameter` naming the parameter); absent filters are left out."""
    page = PageRequest(**{name: query[name] for name in PAGE_PARAMETERS if name in query})
    names = (*SHARED_FILTERS, *filters, *datetimes)
    found = {name: query[name] for name in names if name in query}
    for name in ("created_after", "created_before", *datetimes):
        if name in found:
            found[name] = query_datetime(name, found[name])
    return page, found


def page_out(result: PageResult[Any], items: Sequence[object]) -> dict[str, object]:
    """The `data` of a page envelope, with `items` already mapped."""
    return {
        "items": list(items),
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
    }


def page_response(
    envelope: type[E], result: PageResult[Any], out: Callable[[Any], object]
) -> HandlerResponse:
    """The page envelope, each row mapped by `out`, with the `Link` header."""
    data = page_out(result, [out(row) for row in result.items])
    return respond(envelope, data, headers=link_header(page=result.page, pages=result.pages))
