"""Documents: markdown with a publishing lifecycle (handlers for the `documents` tag)."""

from __future__ import annotations

from typing import Any

from connexion import NoContent

from app.documents import service as documents
from app.documents.mapping import document_out
from app.documents.service import DocumentView
from app.http.conditional import if_match
from app.http.envelope import HandlerResponse
from app.http.handler_context import current_principal, get, unit_of_work
from app.http.owned_responses import fields, list_query, one_response, page_response, read_response
from app.http.parsing import parse_body
from app.infra.cache import Cache
from generated import models as api


def _one(view: DocumentView, message: str) -> HandlerResponse:
    return one_response(api.DocumentEnvelope, view, document_out, message=message)


def list_documents(**query: Any) -> HandlerResponse:
    page, filters = list_query(query, "tag", "status", "author_id")
    result = documents.list_documents(
        unit_of_work(), current_principal(), page, cache=get(Cache), **filters
    )
    return page_response(api.DocumentPageEnvelope, result, document_out)


def create_document(body: dict[str, Any]) -> HandlerResponse:
    req = fields(parse_body(api.DocumentCreateRequest, body), content="", tags=[])
    view = documents.create_document(unit_of_work(), current_principal(), cache=get(Cache), **req)
    path = f"/documents/{view.document.id}"
    return one_response(
        api.DocumentEnvelope, view, document_out, status=201, message="Draft created", path=path
    )


def get_document(document_id: int) -> HandlerResponse | tuple[Any, int, dict[str, str]]:
    view = documents.get_document(
        unit_of_work(), current_principal(), document_id, cache=get(Cache)
    )
    return read_response(api.DocumentEnvelope, view, document_out)


def update_document(document_id: int, body: dict[str, Any]) -> HandlerResponse:
    changes = fields(parse_body(api.DocumentUpdateRequest, body), content="", tags=[])
    view = documents.update_document(
        unit_of_work(),
        current_principal(),
        document_id,
        cache=get(Cache),
        if_match=if_match(),
        **changes,
    )
    return _one(view, "Document updated")


def _move(document_id: int, action: str, message: str) -> HandlerResponse:
    view = documents.transition(
        unit_of_work(),
        current_principal(),
        document_id,
        action,
        cache=get(Cache),
        if_match=if_match(),
    )
    return _one(view, message)


def publish_document(document_id: int) -> HandlerResponse:
    return _move(document_id, "publish", "Document published")


def archive_document(document_id: int) -> HandlerResponse:
    return _move(document_id, "archive", "Document archived")


def delete_document(document_id: int) -> tuple[Any, int]:
    documents.delete_document(
        unit_of_work(),
        current_principal(),
        document_id,
        cache=get(Cache),
        if_match=if_match(),
    )
    return NoContent, 204
