from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.ai_message_role import AIMessageRole

T = TypeVar("T", bound="AIMessage")


@_attrs_define
class AIMessage:
    """
    Example:
        {'role': 'user', 'content': 'Suggest a name for a blue mug.'}

    Attributes:
        role (AIMessageRole): Who speaks (the system prompt is the request's `system`). Example: user.
        content (str): The message text (no NUL characters). Example: Suggest a name for a blue mug..
    """

    role: AIMessageRole
    content: str

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        content = self.content

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = AIMessageRole(d.pop("role"))

        content = d.pop("content")

        ai_message = cls(
            role=role,
            content=content,
        )

        return ai_message
