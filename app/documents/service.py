"""Documents: markdown with a publishing lifecycle, versions as ETags, tags.

Visibility: published documents are visible to every authenticated caller; drafts and
archived documents to their author and admins only. Invisible is `not_found`, exactly as
missing. Writes: the author or an admin; a caller who can see a document but may not change
it (someone else's published one) gets `forbidden`; `readonly` never writes.

Reads go through the cache (`documents:doc:<id>`; list pages under the viewer's scope,
`documents:list:all:<digest>` for admins and `documents:list:viewer:<id>:<digest>` for
everyone else); a write drops the document's entry and every document list page (a
published document appears in everyone's lists). Visibility is checked on every read.

Lifecycle: publish `draft -> published` (sets `published_at`), archive `draft|published ->
archived`; any other move is 409 `invalid_transition`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from app.accounts.models import Role
from app.accounts.principal import Principal
from app.documents.models import Document, DocumentStatus, DocumentTag
from app.errors import ConflictError, ForbiddenError, NotFoundError
from app.infra.cache import Cache, key_digest
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult, contains_text, created_window, page_of
from app.owned import etags as versioning
from app.owned import tags as tagging
from app.owned.etags import RACE_LOST, PreconditionFailedError, check_if_match, etag

SORTABLE = {
    "id": Document.id,
    "title": Document.title,
    "created_at": Document.created_at,
    "updated_at": Document.updated_at,
    "published_at": Document.published_at,
}
# action -> (statuses it may start from, status it ends in)
TRANSITIONS: dict[str, tuple[frozenset[DocumentStatus], DocumentStatus]] = {
    "publish": (frozenset({DocumentStatus.DRAFT}), DocumentStatus.PUBLISHED),
    "archive": (
        frozenset({DocumentStatus.DRAFT, DocumentStatus.PUBLISHED}),
        DocumentStatus.ARCHIVED,
    ),
}
UNSET: Any = object()


@dataclass(frozen=True)
class DocumentView:
    document: Document
    tags: list[str]

    @property
    def etag(self) -> str:
        return etag(self.document.id, self.document.version)


def _snapshot(document: Document, tags: list[str]) -> dict[str, Any]:
    return {
        "id": document.id,
        "author_id": document.author_id,
        "title": document.title,
        "content": document.content,
        "status": document.status.value,
        "published_at": document.published_at.isoformat() if document.published_at else None,
        "version": document.version,
        "created_at": document.created_at.isoformat(),
        "updated_at": document.updated_at.isoformat(),
        "tags": tags,
    }


def _from_snapshot(snap: dict[str, Any]) -> DocumentView:
    published = snap["published_at"]
    document = Document(
        id=snap["id"],
        author_id=snap["author_id"],
        title=snap["title"],
        content=snap["content"],
        status=DocumentStatus(snap["status"]),
        published_at=datetime.fromisoformat(published) if published else None,
        version=snap["version"],
        created_at=datetime.fromisoformat(snap["created_at"]),
        updated_at=datetime.fromisoformat(snap["updated_at"]),
    )
    return DocumentView(document, list(snap["tags"]))


def _invalidate(cache: Cache, document_id: int | None) -> None:
    cache.invalidate(f"documents:doc:{document_id}", "documents:list:*")


def not_modified(view: DocumentView, if_none_match: str | None) -> bool:
    return versioning.not_modified(view.etag, if_none_match)


def _tags(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, list[str]]:
    return tagging.tags_of(uow, DocumentTag.document_id, DocumentTag.tag, ids)


def _can_see(principal: Principal, document: Document) -> bool:
    return (
        principal.role == Role.ADMIN
        or document.author_id == principal.user_id
        or document.status == DocumentStatus.PUBLISHED
    )


def _not_found(document_id: int) -> NotFoundError:
    return NotFoundError(f"Document {document_id} does not exist.")


def _visible(uow: UnitOfWork, principal: Principal, document_id: int) -> Document:
    document = uow.session.get(Document, document_id)
    if document is None or not _can_see(principal, document):
        raise _not_found(document_id)
    return document


def _writable(uow: UnitOfWork, principal: Principal, document_id: int) -> Document:
    if principal.role == Role.READONLY:
        raise ForbiddenError("The readonly role cannot change documents.")
    document = _visible(uow, principal, document_id)
    if principal.role != Role.ADMIN and document.author_id != principal.user_id:
        raise ForbiddenError(f"Document {document_id} belongs to another author.")
    return document


def create_document(
    uow: UnitOfWork,
    principal: Principal,
    *,
    cache: Cache,
    title: str,
    content: str = "",
    tags: Sequence[str] = (),
) -> DocumentView:
    if principal.role == Role.READONLY:
        raise ForbiddenError("The readonly role cannot create documents.")
    document = Document(author_id=principal.user_id, title=title.strip(), content=content)
    with uow.transaction() as session:
        session.add(document)
        session.flush()
        assert document.id is not None
        stored = tagging.replace_tags(uow, DocumentTag, "document_id", document.id, tags, new=True)
    _invalidate(cache, document.id)
    return DocumentView(document, stored)


def get_document(
    uow: UnitOfWork, principal: Principal, document_id: int, *, cache: Cache
) -> DocumentView:
    def produce() -> dict[str, Any] | None:
        document = uow.session.get(Document, document_id)
        if document is None:
            return None
        return _snapshot(document, _tags(uow, [document_id])[document_id])

    snap = cache.get_or_set(f"documents:doc:{document_id}", produce)
    if snap is None:
        raise _not_found(document_id)
    view = _from_snapshot(snap)
    if not _can_see(principal, view.document):
        raise _not_found(document_id)
    return view


def list_documents(
    uow: UnitOfWork,
    principal: Principal,
    request: PageRequest,
    *,
    cache: Cache,
    q: str | None = None,
    tag: str | None = None,
    status: DocumentStatus | None = None,
    author_id: int | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> PageResult[DocumentView]:
    admin = principal.role == Role.ADMIN
    scope = "all" if admin else f"viewer:{principal.user_id}"
    digest = key_digest(
        request.page, request.size, request.sort, request.order, q, tag, status, author_id,
        created_after, created_before,
    )  # fmt: skip

    def produce() -> dict[str, Any]:
        statement = select(Document).where(
            *created_window(Document.created_at, created_after, created_before)
        )
        if not admin:
            statement = statement.where(
                or_(
                    col(Document.status) == DocumentStatus.PUBLISHED,
                    col(Document.author_id) == principal.user_id,
                )
            )
        if status is not None:
            statement = statement.where(Document.status == status)
        if author_id is not None:
            statement = statement.where(Document.author_id == author_id)
        if q:
            statement = statement.where(contains_text(q, Document.title))
        if tag is not None:
            with_tag = tagging.tagged(DocumentTag.document_id, DocumentTag.tag, tag)
            statement = statement.where(col(Document.id).in_(with_tag))
        page = page_of(uow.session, statement, request, sortable=SORTABLE, tiebreaker=Document.id)
        tags = _tags(uow, [d.id for d in page.items if d.id is not None])
        snaps = [_snapshot(d, tags[d.id]) for d in page.items if d.id is not None]
        return {"total": page.total, "items": snaps}

    cached = cache.get_or_set(f"documents:list:{scope}:{digest}", produce)
    views = [_from_snapshot(snap) for snap in cached["items"]]
    return PageResult(items=views, total=cached["total"], page=request.page, size=request.size)


def _write(
    uow: UnitOfWork,
    principal: Principal,
    document_id: int,
    if_match: str | None,
    change: Any,
    *,
    cache: Cache,
) -> DocumentView:
    """Run `change(document)` on a writable document in one transaction, honouring
    `If-Match` and the version check; returns the stored document and tags."""
    try:
        with uow.transaction() as session:
            document = _writable(uow, principal, document_id)
            check_if_match(etag(document.id, document.version), if_match, what="document")
            tags = change(document)
            document.updated_at = utcnow()
            session.add(document)
            session.flush()
            assert document.id is not None
            if tags is UNSET:
                tags = _tags(uow, [document.id])[document.id]
            else:
                tags = tagging.replace_tags(uow, DocumentTag, "document_id", document.id, tags)
    except StaleDataError:
        raise PreconditionFailedError(RACE_LOST) from None
    _invalidate(cache, document_id)
    return DocumentView(document, tags)


def update_document(
    uow: UnitOfWork,
    principal: Principal,
    document_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
    title: str = UNSET,
    content: str = UNSET,
    tags: Sequence[str] = UNSET,
) -> DocumentView:
    def change(document: Document) -> Any:
        if title is not UNSET:
            document.title = title.strip()
        if content is not UNSET:
            document.content = content
        return tags

    return _write(uow, principal, document_id, if_match, change, cache=cache)


def transition(
    uow: UnitOfWork,
    principal: Principal,
    document_id: int,
    action: str,
    *,
    cache: Cache,
    if_match: str | None = None,
) -> DocumentView:
    """`publish` or `archive` (see TRANSITIONS); anything else from the current status is
    409 `invalid_transition`, and nothing changes."""
    sources, target = TRANSITIONS[action]

    def change(document: Document) -> Any:
        if document.status not in sources:
            raise ConflictError(
                f"Cannot {action} a document that is {document.status.value}.",
                code="invalid_transition",
            )
        document.status = target
        if target == DocumentStatus.PUBLISHED and document.published_at is None:
            document.published_at = utcnow()
        return UNSET

    return _write(uow, principal, document_id, if_match, change, cache=cache)


def delete_document(
    uow: UnitOfWork,
    principal: Principal,
    document_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
) -> None:
    try:
        with uow.transaction() as session:
            document = _writable(uow, principal, document_id)
            check_if_match(etag(document.id, document.version), if_match, what="document")
            session.delete(document)  # tags go with it (ON DELETE CASCADE)
    except StaleDataError:
        raise PreconditionFailedError(RACE_LOST) from None
    _invalidate(cache, document_id)
