"""Documents: markdown with a publishing lifecycle, versions as ETags, tags.

What documents share with other owned resources (visibility, ETags and `If-Match`, the
read-through cache and its invalidation, tags, list pages) is
`app.owned.resource.OwnedResource`; this module keeps the lifecycle.

Visibility (`Ownership(public=published, audited=False, refuse_visible=True)`): published
documents are visible to every authenticated caller; drafts and archived documents to
their author and admins only. Invisible is `not_found`, exactly as missing. Writes: the
author or an admin; a caller who can see a document but may not change it (someone else's
published one) gets `forbidden`. A write drops every document list page from the cache (a
published document appears in everyone's lists).

Lifecycle: publish `draft -> published` (sets `published_at`), archive `draft|published ->
archived`; any other move is 409 `invalid_transition`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from app.accounts.principal import Principal
from app.contract.lists import sort_fields
from app.documents.models import Document, DocumentStatus, DocumentTag
from app.errors import ConflictError
from app.infra.cache import Cache
from app.infra.column_types import utcnow
from app.infra.db import UnitOfWork
from app.infra.pagination import PageRequest, PageResult
from app.owned.policy import Ownership
from app.owned.resource import UNSET, Owned, OwnedResource, TagTable, not_modified

__all__ = ["DOCUMENTS", "DocumentView", "not_modified"]

# action -> (statuses it may start from, status it ends in)
TRANSITIONS: dict[str, tuple[frozenset[DocumentStatus], DocumentStatus]] = {
    "publish": (frozenset({DocumentStatus.DRAFT}), DocumentStatus.PUBLISHED),
    "archive": (
        frozenset({DocumentStatus.DRAFT, DocumentStatus.PUBLISHED}),
        DocumentStatus.ARCHIVED,
    ),
}


class DocumentView(Owned[Document]):
    @property
    def document(self) -> Document:
        return self.row


DOCUMENTS: OwnedResource[Document, DocumentView] = OwnedResource(
    Document,
    DocumentView,
    name="documents",
    noun="Document",
    policy=Ownership(
        owner_field="author_id",
        audited=False,
        public=("status", DocumentStatus.PUBLISHED),
        refuse_visible=True,
    ),
    sortable=lambda: sort_fields("listDocuments"),
    search=("title",),
    tags=TagTable(DocumentTag, "document_id"),
)


def create_document(
    uow: UnitOfWork,
    principal: Principal,
    *,
    cache: Cache,
    title: str,
    content: str = "",
    tags: Sequence[str] = (),
) -> DocumentView:
    document = Document(author_id=principal.user_id, title=title.strip(), content=content)
    return DOCUMENTS.create(uow, principal, document, cache=cache, tags=tags)


def get_document(
    uow: UnitOfWork, principal: Principal, document_id: int, *, cache: Cache
) -> DocumentView:
    return DOCUMENTS.get(uow, principal, document_id, cache=cache)


def list_documents(
    uow: UnitOfWork,
    principal: Principal,
    request: PageRequest,
    *,
    cache: Cache,
    q: str | None = None,
    tag: str | None = None,
    status: DocumentStatus | str | None = None,
    author_id: int | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> PageResult[DocumentView]:
    where = {"status": None if status is None else DocumentStatus(status), "author_id": author_id}
    return DOCUMENTS.page(
        uow, principal, request, cache=cache, q=q, tag=tag, where=where,
        created_after=created_after, created_before=created_before,
    )  # fmt: skip


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
    def apply(document: Document) -> None:
        if title is not UNSET:
            document.title = title.strip()
        if content is not UNSET:
            document.content = content

    return DOCUMENTS.change(
        uow, principal, document_id, apply, cache=cache, if_match=if_match, tags=tags
    )


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

    def apply(document: Document) -> None:
        if document.status not in sources:
            raise ConflictError(
                f"Cannot {action} a document that is {document.status.value}.",
                code="invalid_transition",
            )
        document.status = target
        if target == DocumentStatus.PUBLISHED and document.published_at is None:
            document.published_at = utcnow()

    return DOCUMENTS.change(uow, principal, document_id, apply, cache=cache, if_match=if_match)


def delete_document(
    uow: UnitOfWork,
    principal: Principal,
    document_id: int,
    *,
    cache: Cache,
    if_match: str | None = None,
) -> None:
    DOCUMENTS.delete(uow, principal, document_id, cache=cache, if_match=if_match)
