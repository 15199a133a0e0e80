from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchRequest")


@_attrs_define
class BatchRequest:
    """
    Example:
        {'requests': [{'prompt': 'Name a blue mug.'}, {'prompt': 'Summarise the water cycle.', 'response_schema':
            'TextSummary'}]}

    Attributes:
        requests (list[Any]): Up to `AI_BATCH_MAX` completion requests (the spec allows 50), answered in order.
    """

    requests: list[Any]

    def to_dict(self) -> dict[str, Any]:
        requests = []
        for requests_item_data in self.requests:
            requests_item: Any
            requests_item = requests_item_data
            requests.append(requests_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requests": requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests = []
        _requests = d.pop("requests")
        for requests_item_data in _requests:

            def _parse_requests_item(data: object) -> Any:
                return cast(Any, data)

            requests_item = _parse_requests_item(requests_item_data)

            requests.append(requests_item)

        batch_request = cls(
            requests=requests,
        )

        return batch_request
