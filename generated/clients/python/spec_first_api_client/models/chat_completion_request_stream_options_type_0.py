from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatCompletionRequestStreamOptionsType0")


@_attrs_define
class ChatCompletionRequestStreamOptionsType0:
    """
    Attributes:
        include_usage (bool | Unset): Send a last chunk with `usage` (and no choices).
    """

    include_usage: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        include_usage = self.include_usage

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if include_usage is not UNSET:
            field_dict["include_usage"] = include_usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        include_usage = d.pop("include_usage", UNSET)

        chat_completion_request_stream_options_type_0 = cls(
            include_usage=include_usage,
        )

        return chat_completion_request_stream_options_type_0
