from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_completion_stream_response_200_event import CreateCompletionStreamResponse200Event

if TYPE_CHECKING:
    from ..models.problem import Problem
    from ..models.stream_delta import StreamDelta
    from ..models.stream_done import StreamDone
    from ..models.stream_object import StreamObject


T = TypeVar("T", bound="CreateCompletionStreamResponse200")


@_attrs_define
class CreateCompletionStreamResponse200:
    """One server-sent event; `data` is compact JSON whose schema `x-events` names per event.

    Attributes:
        event (CreateCompletionStreamResponse200Event):  Example: delta.
        data (Problem | str | StreamDelta | StreamDone | StreamObject): The payload: compact JSON text on the wire,
            whose decoded value is the schema
            the `event` names (`x-events`): `delta` a `StreamDelta`, `object` a
            `StreamObject`, `done` a `StreamDone`, `error` a `Problem`.
             Example: {"text":"The water"}.
    """

    event: CreateCompletionStreamResponse200Event
    data: Problem | str | StreamDelta | StreamDone | StreamObject
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.problem import Problem  # noqa: PLC0415
        from ..models.stream_delta import StreamDelta  # noqa: PLC0415
        from ..models.stream_done import StreamDone  # noqa: PLC0415
        from ..models.stream_object import StreamObject  # noqa: PLC0415

        event = self.event.value

        data: dict[str, Any] | str
        if isinstance(self.data, StreamDelta):
            data = self.data.to_dict()
        elif isinstance(self.data, StreamObject):
            data = self.data.to_dict()
        elif isinstance(self.data, StreamDone):
            data = self.data.to_dict()
        elif isinstance(self.data, Problem):
            data = self.data.to_dict()
        else:
            data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem import Problem  # noqa: PLC0415
        from ..models.stream_delta import StreamDelta  # noqa: PLC0415
        from ..models.stream_done import StreamDone  # noqa: PLC0415
        from ..models.stream_object import StreamObject  # noqa: PLC0415

        d = dict(src_dict)
        event = CreateCompletionStreamResponse200Event(d.pop("event"))

        def _parse_data(data: object) -> Problem | str | StreamDelta | StreamDone | StreamObject:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_1 = StreamDelta.from_dict(data)

                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_2 = StreamObject.from_dict(data)

                return data_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_3 = StreamDone.from_dict(data)

                return data_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_4 = Problem.from_dict(data)

                return data_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Problem | str | StreamDelta | StreamDone | StreamObject, data)

        data = _parse_data(d.pop("data"))

        create_completion_stream_response_200 = cls(
            event=event,
            data=data,
        )

        create_completion_stream_response_200.additional_properties = d
        return create_completion_stream_response_200

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
