"""The handler half of owned resources: ETags, 304s, `Location` and request fields (list
pages are `app.http.pages`, re-exported here), so each handler of an owned resource is a
parse, one service call and one of these.

It lives with the HTTP plumbing, over the service half (`app.owned.resource`), which imports
no HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel

from app.contract.lists import location
from app.http.conditional import if_none_match, not_modified
from app.http.envelope import HandlerResponse, respond
from app.http.pages import list_query, page_response
from app.owned.resource import Owned
from app.owned.resource import not_modified as unchanged
from generated.models import SuccessEnvelope

__all__ = ["fields", "list_query", "one_response", "page_response", "read_response"]

V = TypeVar("V", bound=Owned[Any])
E = TypeVar("E", bound=SuccessEnvelope)


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
