from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_completion_object import ChatCompletionObject
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_completion_choice import ChatCompletionChoice
    from ..models.chat_completion_usage import ChatCompletionUsage


T = TypeVar("T", bound="ChatCompletion")


@_attrs_define
class ChatCompletion:
    """OpenAI's `chat.completion` object. `id` is `chatcmpl-` and this request's id; `model`
    is the id asked for, or the model that answered when a fallback did.

        Example:
            {'id': 'chatcmpl-9f1c2d3e4b5a46789abc0def12345678', 'object': 'chat.completion', 'created': 1764669600, 'model':
                'fake-1', 'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': 'Water evaporates, condenses and
                falls as rain.', 'refusal': None}, 'finish_reason': 'stop', 'logprobs': None}], 'usage': {'prompt_tokens': 9,
                'completion_tokens': 11, 'total_tokens': 20}, 'system_fingerprint': None}

        Attributes:
            id (str):  Example: chatcmpl-9f1c2d3e4b5a46789abc0def12345678.
            object_ (ChatCompletionObject):
            created (int): Unix seconds.
            model (str):  Example: fake-1.
            choices (list[ChatCompletionChoice]):
            usage (ChatCompletionUsage):  Example: {'prompt_tokens': 9, 'completion_tokens': 11, 'total_tokens': 20}.
            system_fingerprint (None | str | Unset):
    """

    id: str
    object_: ChatCompletionObject
    created: int
    model: str
    choices: list[ChatCompletionChoice]
    usage: ChatCompletionUsage
    system_fingerprint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_.value

        created = self.created

        model = self.model

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        usage = self.usage.to_dict()

        system_fingerprint: None | str | Unset
        if isinstance(self.system_fingerprint, Unset):
            system_fingerprint = UNSET
        else:
            system_fingerprint = self.system_fingerprint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "created": created,
                "model": model,
                "choices": choices,
                "usage": usage,
            }
        )
        if system_fingerprint is not UNSET:
            field_dict["system_fingerprint"] = system_fingerprint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_completion_choice import ChatCompletionChoice  # noqa: PLC0415
        from ..models.chat_completion_usage import ChatCompletionUsage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = ChatCompletionObject(d.pop("object"))

        created = d.pop("created")

        model = d.pop("model")

        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = ChatCompletionChoice.from_dict(choices_item_data)

            choices.append(choices_item)

        usage = ChatCompletionUsage.from_dict(d.pop("usage"))

        def _parse_system_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        system_fingerprint = _parse_system_fingerprint(d.pop("system_fingerprint", UNSET))

        chat_completion = cls(
            id=id,
            object_=object_,
            created=created,
            model=model,
            choices=choices,
            usage=usage,
            system_fingerprint=system_fingerprint,
        )

        chat_completion.additional_properties = d
        return chat_completion

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
