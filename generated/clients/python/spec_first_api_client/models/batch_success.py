from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_success_status import BatchSuccessStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.completion import Completion
    from ..models.warning import Warning_


T = TypeVar("T", bound="BatchSuccess")


@_attrs_define
class BatchSuccess:
    """
    Example:
        {'index': 0, 'status': 'ok', 'completion': {'provider': 'fake', 'model': 'fake-1', 'text': 'Hello.', 'object':
            None, 'response_schema': None, 'finish_reason': 'stop', 'usage': {'prompt_tokens': 1, 'completion_tokens': 1,
            'total_tokens': 2}, 'cost_usd': '0.000000', 'latency_ms': 0, 'attempts': 1, 'cached': False}, 'warnings': []}

    Attributes:
        index (int): Position in `requests`. Example: 0.
        status (BatchSuccessStatus):  Example: ok.
        completion (Completion): The answer: `text` for a free-form completion, or `object` (valid against
            `response_schema`) for a structured one; the other is null.
             Example: {'provider': 'fake', 'model': 'fake-1', 'text': 'The water cycle moves water between sea, air and
            land.', 'object': None, 'response_schema': None, 'finish_reason': 'stop', 'usage': {'prompt_tokens': 6,
            'completion_tokens': 11, 'total_tokens': 17}, 'cost_usd': '0.000000', 'latency_ms': 0, 'attempts': 1, 'cached':
            False}.
        warnings (list[Warning_] | Unset):
    """

    index: int
    status: BatchSuccessStatus
    completion: Completion
    warnings: list[Warning_] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        status = self.status.value

        completion = self.completion.to_dict()

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "status": status,
                "completion": completion,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.completion import Completion  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        status = BatchSuccessStatus(d.pop("status"))

        completion = Completion.from_dict(d.pop("completion"))

        _warnings = d.pop("warnings", UNSET)
        warnings: list[Warning_] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = Warning_.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        batch_success = cls(
            index=index,
            status=status,
            completion=completion,
            warnings=warnings,
        )

        batch_success.additional_properties = d
        return batch_success

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
