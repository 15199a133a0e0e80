"""Documents as wire models."""

from __future__ import annotations

from app.documents.service import DocumentView
from generated import models as api


def document_out(view: DocumentView) -> api.Document:
    document = view.document
    assert document.id is not None
    fields = document.model_dump(
        include={"id", "author_id", "title", "content", "status", "published_at"}
        | {"created_at", "updated_at"}
    )
    return api.Document.model_validate({**fields, "tags": view.tags})
