"""The handler half of owned resources: list queries, pages, ETags, 304s and `Location`,
so each handler of an owned resource is a parse, one service call and one of these.

Imports HTTP plumbing (`app.http`) and the spec (`app.contract`); the service half
(`app.owned.resource`) imports neither.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel

from app.contract.lists import PAGE_PARAMETERS, location
from app.http.conditional import if_none_match, not_modified
from app.http.envelope import HandlerResponse, respond
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import query_datetime
from app.infra.pagination import PageRequest, PageResult
from app.owned.resource import Owned
from app.owned.resource import not_modified as unchanged
from generated.models import SuccessEnvelope

V = TypeVar("V", bound=Owned[Any])
E = TypeVar("E", bound=SuccessEnvelope)
SHARED_FILTERS = ("q", "created_after", "created_before")


def list_query(query: Mapping[str, Any], *filters: str) -> tuple[PageRequest, dict[str, Any]]:
    """A list handler's keyword arguments (Connexion has filled in the spec's defaults) as
    the page request and the filters the client sent, for the service: `q` and the
    created-at window (parsed) when the operation has them, and its own `filters`."""
    page = PageRequest(**{name: query[name] for name in PAGE_PARAMETERS})
    found = {name: query[name] for name in (*SHARED_FILTERS, *filters) if name in query}
    for bound in ("created_after", "created_before"):
        if bound in found:
            found[bound] = query_datetime(bound, found[bound])
    return page, found


def page_response(
    envelope: type[E], result: PageResult[Any], out: Callable[[Any], object]
) -> HandlerResponse:
    """The page envelope, each row mapped by `out`, with the `Link` header."""
    data = page_out(result, [out(row) for row in result.items])
    return respond(envelope, data, headers=link_header(page=result.page, pages=result.pages))


def one_response(
    envelope: type[E],
    view: V,
    out: Callable[[V], BaseModel],
    *,
    status: int = 200,
    message: str = "OK",
    path: str | None = None,
) -> HandlerResponse:
    """One row with its `ETag`; `path` (as in the spec, e.g. `/items/7`) becomes the
    `Location` under the spec's base path."""
    headers = {"ETag": view.etag}
    if path is not None:
        headers["Location"] = location(path)
    return respond(envelope, out(view), status=status, message=message, headers=headers)


def read_response(
    envelope: type[E], view: V, out: Callable[[V], BaseModel]
) -> HandlerResponse | tuple[Any, int, dict[str, str]]:
    """A GET: 304 when the client's `If-None-Match` names the current version."""
    if unchanged(view, if_none_match()):
        return not_modified(view.etag)
    return one_response(envelope, view, out)


def _plain(value: Any) -> Any:
    if isinstance(value, RootModel):
        return value.root
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def fields(request: BaseModel, **null_as: Any) -> dict[str, Any]:
    """The fields the client sent (absent ones are left to the service's defaults), as plain
    values (generated root models unwrapped); `null_as`: what an explicit null stands for."""
    out: dict[str, Any] = {}
    for name in request.model_fields_set:
        value = _plain(getattr(request, name))
        out[name] = null_as[name] if value is None and name in null_as else value
    return out
