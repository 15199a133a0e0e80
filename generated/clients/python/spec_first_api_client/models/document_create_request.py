from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DocumentCreateRequest")


@_attrs_define
class DocumentCreateRequest:
    """A new document starts as a `draft`.

    Example:
        {'title': 'Release notes', 'content': '# Release notes', 'tags': ['news']}

    Attributes:
        title (str): At least one visible character, no control characters; trimmed when stored. Example: Release notes.
        content (str | Unset): Markdown, up to 100,000 characters (no NUL). Example: # Release notes

            - Items have ETags..
        tags (list[str] | Unset): Up to 20 distinct tags; stored sorted. Example: ['blue', 'kitchen'].
    """

    title: str
    content: str | Unset = UNSET
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        content = self.content

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if content is not UNSET:
            field_dict["content"] = content
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        content = d.pop("content", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        document_create_request = cls(
            title=title,
            content=content,
            tags=tags,
        )

        return document_create_request
