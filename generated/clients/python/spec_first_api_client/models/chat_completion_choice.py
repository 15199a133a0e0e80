from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_completion_choice_finish_reason import ChatCompletionChoiceFinishReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_completion_choice_logprobs_type_0 import ChatCompletionChoiceLogprobsType0
    from ..models.chat_completion_choice_message import ChatCompletionChoiceMessage


T = TypeVar("T", bound="ChatCompletionChoice")


@_attrs_define
class ChatCompletionChoice:
    """
    Example:
        {'index': 0, 'message': {'role': 'assistant', 'content': 'Water evaporates, condenses and falls as rain.',
            'refusal': None}, 'finish_reason': 'stop', 'logprobs': None}

    Attributes:
        index (int):
        message (ChatCompletionChoiceMessage):
        finish_reason (ChatCompletionChoiceFinishReason):
        logprobs (ChatCompletionChoiceLogprobsType0 | None | Unset):
    """

    index: int
    message: ChatCompletionChoiceMessage
    finish_reason: ChatCompletionChoiceFinishReason
    logprobs: ChatCompletionChoiceLogprobsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_completion_choice_logprobs_type_0 import ChatCompletionChoiceLogprobsType0  # noqa: PLC0415

        index = self.index

        message = self.message.to_dict()

        finish_reason = self.finish_reason.value

        logprobs: dict[str, Any] | None | Unset
        if isinstance(self.logprobs, Unset):
            logprobs = UNSET
        elif isinstance(self.logprobs, ChatCompletionChoiceLogprobsType0):
            logprobs = self.logprobs.to_dict()
        else:
            logprobs = self.logprobs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "message": message,
                "finish_reason": finish_reason,
            }
        )
        if logprobs is not UNSET:
            field_dict["logprobs"] = logprobs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_completion_choice_logprobs_type_0 import ChatCompletionChoiceLogprobsType0  # noqa: PLC0415
        from ..models.chat_completion_choice_message import ChatCompletionChoiceMessage  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        message = ChatCompletionChoiceMessage.from_dict(d.pop("message"))

        finish_reason = ChatCompletionChoiceFinishReason(d.pop("finish_reason"))

        def _parse_logprobs(data: object) -> ChatCompletionChoiceLogprobsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                logprobs_type_0 = ChatCompletionChoiceLogprobsType0.from_dict(data)

                return logprobs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionChoiceLogprobsType0 | None | Unset, data)

        logprobs = _parse_logprobs(d.pop("logprobs", UNSET))

        chat_completion_choice = cls(
            index=index,
            message=message,
            finish_reason=finish_reason,
            logprobs=logprobs,
        )

        chat_completion_choice.additional_properties = d
        return chat_completion_choice

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
