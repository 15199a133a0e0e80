"""Documents: markdown with a publishing lifecycle (handlers for the `documents` tag)."""

from __future__ import annotations

from typing import Any, Literal

from connexion import NoContent

from app.documents import service as documents
from app.documents.mapping import document_out
from app.documents.models import DocumentStatus
from app.documents.service import DocumentView
from app.http.conditional import if_match, if_none_match, not_modified
from app.http.context import current_principal, get, unit_of_work
from app.http.envelope import HandlerResponse, respond
from app.http.links import link_header
from app.http.pages import page_out
from app.http.parsing import parse_body, query_datetime
from app.infra.cache import Cache
from app.infra.pagination import PageRequest
from generated import models as api


def _one(view: DocumentView, *, status: int = 200, message: str = "OK") -> HandlerResponse:
    return respond(
        api.DocumentEnvelope,
        document_out(view),
        status=status,
        message=message,
        headers={"ETag": view.etag},
    )


def list_documents(
    *,
    page: int = 1,
    size: int = 20,
    sort: str = "created_at",
    order: Literal["asc", "desc"] = "desc",
    q: str | None = None,
    tag: str | None = None,
    status: str | None = None,
    author_id: int | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
) -> HandlerResponse:
    result = documents.list_documents(
        unit_of_work(),
        current_principal(),
        PageRequest(page=page, size=size, sort=sort, order=order),
        cache=get(Cache),
        q=q,
        tag=tag,
        status=DocumentStatus(status) if status is not None else None,
        author_id=author_id,
        created_after=query_datetime("created_after", created_after),
        created_before=query_datetime("created_before", created_before),
    )
    data = page_out(result, [document_out(v) for v in result.items])
    return respond(
        api.DocumentPageEnvelope, data, headers=link_header(page=result.page, pages=result.pages)
    )


def create_document(body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.DocumentCreateRequest, body)
    view = documents.create_document(
        unit_of_work(),
        current_principal(),
        cache=get(Cache),
        title=req.title,
        content=req.content or "",
        tags=[t.root for t in req.tags or []],
    )
    body_, status, headers = _one(view, status=201, message="Draft created")
    headers["Location"] = f"/api/v1/documents/{view.document.id}"
    return body_, status, headers


def get_document(document_id: int) -> HandlerResponse | tuple[Any, int, dict[str, str]]:
    view = documents.get_document(
        unit_of_work(), current_principal(), document_id, cache=get(Cache)
    )
    if documents.not_modified(view, if_none_match()):
        return not_modified(view.etag)
    return _one(view)


def update_document(document_id: int, body: dict[str, Any]) -> HandlerResponse:
    req = parse_body(api.DocumentUpdateRequest, body)
    changes: dict[str, Any] = {}
    for field in req.model_fields_set:
        value = getattr(req, field)
        if field == "tags":
            value = [t.root for t in value or []]
        elif field == "content" and value is None:
            value = ""
        changes[field] = value
    view = documents.update_document(
        unit_of_work(),
        current_principal(),
        document_id,
        cache=get(Cache),
        if_match=if_match(),
        **changes,
    )
    return _one(view, message="Document updated")


def publish_document(document_id: int) -> HandlerResponse:
    view = documents.transition(
        unit_of_work(),
        current_principal(),
        document_id,
        "publish",
        cache=get(Cache),
        if_match=if_match(),
    )
    return _one(view, message="Document published")


def archive_document(document_id: int) -> HandlerResponse:
    view = documents.transition(
        unit_of_work(),
        current_principal(),
        document_id,
        "archive",
        cache=get(Cache),
        if_match=if_match(),
    )
    return _one(view, message="Document archived")


def delete_document(document_id: int) -> tuple[Any, int]:
    documents.delete_document(
        unit_of_work(),
        current_principal(),
        document_id,
        cache=get(Cache),
        if_match=if_match(),
    )
    return NoContent, 204
