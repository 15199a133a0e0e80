from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_status import DocumentStatus

T = TypeVar("T", bound="Document")


@_attrs_define
class Document:
    """A document. Drafts and archived documents are visible to their author and admins; published ones to every
    authenticated user.

        Example:
            {'id': 12, 'author_id': 3, 'title': 'Release notes', 'content': '# Release notes', 'status': 'published',
                'published_at': '2026-11-25T10:00:00Z', 'tags': ['news'], 'created_at': '2026-11-25T09:00:00Z', 'updated_at':
                '2026-11-25T10:00:00Z'}

        Attributes:
            id (int):  Example: 12.
            author_id (int):  Example: 3.
            title (str):  Example: Release notes.
            content (str):  Example: # Release notes.
            status (DocumentStatus): `draft` -> `published` (publish) -> `archived` (archive); a draft may be archived
                directly. Example: draft.
            published_at (datetime.datetime | None): When it was (first) published. Example: 2026-11-25T10:00:00Z.
            tags (list[str]):  Example: ['news'].
            created_at (datetime.datetime):  Example: 2026-11-25T09:00:00Z.
            updated_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
    """

    id: int
    author_id: int
    title: str
    content: str
    status: DocumentStatus
    published_at: datetime.datetime | None
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        author_id = self.author_id

        title = self.title

        content = self.content

        status = self.status.value

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        tags = self.tags

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author_id": author_id,
                "title": title,
                "content": content,
                "status": status,
                "published_at": published_at,
                "tags": tags,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        author_id = d.pop("author_id")

        title = d.pop("title")

        content = d.pop("content")

        status = DocumentStatus(d.pop("status"))

        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("published_at"))

        tags = cast(list[str], d.pop("tags"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        document = cls(
            id=id,
            author_id=author_id,
            title=title,
            content=content,
            status=status,
            published_at=published_at,
            tags=tags,
            created_at=created_at,
            updated_at=updated_at,
        )

        document.additional_properties = d
        return document

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
